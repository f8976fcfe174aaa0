"""The command line of SPEC §12: argument parsing, and every error as one line + exit code.

Exit status: 0 success; 2 bad input or usage (one line on standard error naming the key
or line, the value and what is accepted); 1 an unexpected failure (one line, details in
the log file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any, NoReturn

from kiosk import __version__, engine
from kiosk.engine.errors import SHOWN_CHARS, AnswerError, DataError, KioskError, shorten
from kiosk.engine.resources import LANGS
from kiosk.files import write_atomic
from kiosk.i18n import translations
from kiosk.settings import (
    Settings,
    SettingsError,
    check_files,
    default_settings,
    load_settings,
    save_settings,
    settings_warnings,
)
from kiosk.storage.sheet_numbers import SheetNumberError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

MAX_ANSWERS_BYTES = 1024 * 1024
"""An answers file is read up to this size (`/dev/zero` must not fill the memory)."""
MAX_LINE_BYTES = 64 * 1024
"""A line of `kiosk score --batch`, without its line end, is read up to this size."""
MAX_INT_DIGITS = 3
"""No answer is a number of more than 3 digits; longer ones are refused unconverted."""


class InputError(KioskError):
    """Bad input that is not an answer: an unreadable file, text that is not JSON."""


class UsageError(KioskError):
    """The command line's words are off."""


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
    parser.set_defaults(func=_cmd_start)
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
    score_cmd.set_defaults(func=_cmd_score)

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
    report_cmd.set_defaults(func=_cmd_report)

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
    shots_cmd.set_defaults(func=_cmd_screenshots)

    check_cmd = commands.add_parser(
        "check-config",
        parents=[common],
        help="validate the data in resources/ and the settings",
        description="Validate the questionnaire data and the settings; print ok or every problem.",
    )
    check_cmd.set_defaults(func=_cmd_check_config)

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
    pin_cmd.set_defaults(func=_cmd_set_pin)
    return parser


def _version_line() -> str:
    return f"kiosk {__version__}"


# ---------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc))
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (AnswerError, InputError, SettingsError, SheetNumberError, UsageError) as exc:
        return _fail(str(exc))
    except DataError as exc:
        return _fail(_data_error_line(exc))
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


def _fail(line: str) -> int:
    print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def _data_error_line(exc: DataError) -> str:
    more = len(exc.problems) - 1
    tail = f" (and {more} more; run kiosk check-config)" if more else ""
    return f"{exc.problems[0]}{tail}"


def _silence_stdout() -> None:
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open until exit


def _settings(args: argparse.Namespace) -> Settings:
    """The settings for this command (validated: a bad file stops it with one line)."""
    return load_settings(getattr(args, "settings", None))


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


# ---------------------------------------------------------------------- commands


def _cmd_start(args: argparse.Namespace) -> int:
    if not (
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or sys.platform in ("win32", "darwin")
    ):
        raise UsageError(
            "kiosk: no display to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "run it on the kiosk's screen, or under a virtual one: xvfb-run kiosk"
        )
    # A bad settings file is shown on the staff-facing error screen, not here.
    from kiosk.ui import run  # noqa: PLC0415 - Qt only for the commands that show screens

    return run(args)


def _cmd_screenshots(args: argparse.Namespace) -> int:
    settings = _settings(args)
    size = _size(args.size)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kiosk.ui.app import ensure_app  # noqa: PLC0415
    from kiosk.ui.screenshots import take_screenshots_aside  # noqa: PLC0415

    ensure_app()
    out: Path = args.out
    lang = args.lang or settings.kiosk.language
    try:
        # A throwaway data folder: the sample visit stays out of the real session log.
        written = take_screenshots_aside(settings, out, lang, size)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot write the screenshots ({exc}); choose another --out"
        ) from None
    print(f"{len(written)} screenshots written to {out}")
    return EXIT_OK


def _size(text: str) -> tuple[int, int]:
    shown = shorten(repr(text))
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(
            f"kiosk screenshots: --size {shown} is not WIDTHxHEIGHT, e.g. 1920x1080"
        ) from None
    if not (320 <= width <= 7680 and 320 <= height <= 7680):
        raise UsageError(
            f"kiosk screenshots: --size {shown} is out of range; expected 320–7680 each"
        )
    return width, height


def _cmd_score(args: argparse.Namespace) -> int:
    # Scoring uses no setting: only a file given with --settings is read (and must be valid).
    if getattr(args, "settings", None) is not None:
        _settings(args)
    questionnaire = engine.load_questionnaire()
    if args.answers is not None:
        label = "standard input" if args.answers == "-" else args.answers
        text = _read_text(args.answers, label)
        profile = engine.score(questionnaire, _parse_json(text, label, questionnaire))
        _print_json(profile.to_json_dict(), sys.stdout)
        return EXIT_OK
    return _score_batch(questionnaire, args.batch)


def _score_batch(questionnaire: engine.Questionnaire, source: str) -> int:
    label = "standard input" if source == "-" else source
    out = sys.stdout
    # Every line starts with the same questionnaire object: encode it once.
    ref = questionnaire.ref
    head = _COMPACT.encode({"id": ref.id, "version": ref.version, "sha256": ref.sha256})
    prefix = '{"questionnaire":' + head + ","
    stream = sys.stdin.buffer if source == "-" else _open_binary(source, label)
    try:
        for number, line in _numbered_lines(stream):
            try:
                profile = engine.score(questionnaire, _parse_json(line, "the line", questionnaire))
            except (AnswerError, InputError) as exc:
                out.flush()
                return _fail(f"line {number}: {exc}")
            data = profile.to_json_dict()
            del data["questionnaire"]
            out.write(prefix + _COMPACT.encode(data)[1:] + "\n")
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    return EXIT_OK


def _numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers; a line that is not UTF-8, or longer
    than MAX_LINE_BYTES, is an error (read no further than that: it may never end)."""
    lines = iter(partial(stream.readline, MAX_LINE_BYTES + 1), b"")
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(
                f"line {number}: is longer than 64 KB; expected one answers object a line"
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"line {number}: is not UTF-8 text; expected one JSON object"
            ) from None
        if line.strip():
            yield number, line


def _cmd_report(args: argparse.Namespace) -> int:
    settings = _settings(args)
    questionnaire = engine.load_questionnaire()
    label = "standard input" if args.answers == "-" else args.answers
    text = _read_text(args.answers, label)
    profile = engine.score(questionnaire, _parse_json(text, label, questionnaire))
    out: Path = args.out
    _check_out(out)
    if not out.parent.is_dir():
        raise InputError(
            f"{out}: its folder {out.parent} does not exist; create it or choose another --out"
        )
    if not os.access(out.parent, os.W_OK):
        raise InputError(f"{out}: its folder {out.parent} is not writable; choose another --out")
    # Imported here: reportlab is only needed by this command.
    from kiosk.issuing import SheetService  # noqa: PLC0415

    lang = args.lang or settings.kiosk.language
    sheet = SheetService(settings, questionnaire).issue(profile, lang, staff_copy=args.staff_copy)
    try:
        write_atomic(out, sheet.pdf)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot be written ({exc.strerror}); free some space or choose another --out"
        ) from None
    print(f"sheet {sheet.number} written to {out}")
    return EXIT_OK


def _cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.pin import PIN_LENGTH, hash_pin, valid_pin  # noqa: PLC0415 - this command only

    settings = _settings(args)
    if settings.path is None:
        raise InputError(
            "kiosk set-pin: the settings file could not be created; give one with --settings"
        )
    pin, again = _ask_secret("staff PIN (6 digits): "), _ask_secret("the same PIN again: ")
    if not valid_pin(pin):
        raise InputError(f"kiosk set-pin: the PIN must be {PIN_LENGTH} digits; nothing changed")
    if pin != again:
        raise InputError("kiosk set-pin: the two PINs differ; nothing changed")
    try:
        save_settings(settings, {"admin": {"pin_hash": hash_pin(pin)}})
    except OSError as exc:
        raise InputError(
            f"{settings.path}: cannot be written ({exc.strerror}); "
            "run as the user who owns the settings file"
        ) from None
    print(f"staff PIN set in {settings.path}")
    return EXIT_OK


def _ask_secret(prompt: str) -> str:
    """One line from the terminal without echo, or from standard input when it is not one."""
    if sys.stdin.isatty():
        import getpass  # noqa: PLC0415

        return getpass.getpass(prompt)
    line = sys.stdin.readline(64)
    return line.rstrip("\r\n")


def _cmd_check_config(args: argparse.Namespace) -> int:
    problems: list[str] = []
    checks: list[Callable[[], object]] = [engine.load_questionnaire]
    checks += [partial(translations, lang) for lang in LANGS]
    for check in checks:
        try:
            check()
        except DataError as exc:
            problems.extend(exc.problems)
    # Imported here: reportlab is only needed to check the sheet's font.
    from kiosk.report import load_logo, register_fonts  # noqa: PLC0415

    try:
        register_fonts()
    except DataError as exc:
        problems.extend(exc.problems)
    warnings: list[str] = []
    try:
        settings = load_settings(getattr(args, "settings", None))
    except SettingsError as exc:
        problems.extend(exc.problems)
    else:
        problems.extend(check_files(settings))
        warnings.extend(settings_warnings(settings))
        logo = Path(settings.branch.logo).expanduser()
        if settings.branch.logo and logo.is_file() and load_logo(logo, 10) is None:
            problems.append(
                f"{settings.path}: branch.logo: {settings.branch.logo!r} cannot be read as a "
                "PNG or SVG image; export it again or leave logo empty"
            )
    if not problems:
        # Worth fixing, but the kiosk works: exit 0 (shown once the problems are fixed).
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print("ok")
        return EXIT_OK
    for problem in problems:
        print(problem)
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"check-config: {len(problems)} {noun} found", file=sys.stderr)
    return EXIT_BAD_INPUT


# ---------------------------------------------------------------------- input/output


def _open_binary(path: str, label: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{label}: file not found; expected a JSON file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a folder; expected a JSON file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None


def _read_text(source: str, label: str) -> str:
    """An answers file (or standard input) of at most MAX_ANSWERS_BYTES, as text."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
    else:
        with _open_binary(source, label) as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
    if len(data) > MAX_ANSWERS_BYTES:
        raise InputError(f"{label}: is larger than 1 MB; expected one answers object (JSON)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{label}: is not UTF-8 text; expected a JSON file") from None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, value in pairs:
            if key in seen:
                raise AnswerError(key, value, "is given twice", "each question answered once")
            seen.add(key)
    return result


class _LongIntegerError(Exception):
    """An integer in the JSON text with more than MAX_INT_DIGITS digits (not converted:
    int() refuses more than 4300 digits, and no answer needs more than 3)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _parse_int(text: str) -> int:
    if len(text) <= MAX_INT_DIGITS or (len(text) == MAX_INT_DIGITS + 1 and text[0] == "-"):
        return int(text)
    raise _LongIntegerError(text)


_PLAIN = json.JSONDecoder(parse_int=_parse_int)
_STRICT = json.JSONDecoder(object_pairs_hook=_reject_duplicates, parse_int=_parse_int)
# Profiles are plain trees: no need to check for circular references.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _parse_json(text: str, label: str, questionnaire: engine.Questionnaire) -> object:
    """Parse one answers object; a key given twice is an error, not "the last one wins",
    and so is an integer of more than MAX_INT_DIGITS digits."""
    try:
        value = _PLAIN.decode(text)
        # Every key is followed by a colon, so as many colons as keys means no key
        # repeats; otherwise (a repeat, or a colon inside a string) parse strictly.
        if isinstance(value, dict) and text.count(":") != len(value):
            value = _STRICT.decode(text)
        return value
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno});"
            " expected one answers object"
        ) from None
    except RecursionError:
        raise InputError(f"{label}: is nested too deeply; expected one answers object") from None
    except _LongIntegerError as exc:
        raise _long_integer_error(text, exc.text, label, questionnaire) from None


def _long_integer_error(
    text: str, number: str, label: str, questionnaire: engine.Questionnaire
) -> InputError:
    """The error for a too long integer, named by its key when it is a key's value, in
    the engine's words when that key is a question (the message a 4-digit age gets)."""
    digits = len(number.lstrip("-"))
    shown = shorten(number) + (f" ({digits} digits)" if len(number) > SHOWN_CHARS else "")
    found = re.search(r'"((?:[^"\\]|\\.)*)"\s*:\s*' + re.escape(number) + r"(?![0-9])", text)
    key = json.loads(f'"{found.group(1)}"') if found else None
    if key is not None and questionnaire.has_question(key):
        question = questionnaire.question(key)
        problem = "is out of range" if question.kind == "number" else "is not an option"
        return InputError(
            f"{shorten(key)}: {shown} {problem}; expected {engine.accepted(question)}"
        )
    where = label if key is None else shorten(key)
    return InputError(
        f"{where}: {shown} has more than {MAX_INT_DIGITS} digits; "
        f"expected integers of at most {MAX_INT_DIGITS} digits"
    )


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_out(out: Path) -> None:
    """--out must be a new name or a regular file (or a link to one): writing it replaces
    the name, and as root that replaced /dev/null with a file."""
    try:
        mode = out.stat().st_mode  # follows a link, to what would be written over
    except FileNotFoundError:  # a new name (or a link to nothing)
        return
    except OSError as exc:
        raise InputError(f"{out}: cannot be used ({exc.strerror}); choose another --out") from None
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    link = "a link to " if out.is_symlink() else ""
    raise InputError(
        f"{out}: is {link}{what}; expected a .pdf file name for --out (a new or a regular file)"
    )


def _print_json(data: dict[str, Any], out: IO[str]) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2))
    out.write("\n")
    out.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
