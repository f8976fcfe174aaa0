"""Slow work off the GUI thread, on two workers that never wait for each other.

- `tasks.log`: the session log's single writer. Every SQLite write (visits, prints,
  staff actions, purges) runs here, one at a time, in the order it was asked for
  (`tasks.log.write(work)`); the staff panel's statistics are read here too
  (`tasks.log.run(work, on_done, on_error)`), so they count every write asked before.
- `tasks.devices`: printing and sheet building (reportlab, the number, the outbox),
  CUPS/IPP status, files on USB drives, diagnostics (`tasks.devices.run(...)`). Any of
  it may wait a minute (a stuck printer, a slow drive); the session log's writes never
  queue behind it.

Work never touches a widget; its result (or exception) comes back on the GUI thread
through a queued signal, unless the workers' owner (the kiosk window) has been deleted
meanwhile: then it is dropped, and no callback reaches a deleted widget. Work on the
devices worker never writes the session log: the caller writes what happened
(`tasks.log.write`) once the result is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger("kiosk.tasks")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Worker(QObject):
    """One thread: its work runs in the order it was asked for; results come back on the
    thread that made the worker (the GUI thread)."""

    _finished = Signal(object, object, object)  # callback, value, error

    def __init__(self, name: str, owner: QObject | None = None) -> None:
        super().__init__(owner)
        self.name = name
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.pending = 0
        """Work asked for whose result has not been delivered yet (GUI thread only)."""
        self.closed = False

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        if self.closed:
            log.warning("a task after shutdown was dropped (%s): %r", self.name, work)
            return
        self.pending += 1
        future = self.executor.submit(work)
        future.add_done_callback(lambda f: self._report(f, on_done, on_error))

    def write(self, work: Callable[[], Any]) -> None:
        """Work whose result nobody waits for: a failure is logged, nothing else happens."""
        self.run(work, _ignore, _log_failure)

    def _report(self, future: Future[Any], on_done: Done, on_error: Failed) -> None:
        if not shiboken6.isValid(self):
            return  # deleted with its owner: nobody is left to tell
        error = future.exception()
        if error is None:
            self._finished.emit(on_done, future.result(), None)
        else:
            self._finished.emit(on_error, None, error)

    def _deliver(self, callback: Callable[[Any], None], value: Any, error: Any) -> None:
        self.pending -= 1
        callback(error if error is not None else value)

    def shutdown(self) -> None:
        """Finish the work already asked for; later work is dropped."""
        self.closed = True
        self.executor.shutdown(wait=True)


class Tasks:
    """The kiosk's two workers: `log` (the session log's writer) and `devices`."""

    def __init__(self, owner: QObject | None = None) -> None:
        self.log = Worker("kiosk-log", owner)
        self.devices = Worker("kiosk-devices", owner)

    @property
    def pending(self) -> int:
        """Work on either worker whose result has not come back yet."""
        return self.log.pending + self.devices.pending

    @property
    def closed(self) -> bool:
        return self.log.closed

    def shutdown(self) -> None:
        """Finish the work already asked for (the session log's writes first, so that a
        printer that never answers cannot keep them from the disk); later work is
        dropped."""
        self.devices.closed = True
        self.log.shutdown()
        self.devices.shutdown()


def _ignore(_value: object) -> None:
    pass


def _log_failure(error: BaseException) -> None:
    log.error("a background task failed: %s", error, exc_info=error)
