"""One push: the session log's queue into the fleet database, batch by batch.

Each batch is one server transaction: first a `COPY` of its visits and prints (about
twice as fast as an INSERT), which the server's unique keys (kiosk id, uid) refuse as a
whole when any of its rows is there already (a batch pushed before whose marks were
lost, or another pusher of the same log at the same time); then that batch goes again
as `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`, which skips the rows the
server has. Only once the server committed are the rows marked synced in the session
log. Whatever dies in between (the server, the network, the kiosk) leaves them queued,
and the next push sends them again, which the keys make a no-op. The network is never
touched with the session log's lock held.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import psycopg

from kiosk.fleet.connection import FleetError, connect, first_line
from kiosk.fleet.schema import check_for_push
from kiosk.settings import redact_uri
from kiosk.storage.sync_queue import PRINT_COLUMNS, VISIT_COLUMNS, Queued

if TYPE_CHECKING:
    from kiosk.storage.sessions import SessionLog

log = logging.getLogger("kiosk.fleet")

BATCH = 2500
"""Visits (and prints) a batch: one server transaction, one local one (each commit of
the session log waits for the disk: fewer, larger batches catch up faster)."""

# Each queued column's array type on the server; the server's name for it.
_VISIT_TYPES = {
    "uid": "text",
    "id": "bigint",
    "started_at": "timestamp",
    "ended_at": "timestamp",
    "rating": "smallint",
    "answers": "jsonb",
    "capacity_score": "smallint",
    "attitude_score": "smallint",
    "low_risk": "smallint",
    "medium_risk": "smallint",
    "high_risk": "smallint",
    "checks": "text",  # each an array literal, {"id","id"} (_checks), cast per row
}
_PRINT_TYPES = {"uid": "text", "id": "bigint", "at": "timestamp"}
_SERVER_NAMES = {"uid": None, "id": "local_id"}


def _insert(table: str, key: str, columns: tuple[str, ...], types: dict[str, str]) -> str:
    names = [_SERVER_NAMES.get(c, c) or key for c in columns]
    values = [f"u.{c}::text[]" if c == "checks" else f"u.{c}" for c in columns]
    arrays = ", ".join(f"%b::{types.get(c, 'text')}[]" for c in columns)  # binary: no escaping
    return (
        f"INSERT INTO {table} (kiosk_id, branch_code, {', '.join(names)})"
        f" SELECT %s, %s, {', '.join(values)}"
        f" FROM unnest({arrays}) AS u({', '.join(columns)})"
        f" ON CONFLICT (kiosk_id, {key}) DO NOTHING"
    )


INSERT_VISITS = _insert("fleet_visits", "visit_uid", VISIT_COLUMNS, _VISIT_TYPES)
INSERT_PRINTS = _insert("fleet_prints", "print_uid", PRINT_COLUMNS, _PRINT_TYPES)


@dataclass(frozen=True)
class PushResult:
    """What one push sent: rows the server took, and rows it already had (a row pushed
    before whose mark was lost)."""

    visits: int = 0
    prints: int = 0
    visits_known: int = 0
    prints_known: int = 0
    batches: int = 0

    def __add__(self, other: PushResult) -> PushResult:
        return PushResult(
            self.visits + other.visits,
            self.prints + other.prints,
            self.visits_known + other.visits_known,
            self.prints_known + other.prints_known,
            self.batches + other.batches,
        )


def push(
    sessions: SessionLog,
    url: str,
    kiosk_id: str,
    branch_code: str,
    *,
    batch: int = BATCH,
    clock: Callable[[], datetime] = datetime.now,
    stop: Callable[[], bool] = lambda: False,
) -> PushResult:
    """Send every queued record (until `stop()` says so between batches); FleetError when
    the fleet database cannot be reached or refuses. With nothing queued the server is not
    asked. An attempt that reached it, or failed, is kept in the session log (meta
    `sync`) for the staff panel."""
    try:
        result = _push(sessions, url, kiosk_id, branch_code, batch=batch, clock=clock, stop=stop)
    except FleetError as exc:
        sessions.note_sync(clock(), str(exc))
        raise
    if result.batches:
        sessions.note_sync(clock(), None)
    return result


def _push(
    sessions: SessionLog,
    url: str,
    kiosk_id: str,
    branch_code: str,
    *,
    batch: int,
    clock: Callable[[], datetime],
    stop: Callable[[], bool],
) -> PushResult:
    where = redact_uri(url)
    total = PushResult()
    queued = sessions.queued(batch)
    if queued.empty:
        return total
    with connect(url) as conn:
        try:
            check_for_push(conn, where)
            while not queued.empty:
                total += _send(conn, queued, kiosk_id, branch_code)
                sessions.mark_synced(queued, clock())  # only after the server's commit
                if stop():
                    break
                queued = sessions.queued(batch)
        except psycopg.Error as exc:
            raise FleetError(f"{where}: the push stopped ({first_line(exc)})") from None
    return total


def _send(conn: psycopg.Connection, queued: Queued, kiosk_id: str, branch: str) -> PushResult:
    try:
        with conn.transaction(), conn.cursor() as cursor:
            for statement, rows, columns in (
                (COPY_VISITS, queued.visits, VISIT_COLUMNS),
                (COPY_PRINTS, queued.prints, PRINT_COLUMNS),
            ):
                if rows:
                    with cursor.copy(statement) as copy:
                        for row in _copy_rows(kiosk_id, branch, rows, columns):
                            copy.write_row(row)
        return PushResult(len(queued.visits), len(queued.prints), 0, 0, 1)
    except psycopg.errors.UniqueViolation:
        pass  # some of it is there already: row by row, skipping those
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute(INSERT_VISITS, _arrays(kiosk_id, branch, queued.visits, VISIT_COLUMNS))
        visits = max(cursor.rowcount, 0)
        cursor.execute(INSERT_PRINTS, _arrays(kiosk_id, branch, queued.prints, PRINT_COLUMNS))
        prints = max(cursor.rowcount, 0)
    return PushResult(
        visits,
        prints,
        len(queued.visits) - visits,
        len(queued.prints) - prints,
        1,
    )


def _copy(table: str, key: str, columns: tuple[str, ...]) -> str:
    names = [_SERVER_NAMES.get(c, c) or key for c in columns]
    return f"COPY {table} (kiosk_id, branch_code, {', '.join(names)}) FROM STDIN"


COPY_VISITS = _copy("fleet_visits", "visit_uid", VISIT_COLUMNS)
COPY_PRINTS = _copy("fleet_prints", "print_uid", PRINT_COLUMNS)


def _copy_rows(
    kiosk_id: str, branch: str, rows: tuple[tuple[object, ...], ...], columns: tuple[str, ...]
) -> list[tuple[object, ...]]:
    checks = columns.index("checks") if "checks" in columns else -1
    return [
        (kiosk_id, branch, *(_checks(v) if n == checks else v for n, v in enumerate(row)))
        for row in rows
    ]


def _arrays(
    kiosk_id: str, branch: str, rows: tuple[tuple[object, ...], ...], columns: tuple[str, ...]
) -> list[object]:
    if not rows:
        return [kiosk_id, branch, *([] for _ in columns)]
    arrays: list[list[object]] = [list(column) for column in zip(*rows, strict=True)]
    if "checks" in columns:
        where = columns.index("checks")
        arrays[where] = [_checks(value) for value in arrays[where]]
    return [kiosk_id, branch, *arrays]


def _checks(stored: object) -> str | None:
    """The session log's JSON list of check ids as a PostgreSQL array literal."""
    if stored is None:
        return None
    ids = json.loads(str(stored))
    return "{" + ",".join(json.dumps(str(check)) for check in ids) + "}"


__all__ = ["BATCH", "PushResult", "push"]
