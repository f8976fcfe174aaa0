"""Reading the session log: the staff panel's numbers, the CSV export, the PIN pad's state.

SessionReports is the reading half of kiosk.storage.sessions.SessionLog, which gives it
the connection and `_reading()` (the lock, and the check for a replaced file).
"""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.storage.session_schema import iso

CSV_COLUMNS = (
    "sheet_number",
    "started_at",
    "ended_at",
    "language",
    "questionnaire_id",
    "questionnaire_version",
    "questionnaire_sha256",
    "answers",
    "capacity_score",
    "capacity_level",
    "attitude_score",
    "attitude_level",
    "low_risk",
    "medium_risk",
    "high_risk",
    "life_stage",
    "life_cycle",
    "segment",
    "limited_by",
    "checks",
    "outcome",
    "abandoned_at",
    "rating",
    "sheet_code",
)


@dataclass(frozen=True)
class Stats:
    visits: int
    completed: int
    printed: int
    exported: int
    print_failed: int
    declined: int
    abandoned: int
    abandoned_where: dict[str, int]
    capacity_levels: dict[str, int]
    attitude_levels: dict[str, int]
    allocations: dict[str, int]
    ratings: dict[int, int]


class SessionReports:
    """What SessionLog answers from its rows (mixed into SessionLog)."""

    db: sqlite3.Connection

    def _reading(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # SessionLog's

    def pin_state(self) -> tuple[int, datetime | None]:
        """The PIN pad as the last run left it: wrong PINs since the last unlock, new PIN
        or lockout, and the end of the newest lockout (None when there was none)."""
        rows = self.db.execute(
            "SELECT action, detail FROM admin_actions"
            " WHERE action IN ('pin_wrong', 'pin_locked', 'unlock', 'pin_set')"
            " ORDER BY id DESC LIMIT 100"
        ).fetchall()
        failures = 0
        for action, detail in rows:
            if action != "pin_wrong":
                if action == "pin_locked":
                    with suppress(ValueError):
                        return failures, datetime.fromisoformat(detail)
                break
            failures += 1
        return failures, None

    def sheet_numbers(self) -> set[str]:
        """The sheet numbers of the visits in the log."""
        with self._reading() as db:
            rows = db.execute("SELECT sheet_number FROM visits WHERE sheet_number IS NOT NULL")
            return {str(number) for (number,) in rows}

    def sheet_code(self, sheet_number: str) -> str | None:
        """The code printed in the QR of that sheet (SPEC §16), or None when the log has
        no such sheet or none was recorded (visits from before the code)."""
        with self._reading() as db:
            row = db.execute(
                "SELECT sheet_code FROM visits WHERE sheet_number = ?", (sheet_number,)
            ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def stats(self, since: datetime, until: datetime) -> Stats:
        """The visits started from `since` to `until` (now: a visit dated later, by a clock
        that was ahead, is not today's)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT outcome, abandoned_at, capacity_level, attitude_level,"
                " low_risk, medium_risk, high_risk, rating FROM visits"
                " WHERE started_at >= ? AND started_at <= ?",
                (iso(since), iso(until)),
            ).fetchall()
        outcomes = Counter(row["outcome"] for row in rows)
        scored = [row for row in rows if row["capacity_level"] is not None]
        return Stats(
            visits=len(rows),
            completed=len(scored),
            printed=outcomes["printed"],
            exported=outcomes["exported"],
            print_failed=outcomes["print_failed"],
            declined=outcomes["declined"],
            abandoned=outcomes["abandoned"],
            abandoned_where=dict(
                Counter(row["abandoned_at"] for row in rows if row["outcome"] == "abandoned")
            ),
            capacity_levels=dict(Counter(row["capacity_level"] for row in scored)),
            attitude_levels=dict(Counter(row["attitude_level"] for row in scored)),
            allocations=dict(
                Counter(f"{r['low_risk']}/{r['medium_risk']}/{r['high_risk']}" for r in scored)
            ),
            ratings=dict(Counter(row["rating"] for row in rows if row["rating"] is not None)),
        )

    def visit_count(self) -> int:
        with self._reading() as db:
            return int(db.execute("SELECT COUNT(*) FROM visits").fetchone()[0])

    def export_csv(self, path: Path) -> int:
        """Every visit as CSV, UTF-8 with a BOM (so Excel shows Chinese); returns the rows."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {', '.join(CSV_COLUMNS)} FROM visits ORDER BY started_at"
            ).fetchall()
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(CSV_COLUMNS)
                writer.writerows(tuple(row) for row in rows)
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return len(rows)
