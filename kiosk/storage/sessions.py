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

This module writes (and opens, migrates, reopens and judges the clock); the schema is in
kiosk.storage.session_schema, reading (numbers, CSV, the PIN pad's state) in
kiosk.storage.session_reports.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.engine.errors import KioskError
from kiosk.storage.retention import CLOCK_STEP, clock_problem
from kiosk.storage.session_reports import SessionReports, Stats
from kiosk.storage.session_schema import DB_FILE, MIGRATIONS, OUTCOMES, SCHEMA_VERSION, iso
from kiosk.storage.sync_queue import SyncQueue

if TYPE_CHECKING:
    from kiosk.engine import Profile

log = logging.getLogger("kiosk.storage")


class StorageError(KioskError):
    """The session log cannot be used; names the file and what to do."""


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
    kept_unsynced: int = 0
    """Visits and prints due to go but kept: not yet in the fleet database (SPEC §18)."""


@dataclass(frozen=True)
class VisitRecord:
    """One ended visit. Its profile gives the scores, levels, allocation, segment and the
    explanation's `checks` and `limited_by` (SPEC §15.3) kept with it."""

    started_at: datetime
    ended_at: datetime
    language: str
    outcome: str
    answers: Mapping[str, int | str] = field(default_factory=dict)
    profile: Profile | None = None
    sheet_number: str | None = None
    abandoned_at: str | None = None
    rating: int | None = None
    sheet_code: str | None = None
    """The code in the sheet's QR (kiosk.issuing.Sheet.code), when a sheet was made."""


class SessionLog(SessionReports, SyncQueue):
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
        note = {"at": iso(self.clock()), "why": why, "path": str(self.path)}
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
            "sheet_code": visit.sheet_code or None,
            "started_at": visit.started_at.isoformat(timespec="seconds"),
            "ended_at": visit.ended_at.isoformat(timespec="seconds"),
            "language": visit.language,
            "answers": json.dumps(dict(visit.answers), sort_keys=True),
            "outcome": visit.outcome,
            "abandoned_at": visit.abandoned_at,
            "rating": visit.rating,
            "uid": uuid.uuid4().hex,  # its key in the fleet database (sync_queue)
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
                "checks": json.dumps(list(profile.explanation.checks)),
                "limited_by": profile.explanation.limited_by,
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
                "INSERT INTO prints"
                " (visit_id, sheet_number, at, printer, result, trusted_at, uid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    found[0] if found else None,
                    sheet_number,
                    iso(at),
                    printer,
                    result,
                    iso(at) if self._observe(db, at) else None,
                    uuid.uuid4().hex,
                ),
            )

    def log_admin(self, action: str, detail: str, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO admin_actions (at, action, detail, trusted_at) VALUES (?, ?, ?, ?)",
                (iso(at), action, detail, iso(at) if self._observe(db, at) else None),
            )

    # ------------------------------------------------------------------ the clock

    def _observe(self, db: sqlite3.Connection, when: datetime) -> bool:
        """Whether a record written at `when` (by the kiosk's clock) is on the trusted
        clock (kiosk.storage.retention); if it is, the trusted time moves up to it."""
        seen = self._clock_seen(db)
        if clock_problem(seen, when) is not None:
            return False
        if seen is None or when > seen:
            self._set_meta(db, "clock_seen", iso(when))
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
                self._set_meta(db, "clock_seen", iso(now))
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

    def purge(self, cutoff: datetime, *, keep_unsynced: bool = False) -> Purged:
        """Delete the rows written before `cutoff`, each dated by the first trusted time
        at or after it in the order rows were written (kiosk.storage.retention: a row
        with no trusted row from it on is kept). Only kiosk.storage.retention calls this,
        after checking the clock. `keep_unsynced`: visits and prints not yet in the fleet
        database stay (and a visit with such a print)."""
        limit = (iso(cutoff),)
        aged = {table: _AGED.format(table=table) for table in ("visits", "prints", "admin_actions")}
        kept = 0
        if keep_unsynced:
            aged["visits"] += (
                " AND synced_at IS NOT NULL AND id NOT IN (SELECT visit_id FROM prints"
                " WHERE synced_at IS NULL AND visit_id IS NOT NULL)"
            )
            aged["prints"] += " AND synced_at IS NOT NULL"
        with self._transaction() as db:
            if keep_unsynced:
                kept = sum(
                    db.execute(
                        f"SELECT COUNT(*) FROM ({_AGED.format(table=table)})"
                        " WHERE synced_at IS NULL",
                        limit,
                    ).fetchone()[0]
                    for table in ("visits", "prints")
                )
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
        return Purged(int(visits), int(prints), int(actions), numbers, int(kept))


__all__ = [
    "DB_FILE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Purged",
    "SessionLog",
    "Stats",
    "StorageError",
    "VisitRecord",
]
