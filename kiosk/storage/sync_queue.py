"""The session log as the fleet database's queue (SPEC §18).

Visits and print attempts not yet in the fleet database have `synced_at` NULL. Each row
has a random `uid`, given when it is recorded (rows from before the queue get theirs
before their first push), so every push of it carries the same key: the fleet
database's unique key (kiosk id, uid) makes a second push of a row a no-op. A row is
marked synced only after the fleet database committed it; a kiosk killed in between
pushes it again, harmlessly.

SyncQueue is mixed into kiosk.storage.sessions.SessionLog, which gives it the connection,
`_reading()` and `_transaction()` (the lock, and the check for a replaced file). The
pusher (kiosk.fleet) calls it from its own thread; the lock keeps it out of the log
worker's transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from kiosk.storage.session_schema import iso

VISIT_COLUMNS = (
    "uid",
    "id",
    "started_at",
    "ended_at",
    "language",
    "outcome",
    "abandoned_at",
    "rating",
    "sheet_number",
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
)
"""The columns of a queued visit, in the order of `Queued.visits`' tuples (`checks`: the
JSON list of SPEC §15.3's check ids, NULL for visits recorded before the kiosk kept them)."""
PRINT_COLUMNS = ("uid", "id", "visit_uid", "sheet_number", "at", "printer", "result")
"""The columns of a queued print attempt (`visit_uid`: its visit's, when it is known)."""


@dataclass(frozen=True)
class Queued:
    """One batch of records waiting for the fleet database, oldest first."""

    visits: tuple[tuple[object, ...], ...]
    prints: tuple[tuple[object, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.visits and not self.prints


@dataclass(frozen=True)
class SyncState:
    """What the staff panel says about the fleet database."""

    waiting_visits: int
    waiting_prints: int
    last_success: datetime | None
    """When a push last reached the fleet database (None: never)."""
    last_attempt: datetime | None
    error: str | None
    """Why the latest push failed (None: it did not)."""

    @property
    def waiting(self) -> int:
        return self.waiting_visits + self.waiting_prints


class SyncQueue:
    """What the pusher asks of the session log (mixed into SessionLog)."""

    def _reading(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # SessionLog's

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # SessionLog's

    def queued(self, limit: int) -> Queued:
        """Up to `limit` visits and `limit` print attempts not yet synced, each with its uid."""
        with self._reading() as db:
            unnamed = any(
                db.execute(
                    f"SELECT 1 FROM {table} WHERE synced_at IS NULL AND uid IS NULL LIMIT 1"
                ).fetchone()
                for table in ("visits", "prints")
            )
        # Every queued row gets its uid at once (one write, then reads only); a row
        # recorded meanwhile waits for the next batch.
        if unnamed:
            with self._transaction() as db:
                for table in ("visits", "prints"):
                    db.execute(
                        f"UPDATE {table} SET uid = lower(hex(randomblob(16)))"
                        " WHERE synced_at IS NULL AND uid IS NULL"
                    )
        with self._reading() as db:
            visits = db.execute(
                f"SELECT {', '.join(VISIT_COLUMNS)} FROM visits"
                " WHERE synced_at IS NULL AND uid IS NOT NULL ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
            prints = db.execute(
                "SELECT p.uid, p.id, v.uid, p.sheet_number, p.at, p.printer, p.result"
                " FROM prints AS p LEFT JOIN visits AS v ON v.id = p.visit_id"
                " WHERE p.synced_at IS NULL AND p.uid IS NOT NULL ORDER BY p.id LIMIT ?",
                (limit,),
            ).fetchall()
        return Queued(tuple(map(tuple, visits)), tuple(map(tuple, prints)))

    def mark_synced(self, batch: Queued, at: datetime) -> None:
        """The fleet database committed `batch`: its rows leave the queue."""
        when = iso(at)

        def keys(rows: Iterable[tuple[object, ...]]) -> list[tuple[str, object, object]]:
            return [(when, row[1], row[0]) for row in rows]  # (synced_at, id, uid)

        with self._transaction() as db:
            db.executemany(
                "UPDATE visits SET synced_at = ? WHERE id = ? AND uid = ?", keys(batch.visits)
            )
            db.executemany(
                "UPDATE prints SET synced_at = ? WHERE id = ? AND uid = ?", keys(batch.prints)
            )

    def note_sync(self, at: datetime, error: str | None) -> None:
        """Keep the outcome of a push attempt for the staff panel (meta `sync`)."""
        with self._transaction() as db:
            found = db.execute("SELECT value FROM meta WHERE key = 'sync'").fetchone()
            note = _note(found[0] if found else None)
            note["last_attempt"] = iso(at)
            note["error"] = error
            if error is None:
                note["last_success"] = iso(at)
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('sync', ?)", (json.dumps(note),)
            )

    def sync_state(self) -> SyncState:
        with self._reading() as db:
            visits = db.execute("SELECT COUNT(*) FROM visits WHERE synced_at IS NULL").fetchone()
            prints = db.execute("SELECT COUNT(*) FROM prints WHERE synced_at IS NULL").fetchone()
            found = db.execute("SELECT value FROM meta WHERE key = 'sync'").fetchone()
        note = _note(found[0] if found else None)
        return SyncState(
            int(visits[0]),
            int(prints[0]),
            _when(note.get("last_success")),
            _when(note.get("last_attempt")),
            str(note["error"]) if note.get("error") else None,
        )


def _note(text: str | None) -> dict[str, object]:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _when(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


__all__ = ["PRINT_COLUMNS", "VISIT_COLUMNS", "Queued", "SyncQueue", "SyncState"]
