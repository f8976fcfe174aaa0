"""Slow work off the GUI thread: `tasks.run(fn, on_done, on_error)`.

The work never touches a widget; its result (or exception) comes back to the GUI thread
through a queued signal. One worker, so sheet building, printing and database writes
happen in the order they were asked for. Tests may swap in `SyncTasks`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger("kiosk.tasks")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Tasks(QObject):
    _finished = Signal(object, object, object)  # callback, value, error

    def __init__(self) -> None:
        super().__init__()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-task")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.pending = 0
        self.closed = False

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        if self.closed:
            log.warning("a task after shutdown was dropped: %r", work)
            return
        self.pending += 1
        future = self.executor.submit(work)
        future.add_done_callback(lambda f: self._report(f, on_done, on_error))

    def write(self, work: Callable[[], Any]) -> None:
        """Work whose result nobody waits for (the session log's writes): a failure is
        logged, nothing else happens."""
        self.run(work, _ignore, _log_failure)

    def _report(self, future: Future[Any], on_done: Done, on_error: Failed) -> None:
        error = future.exception()
        if error is None:
            self._finished.emit(on_done, future.result(), None)
        else:
            self._finished.emit(on_error, None, error)

    def _deliver(self, callback: Callable[[Any], None], value: Any, error: Any) -> None:
        self.pending -= 1
        callback(error if error is not None else value)

    def shutdown(self) -> None:
        """Finish the work already asked for; later tasks are dropped."""
        self.closed = True
        self.executor.shutdown(wait=True)


class SyncTasks(Tasks):
    """Runs the work at once, in the caller's thread (for tests that need determinism)."""

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        try:
            value = work()
        except Exception as exc:  # the same contract as the threaded runner
            log.debug("task failed: %s", exc)
            on_error(exc)
        else:
            on_done(value)


def _ignore(_value: object) -> None:
    pass


def _log_failure(error: BaseException) -> None:
    log.error("a background task failed: %s", error, exc_info=error)
