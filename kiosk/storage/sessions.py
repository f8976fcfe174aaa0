"""The session log: one row per visit in SQLite (WAL, foreign keys, versioned schema).

Nothing that identifies a person is stored: answers are option ids, the rest are scores,
levels, the outcome and an optional rating. Each write is one transaction, so a process
killed at any moment leaves either the whole visit or none of it.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.engine.errors import KioskError

if TYPE_CHECKING:
    from kiosk.engine import Profile

DB_FILE = "sessions.sqlite3"
OUTCOMES = ("printed", "exported", "print_failed", "completed", "declined", "abandoned")

# Each entry brings the schema from version i to i + 1. Never edit a released step.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        sheet_number TEXT UNIQUE,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        language TEXT NOT NULL,
        questionnaire_id TEXT,
        questionnaire_version TEXT,
        questionnaire_sha256 TEXT,
        answers TEXT NOT NULL DEFAULT '{}',
        capacity_score INTEGER,
        capacity_level TEXT,
        attitude_score INTEGER,
        attitude_level TEXT,
        low_risk INTEGER,
        medium_risk INTEGER,
        high_risk INTEGER,
        life_stage TEXT,
        life_cycle TEXT,
        segment TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN
            ('printed', 'exported', 'print_failed', 'completed', 'declined', 'abandoned')),
        abandoned_at TEXT,
        rating INTEGER CHECK (rating BETWEEN 1 AND 5)
    );
    CREATE INDEX visits_started_at ON visits (started_at);
    CREATE TABLE prints (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER REFERENCES visits (id) ON DELETE CASCADE,
        sheet_number TEXT NOT NULL,
        at TEXT NOT NULL,
        printer TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE TABLE admin_actions (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

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
    "outcome",
    "abandoned_at",
    "rating",
)


class StorageError(KioskError):
    """The session log cannot be used; names the file and what to do."""


@dataclass(frozen=True)
class VisitRecord:
    started_at: datetime
    ended_at: datetime
    language: str
    outcome: str
    answers: Mapping[str, int | str] = field(default_factory=dict)
    profile: Profile | None = None
    sheet_number: str | None = None
    abandoned_at: str | None = None
    rating: int | None = None


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


class SessionLog:
    """The SQLite file in the data folder. Open it once; every method is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # One task worker writes, after the GUI thread opened it: never two at once.
            self.db = sqlite3.connect(
                path, timeout=10, isolation_level=None, check_same_thread=False
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"{path}: the session log cannot be opened ({exc}); "
                "move the file aside (a new one is created) and tell support"
            ) from None
        except OSError as exc:
            raise StorageError(
                f"{path}: the session log cannot be created ({exc.strerror}); "
                "check that the data folder exists and is writable"
            ) from None

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path}: the session log is from a newer kiosk (schema {version}, "
                f"this kiosk knows {SCHEMA_VERSION}); update the kiosk or move the file aside"
            )
        for step in range(version, SCHEMA_VERSION):
            with self._transaction() as db:
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step + 1}")

    # ------------------------------------------------------------------ writing

    def record(self, visit: VisitRecord) -> int:
        """Store one visit; returns its row id."""
        if visit.outcome not in OUTCOMES:
            raise ValueError(f"outcome {visit.outcome!r} is not one of {OUTCOMES}")
        profile = visit.profile
        row: dict[str, object] = {
            "sheet_number": visit.sheet_number,
            "started_at": visit.started_at.isoformat(timespec="seconds"),
            "ended_at": visit.ended_at.isoformat(timespec="seconds"),
            "language": visit.language,
            "answers": json.dumps(dict(visit.answers), sort_keys=True),
            "outcome": visit.outcome,
            "abandoned_at": visit.abandoned_at,
            "rating": visit.rating,
        }
        if profile is not None:
            row |= {
                "questionnaire_id": profile.questionnaire.id,
                "questionnaire_version": profile.questionnaire.version,
                "questionnaire_sha256": profile.questionnaire.sha256,
                "capacity_score": profile.capacity.score,
                "capacity_level": profile.capacity.level,
                "attitude_score": profile.attitude.score,
                "attitude_level": profile.attitude.level,
                "low_risk": profile.allocation.low_risk,
                "medium_risk": profile.allocation.medium_risk,
                "high_risk": profile.allocation.high_risk,
                "life_stage": profile.life_stage,
                "life_cycle": profile.life_cycle,
                "segment": profile.segment.id if profile.segment else None,
            }
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._transaction() as db:
            cursor = db.execute(f"INSERT INTO visits ({columns}) VALUES ({marks})", row)
            return int(cursor.lastrowid or 0)

    def record_print(self, sheet_number: str, printer: str, result: str, at: datetime) -> None:
        """A print attempt (the client's, or a staff reprint) for a sheet."""
        with self._transaction() as db:
            found = db.execute(
                "SELECT id FROM visits WHERE sheet_number = ?", (sheet_number,)
            ).fetchone()
            db.execute(
                "INSERT INTO prints (visit_id, sheet_number, at, printer, result)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    found[0] if found else None,
                    sheet_number,
                    at.isoformat(timespec="seconds"),
                    printer,
                    result,
                ),
            )

    def log_admin(self, action: str, detail: str, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO admin_actions (at, action, detail) VALUES (?, ?, ?)",
                (at.isoformat(timespec="seconds"), action, detail),
            )

    def purge(self, retention_days: int, now: datetime) -> int:
        """Delete visits (and their prints) older than the retention; returns how many."""
        cutoff = (now - timedelta(days=retention_days)).isoformat(timespec="seconds")
        with self._transaction() as db:
            deleted = db.execute("DELETE FROM visits WHERE started_at < ?", (cutoff,)).rowcount
            db.execute("DELETE FROM prints WHERE visit_id IS NULL AND at < ?", (cutoff,))
            db.execute("DELETE FROM admin_actions WHERE at < ?", (cutoff,))
        return int(deleted)

    # ------------------------------------------------------------------ reading

    def stats(self, since: datetime) -> Stats:
        rows = self.db.execute(
            "SELECT outcome, abandoned_at, capacity_level, attitude_level,"
            " low_risk, medium_risk, high_risk, rating FROM visits WHERE started_at >= ?",
            (since.isoformat(timespec="seconds"),),
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
        return int(self.db.execute("SELECT COUNT(*) FROM visits").fetchone()[0])

    def export_csv(self, path: Path) -> int:
        """Every visit as CSV, UTF-8 with a BOM (so Excel shows Chinese); returns the rows."""
        rows = self.db.execute(
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
