"""The fleet database's tables and their versioned migrations (`kiosk fleet init`).

The version is the highest row of `fleet_schema`. Migrations only add (tables, columns,
indexes), so a kiosk may push into a schema newer than it knows; `kiosk fleet init` of
an older kiosk refuses a newer schema and changes nothing. One transaction per run,
under an advisory lock, so two inits at once never apply a step twice.

Rows are keyed by (kiosk_id, uid): pushing a row twice (`INSERT … ON CONFLICT DO
NOTHING`) never makes two. Times are the kiosk's local clock, as the session log keeps
them; `received_at` is the server's.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from kiosk.fleet.connection import FleetError

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE fleet_visits (
        kiosk_id text NOT NULL,
        visit_uid text NOT NULL,
        branch_code text NOT NULL,
        local_id bigint NOT NULL,
        started_at timestamp NOT NULL,
        ended_at timestamp NOT NULL,
        language text NOT NULL,
        outcome text NOT NULL,
        abandoned_at text,
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        sheet_number text,
        questionnaire_id text,
        questionnaire_version text,
        questionnaire_sha256 text,
        answers jsonb NOT NULL,
        capacity_score smallint,
        capacity_level text,
        attitude_score smallint,
        attitude_level text,
        low_risk smallint,
        medium_risk smallint,
        high_risk smallint,
        life_stage text,
        life_cycle text,
        segment text,
        limited_by text,
        checks text[],
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kiosk_id, visit_uid)
    );
    CREATE INDEX fleet_visits_started_at ON fleet_visits (started_at);
    CREATE TABLE fleet_prints (
        kiosk_id text NOT NULL,
        print_uid text NOT NULL,
        branch_code text NOT NULL,
        local_id bigint NOT NULL,
        visit_uid text,
        sheet_number text NOT NULL,
        at timestamp NOT NULL,
        printer text NOT NULL,
        result text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kiosk_id, print_uid)
    );
    CREATE INDEX fleet_prints_at ON fleet_prints (at);
    """,
    # 2: the report reads only this index (index-only scans, `kiosk fleet report`): a
    # visit's answers (most of its row) stay off its path, whether over a period or all.
    """
    CREATE INDEX fleet_visits_report ON fleet_visits (started_at)
        INCLUDE (branch_code, kiosk_id, outcome, abandoned_at, rating, capacity_level,
                 attitude_level, checks);
    DROP INDEX fleet_visits_started_at;
    """,
    # 3: the counter looks a typed sheet number up in the fleet (kiosk counter, SPEC §16).
    """
    CREATE INDEX fleet_visits_sheet ON fleet_visits (upper(sheet_number))
        WHERE sheet_number IS NOT NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("fleet_visits", "fleet_prints")
GRANTS = (
    "GRANT SELECT ON fleet_schema TO {role}",
    "GRANT SELECT, INSERT ON fleet_visits, fleet_prints TO {role}",
)
"""What a kiosk's role needs, and nothing more (packaging/README.md)."""
_LOCK = 0x6B696F736B  # pg_advisory_xact_lock key of the migrations ("kiosk")
_ROLE = re.compile(r"[A-Za-z_][A-Za-z0-9_$-]{0,62}")


def server_version(conn: psycopg.Connection) -> int:
    """The fleet database's schema version; 0 when `kiosk fleet init` never ran."""
    found = conn.execute("SELECT to_regclass('fleet_schema') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return 0
    row = conn.execute("SELECT max(version) FROM fleet_schema").fetchone()
    return int(row[0] or 0) if row else 0


def check_for_push(conn: psycopg.Connection, where: str) -> None:
    """Raise FleetError unless this kiosk can push into the schema it finds."""
    version = server_version(conn)
    if version < SCHEMA_VERSION:
        raise FleetError(
            f"{where}: the fleet database's schema is version {version}, this kiosk needs "
            f"{SCHEMA_VERSION}; run kiosk fleet init --url URL as its owner"
        )


def init_schema(conn: psycopg.Connection, where: str, grant: str | None = None) -> tuple[int, int]:
    """Create or migrate the schema (and grant `grant` what a kiosk needs); returns
    (version before, version now). A schema newer than this kiosk's is refused, untouched."""
    if grant is not None and not _ROLE.fullmatch(grant):
        raise FleetError(f"--grant: {grant!r} is not a role name; expected letters, digits, _")
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS fleet_schema ("
            " version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        before = server_version(conn)
        if before > SCHEMA_VERSION:
            raise FleetError(
                f"{where}: the fleet database's schema is version {before}, newer than this "
                f"kiosk's {SCHEMA_VERSION}; nothing was changed (use a newer kiosk to migrate)"
            )
        for step in range(before, SCHEMA_VERSION):
            conn.execute(MIGRATIONS[step])
            conn.execute("INSERT INTO fleet_schema (version) VALUES (%s)", (step + 1,))
        if grant is not None:
            for grant_sql in GRANTS:
                conn.execute(sql.SQL(grant_sql).format(role=sql.Identifier(grant)))
    return before, SCHEMA_VERSION


__all__ = ["GRANTS", "MIGRATIONS", "SCHEMA_VERSION", "TABLES", "check_for_push", "init_schema"]
