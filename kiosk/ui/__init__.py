"""The touch screens (PySide6 Widgets). `main_window()` is the entry point tests drive."""

from __future__ import annotations

import argparse
import signal
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.engine import DataError, load_questionnaire
from kiosk.settings import SettingsError, load_settings
from kiosk.storage import SessionLog, StorageError
from kiosk.storage.sessions import DB_FILE
from kiosk.ui.app import ensure_app, load_font
from kiosk.ui.crash import CrashGuard, enable_fault_log


def main_window(settings_path: Path | None = None, *, lockdown: bool = False) -> QWidget:
    """The top-level kiosk widget, not shown (a QApplication must exist).

    With settings or data that cannot be used, a staff-facing error window naming the
    file, key and value instead: the kiosk never starts with a half-read file.
    """
    from kiosk.ui.window import KioskWindow, StartupErrorWindow  # noqa: PLC0415

    app = ensure_app()
    try:
        load_font(app)  # also when a test framework made the application
        settings = load_settings(settings_path)
        questionnaire = load_questionnaire()
        sessions = SessionLog(settings.data_path / DB_FILE)
        sessions.purge(settings.storage.retention_days, datetime.now())
    except (SettingsError, DataError) as exc:
        return StartupErrorWindow(list(exc.problems))
    except StorageError as exc:
        return StartupErrorWindow([str(exc)])
    return KioskWindow(settings, questionnaire, sessions, lockdown=lockdown)


def run(args: argparse.Namespace) -> int:
    """`kiosk` / `kiosk --lockdown`: show the window and run until staff exit."""
    app = ensure_app()
    window = main_window(getattr(args, "settings", None), lockdown=bool(args.lockdown))
    recover = getattr(window, "recover", None)
    if recover is not None:
        CrashGuard(recover).install()
        settings = window.settings  # type: ignore[attr-defined]
        enable_fault_log(settings.data_path / "logs")
    if args.lockdown:
        # Cover the whole screen even where no window manager honours "full screen".
        screen = app.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    # systemctl stop / restart send SIGTERM: leave the event loop so the visit in progress
    # is recorded and every write finishes (Python sees signals only between Qt events).
    signal.signal(signal.SIGTERM, lambda _signum, _frame: app.quit())
    ticker = QTimer()
    ticker.start(500)
    ticker.timeout.connect(lambda: None)
    status = app.exec()
    shutdown = getattr(window, "shutdown", None)
    if shutdown is not None:
        shutdown()
    return status


__all__ = ["main_window", "run"]
