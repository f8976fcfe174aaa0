"""Crash safety: an exception anywhere in the screens is logged, never shown to the client,
and the kiosk goes back to the attract screen (a sheet already made is in the outbox)."""

from __future__ import annotations

import faulthandler
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QTimer

log = logging.getLogger("kiosk.crash")

CRASH_FILE = "crash.log"


class CrashGuard:
    """Installed as sys.excepthook: log the exception, then recover on the event loop."""

    def __init__(self, recover: Callable[[], None], clock: Callable[[], float] = time.monotonic):
        self.recover = recover
        self.clock = clock
        self.crashes: list[float] = []
        self.previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        sys.excepthook = self.previous

    def handle(
        self,
        kind: type[BaseException],
        value: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        now = self.clock()
        self.crashes = [t for t in self.crashes if now - t < 60] + [now]
        log.critical(
            "unexpected error in the screens (%d in the last minute); back to the start",
            len(self.crashes),
            exc_info=(kind, value, traceback),
        )
        QTimer.singleShot(0, self._recover)

    def _recover(self) -> None:
        try:
            self.recover()
        except Exception:  # recovery itself failed: log it, the screen stays as it is
            log.critical("recovery after an error failed", exc_info=True)


def enable_fault_log(log_folder: Path) -> IO[str] | None:
    """Hard crashes (segfaults, aborts) leave their stack in logs/crash.log."""
    try:
        log_folder.mkdir(parents=True, exist_ok=True)
        handle = (log_folder / CRASH_FILE).open("a", encoding="utf-8")
    except OSError:
        return None
    faulthandler.enable(handle)
    return handle
