"""Reaching the fleet database: the connection (with time limits, so a server or network
that stops answering never holds the pusher), the kiosk's name in it, and FleetError,
whose message names the server without its password."""

from __future__ import annotations

import socket

import psycopg

from kiosk.engine.errors import KioskError
from kiosk.settings import Settings, redact_uri

CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 120_000


class FleetError(KioskError):
    """The fleet database cannot be used now; says which and why (never the password)."""


def kiosk_id(settings: Settings) -> str:
    """This kiosk's name in the fleet database: [sync] kiosk_id, else the branch code and
    the host name."""
    return settings.sync.kiosk_id or f"{settings.branch.code}-{socket.gethostname()}"


def connect(url: str) -> psycopg.Connection:
    """A connection to `url` (a PostgreSQL URI); FleetError when it cannot be made.

    In autocommit mode: each `conn.transaction()` block is then a transaction of its own
    that has committed when the block ends (not a savepoint of one left open)."""
    try:
        return psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="branch-risk-kiosk",
            options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
    except psycopg.ProgrammingError as exc:  # a URI libpq cannot read
        raise FleetError(f"{redact_uri(url)}: not a PostgreSQL URI ({first_line(exc)})") from None
    except psycopg.Error as exc:
        raise FleetError(f"{redact_uri(url)}: cannot connect ({first_line(exc)})") from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["FleetError", "connect", "first_line", "kiosk_id"]
