"""`kiosk sync --once`, `kiosk fleet init` and `kiosk fleet report` (SPEC §18).

A fleet database that cannot be reached, or refuses, is one line on standard error and
exit status 1 (the records stay queued); a bad argument exits 2.
"""

from __future__ import annotations

import argparse
import sys

import psycopg

from kiosk.commands.common import EXIT_FAILURE, EXIT_OK, UsageError, settings_for
from kiosk.fleet.connection import FleetError, connect, first_line, kiosk_id
from kiosk.fleet.push import BATCH, push
from kiosk.fleet.report import fleet_report
from kiosk.fleet.schema import init_schema
from kiosk.settings import redact_uri
from kiosk.storage.session_schema import DB_FILE
from kiosk.storage.sessions import SessionLog


def cmd_sync(args: argparse.Namespace) -> int:
    """Push the session log's queue now and say what was pushed."""
    settings = settings_for(args)
    url = args.url or settings.sync.url
    if not url:
        raise UsageError(
            "kiosk sync: no fleet database: set [sync] url in the settings or give --url URL"
        )
    batch = int(args.batch or BATCH)
    if batch < 1:
        raise UsageError(f"kiosk sync: --batch {batch} is not accepted; expected 1 or more")
    sessions = SessionLog(settings.data_path / DB_FILE)
    try:
        who = kiosk_id(settings)
        try:
            result = push(sessions, url, who, settings.branch.code, batch=batch)
        except FleetError as exc:
            print(f"kiosk sync: {exc}; the records stay queued", file=sys.stderr)
            return EXIT_FAILURE
        state = sessions.sync_state()
    finally:
        sessions.close()
    known = result.visits_known + result.prints_known
    print(
        f"pushed {result.visits} visits and {result.prints} print attempts as {who} "
        f"to {redact_uri(url)}"
        + (f" ({known} were there already)" if known else "")
        + f"; waiting: {state.waiting_visits} visits, {state.waiting_prints} print attempts"
    )
    return EXIT_OK


def cmd_fleet_init(args: argparse.Namespace) -> int:
    """Create or migrate the fleet database's schema."""
    try:
        with connect(args.url) as conn:
            before, now = init_schema(conn, redact_uri(args.url), grant=args.grant)
    except FleetError as exc:
        print(f"kiosk fleet init: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    where = redact_uri(args.url)
    if before == now:
        print(f"{where}: the fleet schema is at version {now} (nothing to do)")
    else:
        print(f"{where}: the fleet schema went from version {before} to {now}")
    if args.grant:
        print(f"granted {args.grant} SELECT and INSERT on the fleet tables")
    return EXIT_OK


def cmd_fleet_report(args: argparse.Namespace) -> int:
    """Print the report per branch and kiosk, as text or JSON."""
    if args.days is not None and args.days < 1:
        raise UsageError(
            f"kiosk fleet report: --days {args.days} is not accepted; expected 1 or more"
        )
    try:
        with connect(args.url) as conn:
            report = fleet_report(conn, args.days)
    except FleetError as exc:
        print(f"kiosk fleet report: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except psycopg.Error as exc:  # a database without the schema, a role without rights
        print(
            f"kiosk fleet report: {redact_uri(args.url)}: {first_line(exc)} "
            "(run kiosk fleet init --url URL first?)",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    print(report.to_json() if args.json else report.text())
    return EXIT_OK


__all__ = ["cmd_fleet_init", "cmd_fleet_report", "cmd_sync"]
