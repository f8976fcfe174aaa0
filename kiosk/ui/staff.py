"""Staff on the kiosk: the hidden corner (five taps on the start screen open the PIN pad),
the PIN and its journal, the staff panel, the staff-action log and the daily purge of old
session records. The window shows the screens; this object decides who may reach them."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.flow import ATTRACT, Event
from kiosk.settings import SettingsError, load_settings, save_settings
from kiosk.storage.retention import purge_old_records
from kiosk.ui.admin import CornerTaps, PinGuard, PinPage
from kiosk.ui.admin_panel import AdminPanel

if TYPE_CHECKING:
    from kiosk.fleet.pusher import Pusher
    from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.ui")

CORNER_PAUSE_MS = 600
"""A tap on the hidden corner not followed by another this soon was a client's."""
PURGE_EVERY_MS = 24 * 3600 * 1000


class StaffAccess(QObject):
    """The PIN pad and the staff panel of one kiosk window, and the way to them."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.corner_taps = CornerTaps()
        self.corner_pause = QTimer(self)
        self.corner_pause.setSingleShot(True)
        self.corner_pause.setInterval(CORNER_PAUSE_MS)
        self.corner_pause.timeout.connect(self._lone_corner_tap)
        failures, locked_until = window.sessions.pin_state()
        self.pin_guard = PinGuard(
            window.settings.admin.pin_hash,
            failures=failures,
            locked_until=locked_until.timestamp() if locked_until else 0.0,
            journal=self._pin_event,
        )
        self.pin_page = PinPage(window.lang, self.pin_guard)
        self.pin_page.unlocked.connect(self._unlocked)
        self.pin_page.cancelled.connect(lambda: window.go(Event.PIN_CANCEL))
        self.pin_page.pin_set.connect(self._save_pin)
        self.admin_panel = AdminPanel(
            window.lang,
            window.questionnaire,
            tasks=window.tasks,
            sessions=window.sessions,
            settings=lambda: window.settings,
            save=lambda changes: save_settings(window.settings, changes),
        )
        self.admin_panel.back.connect(lambda: window.go(Event.STAFF_DONE))
        self.admin_panel.exit_requested.connect(window.exit_to_desktop)
        self.admin_panel.change_pin.connect(self._change_pin)
        self.admin_panel.settings_saved.connect(window.settings_saved)
        # Old session records go now (on the log worker, before any visit's write) and daily.
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_EVERY_MS)
        self.purge_timer.timeout.connect(self.purge)
        self.purge_timer.start()
        self.purge()
        self.pusher = self._start_pusher()

    def _start_pusher(self) -> Pusher | None:
        """The fleet database's pusher (SPEC §18), on its own thread; None when [sync] url
        is empty. Imported only then: psycopg is for kiosks of a fleet."""
        window = self.window
        if not window.settings.sync.url:
            return None
        from kiosk.fleet.pusher import Pusher  # noqa: PLC0415

        pusher = Pusher(window.sessions, window.settings)
        pusher.start()
        return pusher

    def stop_sync(self) -> None:
        """Stop the pusher before the session log closes (the kiosk exits)."""
        if self.pusher is not None:
            self.pusher.stop()

    def corner_tapped(self) -> None:
        """Five taps on the start screen open the PIN pad; never during a client's visit.

        Without a PIN (set by the installer or `kiosk set-pin`) a locked-down kiosk has no
        staff access at all; a kiosk in a window asks for one to be set on the pad."""
        window = self.window
        if window.visit.screen != ATTRACT:
            return
        if not self.corner_taps.tap():
            # The corner lies over the start screen: a lone tap there starts a visit too.
            self.corner_pause.start()
            return
        self.corner_pause.stop()
        if not self.pin_guard.stored:
            self._reload_pin_hash()
        if window.lockdown.on and not self.pin_guard.stored:
            log.warning("staff corner tapped, but no staff PIN is set (kiosk set-pin)")
            return
        window.go(Event.CORNER)

    def _lone_corner_tap(self) -> None:
        if self.window.visit.screen == ATTRACT and len(self.corner_taps.taps) == 1:
            self.corner_taps.taps = []
            self.window.start_visit("")

    def _reload_pin_hash(self) -> None:
        """Take the PIN hash in the settings file now (`kiosk set-pin` may have set it
        since the start), so that the staff panel's saves keep it too."""
        settings = self.window.settings
        if settings.path is None:
            return
        try:
            admin = load_settings(settings.path).admin
        except SettingsError as exc:
            log.error("cannot read the staff PIN from the settings: %s", exc)
            return
        self.window.settings = replace(settings, admin=admin)
        self.pin_guard.stored = admin.pin_hash

    def _pin_event(self, action: str, detail: str) -> None:
        log.warning("staff PIN pad: %s %s", action, detail)
        self.log(action, detail)

    def _save_pin(self, pin_hash: str) -> None:
        try:
            self.window.settings = save_settings(
                self.window.settings, {"admin": {"pin_hash": pin_hash}}
            )
            self.log("pin_set", "")
        except (OSError, SettingsError) as exc:
            # The PIN still works until the kiosk restarts; staff see why it was not kept.
            log.error("could not save the PIN hash: %s", exc)
            self.admin_panel.notice.setText(
                self.window.lang.gettext("The new PIN could not be saved: {reason}").format(
                    reason=exc
                )
            )

    def _unlocked(self) -> None:
        self.log("unlock", "")
        self.window.go(Event.UNLOCKED)

    def _change_pin(self) -> None:
        self.window.go(Event.CHANGE_PIN)  # Cancel on the pad goes back to the staff panel
        self.pin_page.open(setup=True)

    def purge(self) -> None:
        """Delete session records, their sheets and the staff's exports older than
        storage.retention_days, if the clock can be trusted (kiosk.storage.retention; in
        the log worker; a refusal is logged and shown in the staff panel)."""
        window = self.window
        sessions, data = window.sessions, window.settings.data_path
        days, now = window.settings.storage.retention_days, datetime.now()
        keep = bool(window.settings.sync.url)  # what the fleet database has not got yet
        window.tasks.log.write(
            lambda: purge_old_records(sessions, data, days, now, keep_unsynced=keep)
        )

    def log(self, action: str, detail: str) -> None:
        """Keep a staff action in the session log (on the log worker)."""
        at, sessions = datetime.now(), self.window.sessions
        self.window.tasks.log.write(lambda: sessions.log_admin(action, detail, at))


__all__ = ["StaffAccess"]
