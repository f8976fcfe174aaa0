"""`kiosk check-config` (the questionnaire data, the catalogues, the font, the settings
and the logo, every problem on its own line) and `kiosk set-pin`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kiosk import engine
from kiosk.commands.common import EXIT_BAD_INPUT, EXIT_OK, InputError, settings_for
from kiosk.engine.errors import DataError
from kiosk.engine.resources import LANGS
from kiosk.i18n import translations
from kiosk.settings import (
    SettingsError,
    check_files,
    load_settings,
    save_settings,
    settings_warnings,
)


def cmd_check_config(args: argparse.Namespace) -> int:
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


def cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.pin import PIN_LENGTH, hash_pin, valid_pin  # noqa: PLC0415 - this command only

    settings = settings_for(args)
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
