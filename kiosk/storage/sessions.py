"""The session log: one row per visit in SQLite (WAL, foreign keys, versioned schema).

Nothing that identifies a person is stored: answers are option ids, the rest are scores,
levels, the outcome and an optional rating. Each write is one transaction, so a process
killed at any moment leaves either the whole visit or none of it.

Every row also keeps `trusted_at`: its time if the clock was trusted when it was written,
else NULL; what that means for purging is in kiosk.storage.retention.

A log file deleted or replaced while the kiosk runs (the open connection would go on
writing into the deleted file, or its journal into the new one) is noticed before the
next read or write: the old connection is closed with its journal emptied, the file at
the path is opened (or created) and migrated, and the meta row `reopened` says when and
why, for the staff panel.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.engine.errors import KioskError
from kiosk.storage.retention import CLOCK_STEP, clock_problem

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
    # 2: the clock the kiosk trusts (meta `clock_seen`) and each row's `trusted_at`
    # (kiosk.storage.retention). Rows from before are trusted when in order (not older
    # than a row written before them); the newest record time is the first clock seen.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ALTER TABLE visits ADD COLUMN trusted_at TEXT;
    ALTER TABLE prints ADD COLUMN trusted_at TEXT;
    ALTER TABLE admin_actions ADD COLUMN trusted_at TEXT;
    UPDATE visits SET trusted_at = started_at WHERE id IN (
        SELECT id FROM (
            SELECT id, started_at, MAX(started_at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM visits)
        WHERE before IS NULL OR started_at >= before);
    UPDATE prints SET trusted_at = at WHERE id IN (
        SELECT id FROM (
            SELECT id, at, MAX(at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM prints)
        WHERE before IS NULL OR at >= before);
    UPDATE admin_actions SET trusted_at = at WHERE id IN (
        SELECT id FROM (
            SELECT id, at, MAX(at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM admin_actions)
        WHERE before IS NULL OR at >= before);
    INSERT INTO meta (key, value)
        SELECT 'clock_seen', newest FROM (
            SELECT MAX(t) AS newest FROM (
                SELECT MAX(started_at) AS t FROM visits
                UNION ALL SELECT MAX(ended_at) FROM visits
                UNION ALL SELECT MAX(at) FROM prints
                UNION ALL SELECT MAX(at) FROM admin_actions))
        WHERE newest IS NOT NULL;
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


log = logging.getLogger("kiosk.storage")


class StorageError(KioskError):
    """The session log cannot be used; names the file and what to do."""


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


# A table's rows due to go: each row is dated by the smallest trusted_at of the rows
# written from it on (NULLs do not count; none at all: not due).
_AGED = """
    SELECT * FROM (
        SELECT *, MIN(trusted_at) OVER (
            ORDER BY id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS dated
        FROM {table})
    WHERE dated < ?
"""


@dataclass(frozen=True)
class Purged:
    """What one purge deleted from the log."""

    visits: int
    prints: int
    admin_actions: int
    sheet_numbers: tuple[str, ...]
    """The sheets of the deleted visits (their PDFs go too)."""


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
    """The SQLite file in the data folder. Open it once; every method is one transaction.

    `clock` (injectable for tests) only dates the note left when the file had to be
    reopened; every record carries the times its caller gives."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = datetime.now) -> None:
        self.path = path
        self.clock = clock
        # One task worker writes, after the GUI thread opened it; the lock keeps a read on
        # another thread out of a transaction and out of a reopening.
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                path, timeout=10, isolation_level=None, check_same_thread=False
            )
            found = path.stat()  # connecting created the file
            self._identity = (found.st_dev, found.st_ino)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise StorageError(
                f"{path}: the session log cannot be opened ({exc}); "
                "move the file aside (a new one is created) and tell support"
            ) from None
        except StorageError:
            self._close_quietly()
            raise
        except OSError as exc:
            self._close_quietly()
            raise StorageError(
                f"{path}: the session log cannot be created ({exc.strerror}); "
                "check that the data folder exists and is writable"
            ) from None

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def _check_file(self) -> None:
        """Reopen the log when its file was deleted or replaced since it was opened."""
        try:
            found = self.path.stat()
        except FileNotFoundError:
            self._reopen("deleted")
            return
        except OSError:
            return  # the next statement says what is wrong
        if (found.st_dev, found.st_ino) != self._identity:
            self._reopen("replaced")

    def _reopen(self, why: str) -> None:
        log.error(
            "%s was %s while the kiosk was running: the visits recorded in it are gone; "
            "the next records go to the file at that path (a new one if there is none)",
            self.path,
            why,
        )
        # Empty the old file's journal before closing: its frames would otherwise be
        # replayed into whatever file now has the name.
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._close_quietly()
        if why == "deleted":
            self._remove_journal()
        try:
            self._open()
        except StorageError as exc:
            # What was put there is not a session log this kiosk can use: keep it aside.
            aside = self.path.with_name(f"{self.path.name}.unusable-{self.clock():%Y%m%d-%H%M%S}")
            log.error("%s; moved aside to %s", exc, aside)
            self.path.replace(aside)
            self._remove_journal()
            self._open()
        note = {"at": _iso(self.clock()), "why": why, "path": str(self.path)}
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('reopened', ?)", (json.dumps(note),)
        )

    def _remove_journal(self) -> None:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._check_file()
            yield self.db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._check_file()
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

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
        with self._transaction() as db:
            # A visit is dated by its start, but the clock is judged at its end (it was
            # written then); a visit longer than a day means the clock moved meanwhile.
            trusted = self._observe(db, visit.ended_at) and (
                visit.ended_at - CLOCK_STEP <= visit.started_at <= visit.ended_at
            )
            row["trusted_at"] = row["started_at"] if trusted else None
            columns = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            cursor = db.execute(f"INSERT INTO visits ({columns}) VALUES ({marks})", row)
            return int(cursor.lastrowid or 0)

    def record_print(self, sheet_number: str, printer: str, result: str, at: datetime) -> None:
        """A print attempt (the client's, or a staff reprint) for a sheet."""
        with self._transaction() as db:
            found = db.execute(
                "SELECT id FROM visits WHERE sheet_number = ?", (sheet_number,)
            ).fetchone()
            db.execute(
                "INSERT INTO prints (visit_id, sheet_number, at, printer, result, trusted_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    found[0] if found else None,
                    sheet_number,
                    _iso(at),
                    printer,
                    result,
                    _iso(at) if self._observe(db, at) else None,
                ),
            )

    def log_admin(self, action: str, detail: str, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO admin_actions (at, action, detail, trusted_at) VALUES (?, ?, ?, ?)",
                (_iso(at), action, detail, _iso(at) if self._observe(db, at) else None),
            )

    # ------------------------------------------------------------------ the clock

    def _observe(self, db: sqlite3.Connection, when: datetime) -> bool:
        """Whether a record written at `when` (by the kiosk's clock) is on the trusted
        clock (kiosk.storage.retention); if it is, the trusted time moves up to it."""
        seen = self._clock_seen(db)
        if clock_problem(seen, when) is not None:
            return False
        if seen is None or when > seen:
            self._set_meta(db, "clock_seen", _iso(when))
        return True

    def _clock_seen(self, db: sqlite3.Connection) -> datetime | None:
        found = db.execute("SELECT value FROM meta WHERE key = 'clock_seen'").fetchone()
        return datetime.fromisoformat(found[0]) if found else None

    def check_clock(
        self, now: datetime, *, confirmed: bool = False
    ) -> tuple[str | None, datetime | None]:
        """Hold `now` against the trusted time: (None, the time held against) when it fits
        (the trusted time then moves up to now), else ("behind" or "jumped", that time).
        `confirmed`: staff said the clock is right; now becomes the trusted time."""
        with self._transaction() as db:
            seen = self._clock_seen(db)
            problem = None if confirmed else clock_problem(seen, now)
            if problem is None and (confirmed or seen is None or now > seen):
                self._set_meta(db, "clock_seen", _iso(now))
            return problem, seen

    # ------------------------------------------------------------------ meta

    def _set_meta(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as db:
            self._set_meta(db, key, value)

    def meta(self, key: str) -> str | None:
        with self._reading() as db:
            found = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(found[0]) if found else None

    def reopened(self) -> dict[str, str] | None:
        """When and why the file had to be reopened while the kiosk ran (None: never)."""
        note = self.meta("reopened")
        return dict(json.loads(note)) if note else None

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

    def purge(self, cutoff: datetime) -> Purged:
        """Delete the rows written before `cutoff`, each dated by the first trusted time
        at or after it in the order rows were written (kiosk.storage.retention: a row
        with no trusted row from it on is kept). Only kiosk.storage.retention calls this,
        after checking the clock."""
        limit = (_iso(cutoff),)
        aged = {table: _AGED.format(table=table) for table in ("visits", "prints", "admin_actions")}
        with self._transaction() as db:
            numbers = tuple(
                str(number)
                for (number,) in db.execute(
                    f"SELECT sheet_number FROM ({aged['visits']}) WHERE sheet_number IS NOT NULL",
                    limit,
                )
            )
            visits = db.execute(
                f"DELETE FROM visits WHERE id IN (SELECT id FROM ({aged['visits']}))", limit
            ).rowcount
            # (their prints went with them; a print of a visit still kept stays with it)
            prints = db.execute(
                "DELETE FROM prints WHERE visit_id IS NULL"
                f" AND id IN (SELECT id FROM ({aged['prints']}))",
                limit,
            ).rowcount
            actions = db.execute(
                f"DELETE FROM admin_actions WHERE id IN (SELECT id FROM ({aged['admin_actions']}))",
                limit,
            ).rowcount
        return Purged(int(visits), int(prints), int(actions), numbers)

    def sheet_numbers(self) -> set[str]:
        """The sheet numbers of the visits in the log."""
        with self._reading() as db:
            rows = db.execute("SELECT sheet_number FROM visits WHERE sheet_number IS NOT NULL")
            return {str(number) for (number,) in rows}

    # ------------------------------------------------------------------ reading

    def stats(self, since: datetime, until: datetime) -> Stats:
        """The visits started from `since` to `until` (now: a visit dated later, by a clock
        that was ahead, is not today's)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT outcome, abandoned_at, capacity_level, attitude_level,"
                " low_risk, medium_risk, high_risk, rating FROM visits"
                " WHERE started_at >= ? AND started_at <= ?",
                (_iso(since), _iso(until)),
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
