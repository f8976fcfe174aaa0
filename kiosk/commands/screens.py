"""The commands that show screens: `kiosk` itself (the kiosk window), `kiosk counter`
(the staff window at the branch counter) and `kiosk screenshots` (every screen of a
sample visit as PNG, offscreen). Qt is imported only when one of them runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.commands.common import EXIT_OK, InputError, UsageError, settings_for
from kiosk.engine.errors import shorten


def _need_display(what: str, where: str, command: str) -> None:
    if not (
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or sys.platform in ("win32", "darwin")
    ):
        raise UsageError(
            f"kiosk: no display to show {what} on (DISPLAY and WAYLAND_DISPLAY are unset); "
            f"run it on {where}, or under a virtual one: xvfb-run {command}"
        )


def cmd_start(args: argparse.Namespace) -> int:
    _need_display("the kiosk", "the kiosk's screen", "kiosk")
    # A bad settings file is shown on the staff-facing error screen, not here.
    from kiosk.ui import run  # noqa: PLC0415 - Qt only for the commands that show screens

    return run(args)


def cmd_counter(args: argparse.Namespace) -> int:
    """`kiosk counter`: the staff window at the branch counter (SPEC §16), in a normal
    window; a bad settings file is shown on the staff-facing error screen."""
    _need_display("the counter", "the counter's screen", "kiosk counter")
    from kiosk.ui import run_counter  # noqa: PLC0415 - Qt only for the commands that show screens

    return run_counter(args)


def cmd_screenshots(args: argparse.Namespace) -> int:
    settings = settings_for(args)
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
