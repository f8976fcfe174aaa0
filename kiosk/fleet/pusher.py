"""The background pusher: its own thread, never the GUI's, pushes the session log's queue
every `[sync] interval_s` seconds and backs off while the fleet database is away.

After a failure the wait doubles (interval, 2×, 4× … up to BACKOFF_MAX_S), with some
jitter so a branch network's kiosks do not all knock at once when the server returns;
the first push that gets through brings the wait back to the interval and sends the
whole backlog (weeks of it, batch by batch). The first failure is logged as a warning,
the next ones quietly (info), and the return as info.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.fleet.connection import FleetError, kiosk_id
from kiosk.fleet.push import BATCH, PushResult, push

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from kiosk.storage.sessions import SessionLog

log = logging.getLogger("kiosk.fleet")

BACKOFF_MAX_S = 900.0


class Pusher:
    """Pushes `sessions` to the fleet database of `settings` until stopped."""

    def __init__(
        self,
        sessions: SessionLog,
        settings: Settings,
        *,
        interval_s: float | None = None,
        backoff_max_s: float = BACKOFF_MAX_S,
        batch: int = BATCH,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.sessions = sessions
        self.url = settings.sync.url
        self.kiosk_id = kiosk_id(settings)
        self.branch_code = settings.branch.code
        self.interval_s = float(interval_s if interval_s is not None else settings.sync.interval_s)
        self.backoff_max_s = max(backoff_max_s, self.interval_s)
        self.batch = batch
        self.clock = clock
        self.failures = 0
        """Failed tries since the last push that got through."""
        self.failed_tries = 0
        """Failed tries since the start."""
        self.pushed = PushResult()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-fleet", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def push_now(self) -> None:
        """Push at once instead of at the end of the current wait."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the batch in flight (its rows are marked or left queued, both safe)."""
        self._stopped.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def delay(self) -> float:
        """How long to wait before the next push."""
        if self.failures == 0:
            return self.interval_s
        backoff = min(self.interval_s * 2.0 ** min(self.failures, 20), self.backoff_max_s)
        return backoff * random.uniform(0.8, 1.0)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self.push_once()
            self._wake.wait(self.delay())
            self._wake.clear()

    def push_once(self) -> PushResult | None:
        """One push (on the calling thread); None when it failed (logged)."""
        started = time.monotonic()
        try:
            result = push(
                self.sessions,
                self.url,
                self.kiosk_id,
                self.branch_code,
                batch=self.batch,
                clock=self.clock,
                stop=self._stopped.is_set,
            )
        except FleetError as exc:
            self.failures += 1
            self.failed_tries += 1
            if self.failures == 1:
                log.warning("fleet database: %s; the records stay queued and are retried", exc)
            else:
                log.info("fleet database still away (%d tries): %s", self.failures, exc)
            return None
        except Exception:  # the session log closed under it (the kiosk exits), a bug
            if not self._stopped.is_set():
                log.exception("the fleet pusher failed; it tries again later")
                self.failures += 1
            return None
        if self.failures:
            log.info("fleet database reached again after %d failed tries", self.failures)
        self.failures = 0
        self.pushed += result
        if result.batches:
            log.info(
                "pushed %d visits and %d prints to the fleet database in %.1f s",
                result.visits,
                result.prints,
                time.monotonic() - started,
            )
        return result


__all__ = ["BACKOFF_MAX_S", "Pusher"]
