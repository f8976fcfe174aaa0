"""The command line of SPEC §12: argument parsing, and every error as one line + exit code.

Exit status: 0 success; 2 bad input or usage (one line on standard error naming the key
or line, the value and what is accepted); 1 an unexpected failure (one line, details in
the log file). The commands themselves are in kiosk.commands.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kiosk import __version__
from kiosk.commands import (
    EXIT_FAILURE,
    EXIT_OK,
    InputError,
    UsageError,
    cmd_check_config,
    cmd_counter,
    cmd_report,
    cmd_score,
    cmd_screenshots,
    cmd_set_pin,
    cmd_start,
    cmd_verify,
    fail,
)
from kiosk.commands.segment import cmd_segment
from kiosk.engine.errors import AnswerError, DataError, KioskError
from kiosk.engine.resources import LANGS
from kiosk.settings import SettingsError, default_settings, load_settings
from kiosk.storage.sheet_numbers import SheetNumberError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


# ---------------------------------------------------------------------- parsing


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--settings",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="use this settings file instead of the default location",
    )
    parser = _Parser(
        prog="kiosk",
        description="Branch risk-profile kiosk. Without a command, starts the kiosk window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=_version_line())
    parser.add_argument(
        "--lockdown",
        action="store_true",
        help="full screen, no window frame; only the admin PIN exits",
    )
    parser.set_defaults(func=cmd_start)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    score_cmd = commands.add_parser(
        "score",
        parents=[common],
        help="print the profile of answers as JSON",
        description="Score answers and print the profile (SPEC §10) as JSON.",
    )
    source = score_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--answers", metavar="FILE", help="one answers object (JSON); - reads standard input"
    )
    source.add_argument(
        "--batch",
        metavar="FILE",
        help="JSON Lines of answers in, JSON Lines of profiles out; - reads standard input",
    )
    score_cmd.set_defaults(func=cmd_score)

    report_cmd = commands.add_parser(
        "report",
        parents=[common],
        help="write the recommendation sheet (PDF) without the screen",
        description="Score one answers file and write its recommendation sheet as a PDF.",
    )
    report_cmd.add_argument(
        "--answers",
        metavar="FILE",
        required=True,
        help="one answers object (JSON); - reads standard input",
    )
    report_cmd.add_argument(
        "--out", metavar="FILE.pdf", required=True, type=Path, help="where to write the PDF"
    )
    report_cmd.add_argument(
        "--lang", choices=LANGS, help="the sheet's language (default: the settings' kiosk.language)"
    )
    report_cmd.add_argument(
        "--staff-copy",
        action="store_true",
        help="add a second page for staff (segment, service strategy)",
    )
    report_cmd.set_defaults(func=cmd_report)

    shots_cmd = commands.add_parser(
        "screenshots",
        parents=[common],
        help="render every screen of the wizard to PNG files, offscreen",
        description="Walk a sample visit offscreen and save a PNG of every screen.",
    )
    shots_cmd.add_argument(
        "--out", metavar="DIR", required=True, type=Path, help="folder for the PNGs"
    )
    shots_cmd.add_argument(
        "--lang", choices=LANGS, help="the screens' language (default: settings)"
    )
    shots_cmd.add_argument(
        "--size", default="1920x1080", help="window size WIDTHxHEIGHT (default 1920x1080)"
    )
    shots_cmd.set_defaults(func=cmd_screenshots)

    check_cmd = commands.add_parser(
        "check-config",
        parents=[common],
        help="validate the data in resources/ and the settings",
        description="Validate the questionnaire data and the settings; print ok or every problem.",
    )
    check_cmd.set_defaults(func=cmd_check_config)

    verify_cmd = commands.add_parser(
        "verify",
        parents=[common],
        help="check a sheet code (the sheet's QR) and print its profile",
        description=(
            "Check a sheet code (SPEC §16) against [branch] sheet_key and print "
            '{"sheet", "signature", "profile"} as one JSON line; a refused code exits 2 '
            "with one line naming the problem."
        ),
    )
    verify_cmd.add_argument(
        "code",
        metavar="CODE|-",
        help="the code (RP1:…), or - for one code a line from standard input (a USB scanner)",
    )
    verify_cmd.set_defaults(func=cmd_verify)

    counter_cmd = commands.add_parser(
        "counter",
        parents=[common],
        help="open the staff window for the branch counter (scan a sheet's QR)",
        description=(
            "Open the counter's staff window (SPEC §16): scan a sheet's QR code or type a "
            "sheet number to see the whole profile, verified, and print the staff copy."
        ),
    )
    counter_cmd.set_defaults(func=cmd_counter)

    segment_cmd = commands.add_parser(
        "segment",
        parents=[common],
        help="segment a branch's client list (CSV or XLSX) by capital and turnover",
        description=(
            "Read a client list (CSV in UTF-8 or GB18030/GBK, or XLSX) with the columns "
            "client_ref, capital_cny, turnover (or 客户编号, 资产(元), 年周转率) and write the "
            "same rows with segment, key_client, service_level and services added (SPEC §17)."
        ),
    )
    segment_cmd.add_argument(
        "--in",
        dest="in_file",
        metavar="FILE",
        required=True,
        type=Path,
        help="the client list (.csv or .xlsx)",
    )
    segment_cmd.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        type=Path,
        help="where to write the segmented list (CSV in UTF-8 with BOM for CSV, XLSX for XLSX)",
    )
    segment_cmd.add_argument(
        "--summary",
        metavar="FILE.pdf",
        type=Path,
        help="also write a one-page summary (the 3 x 3 table and the service plan)",
    )
    segment_cmd.add_argument(
        "--lang",
        choices=LANGS,
        help="the language of the service names and the summary (default: settings)",
    )
    segment_cmd.add_argument(
        "--skip-bad",
        metavar="REJECTS",
        type=Path,
        help="write bad rows, with their reason, to this file and go on (default: stop)",
    )
    segment_cmd.set_defaults(func=cmd_segment)

    pin_cmd = commands.add_parser(
        "set-pin",
        parents=[common],
        help="set the 6-digit staff PIN (asked twice)",
        description=(
            "Ask for the staff PIN twice (from the terminal, or two lines on standard input) "
            "and store its scrypt hash in the settings file. Until a PIN is set, a "
            "locked-down kiosk has no staff access."
        ),
    )
    pin_cmd.set_defaults(func=cmd_set_pin)
    _add_fleet_commands(commands, common)
    return parser


def _add_fleet_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`kiosk sync --once`, `kiosk fleet init`, `kiosk fleet report` (SPEC §18)."""
    sync_cmd = commands.add_parser(
        "sync",
        parents=[common],
        help="push the session log's records to the fleet database now",
        description=(
            "Push every visit and print attempt not yet in the fleet database ([sync] url), "
            "then print what was pushed. Safe to run while the kiosk runs."
        ),
    )
    sync_cmd.add_argument("--once", action="store_true", required=True, help="push once and exit")
    sync_cmd.add_argument("--url", help="this PostgreSQL URI instead of [sync] url")
    sync_cmd.add_argument("--batch", type=int, help="records a transaction (default 2500)")
    sync_cmd.set_defaults(func=_fleet_command("cmd_sync"))
    fleet_cmd = commands.add_parser(
        "fleet",
        help="the fleet database: create its schema, report on it",
        description="The bank's fleet database of every kiosk's records (SPEC §18).",
    )
    fleet = fleet_cmd.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    fleet_cmd.set_defaults(func=lambda _args: _usage(fleet_cmd))
    init_cmd = fleet.add_parser(
        "init",
        help="create or migrate the fleet database's schema",
        description=(
            "Create or migrate the fleet tables (versioned; a newer schema is refused and "
            "left as it is). Run it as the tables' owner."
        ),
    )
    init_cmd.add_argument("--url", required=True, help="PostgreSQL URI (the owner's role)")
    init_cmd.add_argument(
        "--grant", metavar="ROLE", help="also grant this kiosks' role SELECT and INSERT"
    )
    init_cmd.set_defaults(func=_fleet_command("cmd_fleet_init"))
    report_cmd = fleet.add_parser(
        "report",
        help="visits, outcomes, ratings, levels and checks per branch and kiosk",
        description="Count the fleet database per branch and kiosk.",
    )
    report_cmd.add_argument("--url", required=True, help="PostgreSQL URI")
    report_cmd.add_argument("--days", type=int, help="only visits of the last N days")
    report_cmd.add_argument("--json", action="store_true", help="one JSON document")
    report_cmd.set_defaults(func=_fleet_command("cmd_fleet_report"))


def _fleet_command(name: str) -> Callable[[argparse.Namespace], int]:
    """A fleet command, imported when run: only these commands load psycopg."""

    def run(args: argparse.Namespace) -> int:
        from kiosk.commands import fleet  # noqa: PLC0415

        command: Callable[[argparse.Namespace], int] = getattr(fleet, name)
        return command(args)

    run.__name__ = name
    return run


def _usage(parser: argparse.ArgumentParser) -> int:
    raise UsageError(f"{parser.prog}: a command is needed (see {parser.prog} --help)")


def _version_line() -> str:
    return f"kiosk {__version__}"


# ---------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return fail(str(exc))
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (AnswerError, InputError, SettingsError, SheetNumberError, UsageError) as exc:
        return fail(str(exc))
    except DataError as exc:
        return fail(_data_error_line(exc))
    except BrokenPipeError:
        # The reader went away (`kiosk score --batch … | head`): stop quietly.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        where = _log_failure(args)
        print(
            f"kiosk: unexpected error ({type(exc).__name__}: {exc}); details in {where}",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _data_error_line(exc: DataError) -> str:
    more = len(exc.problems) - 1
    tail = f" (and {more} more; run kiosk check-config)" if more else ""
    return f"{exc.problems[0]}{tail}"


def _silence_stdout() -> None:
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open until exit


def _log_failure(args: argparse.Namespace) -> Path:
    """Write the current exception's details to the log file in the data folder."""
    import logging  # noqa: PLC0415 - only a failure needs it

    from kiosk.logs import log_file, setup_logging  # noqa: PLC0415

    try:
        settings = load_settings(getattr(args, "settings", None))
    except KioskError:
        settings = default_settings()
    setup_logging(settings.data_path)
    logging.getLogger("kiosk.cli").exception("unexpected failure in %s", args.func.__name__)
    return log_file(settings.data_path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
