"""The touch screens (PySide6 Widgets).

`open_window()` is how the kiosk starts: the attract screen is painted first and the rest
of the kiosk (the questionnaire, the session log, every other screen) is built right
after that first paint. `main_window()` builds everything at once, for tests and tools.
This package imports only what the first screen needs (see KioskWindow).
"""

from __future__ import annotations

import argparse
import signal
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.engine.errors import DataError
from kiosk.logs import setup_logging
from kiosk.memory import settle_after_start
from kiosk.settings import SettingsError, default_settings, load_settings
from kiosk.ui.app import ensure_app, load_font
from kiosk.ui.crash import CrashGuard, enable_fault_log
from kiosk.ui.window import KioskWindow, StartupErrorWindow

WINDOW_SIZE = (1280, 800)
"""The size of the window outside lockdown (demos and development)."""


def first_stage(settings_path: Path | None = None, *, lockdown: bool = False) -> QWidget:
    """The kiosk window with only its attract screen (not shown; see KioskWindow), or the
    staff-facing error window when the settings or the screen font cannot be used."""
    app = ensure_app()
    try:
        load_font(app)  # also when a test framework made the application
        settings = load_settings(settings_path)
    except (SettingsError, DataError) as exc:
        return StartupErrorWindow(list(exc.problems))
    return KioskWindow(settings, lockdown=lockdown)


def main_window(settings_path: Path | None = None, *, lockdown: bool = False) -> QWidget:
    """The whole kiosk window, not shown (a QApplication must exist).

    With settings or data that cannot be used, a staff-facing error window naming the
    file, key and value instead: the kiosk never starts with a half-read file.
    """
    window = first_stage(settings_path, lockdown=lockdown)
    if isinstance(window, KioskWindow) and not window.ensure_ready():
        assert window.startup_error is not None
        return window.startup_error
    return window


def open_window(
    settings_path: Path | None = None,
    *,
    lockdown: bool = False,
    size: tuple[int, int] = WINDOW_SIZE,
    second_stage: Callable[[KioskWindow], object] = KioskWindow.ensure_ready,
) -> QWidget:
    """Show the kiosk as it starts for real: full screen in lockdown, else a window of
    `size`. The attract screen is painted first; `second_stage(window)` follows in the
    event loop (ensure_ready() runs at once, should a client tap before it)."""
    app = ensure_app()
    window = first_stage(settings_path, lockdown=lockdown)
    if isinstance(window, KioskWindow):
        window.on_first_paint = partial(second_stage, window)
    if lockdown:
        # Cover the whole screen even where no window manager honours "full screen".
        screen = app.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.resize(*size)
        window.show()
    return window


def run(args: argparse.Namespace) -> int:
    """`kiosk` / `kiosk --lockdown`: show the window and run until staff exit.

    The log file, the crash log and the second stage start after the attract screen's
    first paint; until then Python's messages go to standard error (the journal)."""
    app = ensure_app()
    window = open_window(
        getattr(args, "settings", None), lockdown=bool(args.lockdown), second_stage=_second_stage
    )
    if isinstance(window, KioskWindow):
        CrashGuard(window.recover).install()
    else:
        # The settings cannot be used: log next to where the defaults would keep data.
        setup_logging(default_settings().data_path)
    # systemctl stop / restart send SIGTERM: leave the event loop so the visit in progress
    # is recorded and every write finishes (Python sees signals only between Qt events).
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and a locked-down
    # kiosk refuses, so quit() would leave it running until systemd kills it.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: app.exit(0))
    ticker = QTimer()
    ticker.start(500)
    ticker.timeout.connect(lambda: None)
    status = app.exec()
    if isinstance(window, KioskWindow):
        window.shutdown()
    return status


def _second_stage(window: KioskWindow) -> None:
    data = window.settings.data_path
    setup_logging(data)
    enable_fault_log(data / "logs")
    if window.ensure_ready():
        settle_after_start()


__all__ = ["first_stage", "main_window", "open_window", "run"]
