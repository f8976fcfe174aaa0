"""The touch screens (PySide6 Widgets).

`open_window()` is how the kiosk starts: a BootWindow paints the attract screen first and
builds the rest of the kiosk (the questionnaire, the session log, every other screen) in
its place right after that first paint. `main_window()` builds the kiosk window at once,
for tests and tools. This package imports only what the first screen needs.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.engine.errors import DataError
from kiosk.logs import setup_logging
from kiosk.settings import Settings, SettingsError, default_settings, load_settings
from kiosk.ui.app import ensure_app, load_font
from kiosk.ui.boot import BootWindow
from kiosk.ui.crash import CrashGuard, enable_fault_log
from kiosk.ui.startup_error import StartupErrorWindow

WINDOW_SIZE = (1280, 800)
"""The size of the window outside lockdown (demos and development)."""


def _settings(settings_path: Path | None) -> Settings | StartupErrorWindow:
    """The settings, or the staff-facing error window naming file, key and value (the
    kiosk never starts with a half-read file)."""
    app = ensure_app()
    try:
        load_font(app)  # also when a test framework made the application
        return load_settings(settings_path)
    except (SettingsError, DataError) as exc:
        return StartupErrorWindow(list(exc.problems))


def main_window(settings_path: Path | None = None, *, lockdown: bool = False) -> QWidget:
    """The whole kiosk window, not shown (a QApplication must exist), or the staff-facing
    error window when its settings or data cannot be used."""
    settings = _settings(settings_path)
    if isinstance(settings, StartupErrorWindow):
        return settings
    from kiosk.ui.window import build_window  # noqa: PLC0415 - the attract screen's start waits for none of it

    return build_window(settings, lockdown=lockdown)


def counter_window(settings_path: Path | None = None) -> QWidget:
    """The counter's staff window (SPEC §16, `kiosk counter`), not shown (a QApplication
    must exist), or the staff-facing error window when its settings or data cannot be used."""
    settings = _settings(settings_path)
    if isinstance(settings, StartupErrorWindow):
        return settings
    from kiosk.ui.counter import build_counter  # noqa: PLC0415 - only the counter needs it

    return build_counter(settings)


def open_window(
    settings_path: Path | None = None,
    *,
    lockdown: bool = False,
    size: tuple[int, int] = WINDOW_SIZE,
) -> QWidget:
    """Show the kiosk as it starts for real, full screen in lockdown, else a window of
    `size`: a BootWindow (the attract screen, then the kiosk in its place), or the error
    window when the settings cannot be used."""
    app = ensure_app()
    settings = _settings(settings_path)
    window = settings if isinstance(settings, QWidget) else BootWindow(settings, lockdown=lockdown)
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

    The log file, the crash log and the kiosk itself start after the attract screen's
    first paint; until then Python's messages go to standard error (the journal)."""
    app = ensure_app()
    window = open_window(getattr(args, "settings", None), lockdown=bool(args.lockdown))
    if isinstance(window, BootWindow):
        data = window.settings.data_path

        def prepare() -> None:
            setup_logging(data)
            enable_fault_log(data / "logs")

        window.prepare = prepare
        CrashGuard(lambda: _recover(window)).install()
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
    kiosk = window.kiosk_window() if isinstance(window, BootWindow) else None
    if kiosk is not None:
        kiosk.shutdown()
    return status


def run_counter(args: argparse.Namespace) -> int:
    """`kiosk counter`: show the counter's window (not locked down) until it is closed."""
    app = ensure_app()
    settings = _settings(getattr(args, "settings", None))
    if isinstance(settings, StartupErrorWindow):
        setup_logging(default_settings().data_path)
        window: QWidget = settings
    else:
        setup_logging(settings.data_path)
        from kiosk.ui.counter import build_counter  # noqa: PLC0415

        window = build_counter(settings)
    window.show()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: app.exit(0))
    ticker = QTimer()  # Python sees SIGTERM only between Qt events
    ticker.start(500)
    ticker.timeout.connect(lambda: None)
    status = app.exec()
    window.close()
    return status


def _recover(boot: BootWindow) -> None:
    kiosk = boot.kiosk_window()
    if kiosk is not None:
        kiosk.recover()


__all__ = ["BootWindow", "counter_window", "main_window", "open_window", "run", "run_counter"]
