"""Staff access: the hidden corner, the PIN pad (set on first unlock, locked after five
wrong tries) and the admin screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.pin import PIN_LENGTH, hash_pin, valid_pin, verify_pin
from kiosk.ui.page import Page
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
MAX_TRIES = 5
LOCKOUT_S = 300


class CornerTaps:
    """Five taps within three seconds on the hidden corner open the PIN pad."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.taps: list[float] = []

    def tap(self) -> bool:
        now = self.clock()
        self.taps = [t for t in self.taps if now - t <= CORNER_WINDOW_S] + [now]
        if len(self.taps) >= CORNER_TAPS:
            self.taps = []
            return True
        return False


class PinGuard:
    """Checks PINs against the stored hash; five wrong ones lock the pad for five minutes.

    The clock is wall time (seconds since the epoch), so that a lockout kept in the
    session log still holds after a restart: `failures` and `locked_until` come from
    there, and `journal(action, detail)` records each wrong PIN ("pin_wrong") and each
    lockout ("pin_locked", with its end as an ISO time)."""

    def __init__(
        self,
        stored: str,
        clock: Callable[[], float] = time.time,
        *,
        failures: int = 0,
        locked_until: float = 0.0,
        journal: Callable[[str, str], object] = lambda _action, _detail: None,
    ) -> None:
        self.stored = stored
        self.clock = clock
        self.failures = failures
        self.locked_until = locked_until
        self.journal = journal

    @property
    def needs_setup(self) -> bool:
        return not self.stored

    def locked_for(self) -> int:
        """Whole seconds until the pad opens again (0 = open)."""
        return max(0, int(self.locked_until - self.clock() + 0.999))

    def check(self, pin: str) -> bool:
        if self.locked_for() or not self.stored:
            return False
        if verify_pin(pin, self.stored):
            self.failures = 0
            return True
        self.failures += 1
        self.journal("pin_wrong", f"{self.failures} of {MAX_TRIES}")
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = self.clock() + LOCKOUT_S
            until = datetime.fromtimestamp(self.locked_until).isoformat(timespec="seconds")
            self.journal("pin_locked", until)
        return False


class PinPage(Page):
    """The PIN pad. Sets a PIN (entered twice) when none exists, else verifies it."""

    unlocked = Signal()
    cancelled = Signal()
    pin_set = Signal(str)
    """The new PIN's scrypt hash, for the window to save in the settings."""

    def __init__(self, lang: Language, guard: PinGuard) -> None:
        super().__init__(lang)
        self.guard = guard
        self.entry = ""
        self.first = ""
        self.mode = "verify"
        self.note: Callable[[Callable[[str], str]], str] = lambda _: ""
        body = QHBoxLayout(self)
        body.setContentsMargins(100, 30, 100, 30)
        body.setSpacing(60)
        layout = QVBoxLayout()
        layout.setSpacing(16)
        self.title = label("", "title", "admin.pin.title")
        self.dots = label("", "value", "admin.pin.dots", wrap=False)
        self.message = label("", "help", "admin.pin.message")
        for widget in (self.title, self.dots, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys: list[QPushButton] = []
        for index, key in enumerate(
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        ):
            key_button = button(f"admin.pin.key.{key}", "key", key)
            if key == "ok":
                key_button.setObjectName("admin.pin.ok")
                key_button.setProperty("role", "primary")
                key_button.clicked.connect(self._ok)
            elif key == "clear":
                key_button.setObjectName("admin.pin.clear")
                key_button.clicked.connect(self._clear)
            else:
                key_button.clicked.connect(lambda _=False, digit=key: self._typed(digit))
            grid.addWidget(key_button, index // 3, index % 3)
            self.keys.append(key_button)
        self.cancel = button("admin.pin.cancel", "quiet")
        self.cancel.clicked.connect(self.cancelled.emit)
        layout.addStretch(1)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignLeft)
        body.addLayout(layout, 3)
        body.addLayout(grid, 2)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.retranslate)

    def open(self, *, setup: bool = False) -> None:
        """Show the pad fresh: setup when asked or when no PIN is stored, else verification."""
        self.entry = self.first = ""
        self.mode = "setup" if setup or self.guard.needs_setup else "verify"
        self.note = lambda _: ""
        self.ticker.start()
        self.retranslate()

    def close_pad(self) -> None:
        self.ticker.stop()
        self.entry = self.first = ""

    def retranslate(self) -> None:
        _ = self.lang.gettext
        titles = {
            "setup": _("Set a 6-digit staff PIN"),
            "confirm": _("Enter the new PIN again"),
            "verify": _("Staff PIN"),
        }
        self.title.setText(titles[self.mode])
        self.dots.setText("●" * len(self.entry) + "○" * (PIN_LENGTH - len(self.entry)))
        locked = self.guard.locked_for()
        for key in self.keys:
            key.setEnabled(not locked)
        if locked:
            minutes, seconds = divmod(locked, 60)
            self.message.setText(
                _("Too many wrong PINs. Try again in {minutes}:{seconds:02d}.").format(
                    minutes=minutes, seconds=seconds
                )
            )
        else:
            self.message.setText(self.note(_))
        self.keys[9].setText(_("Clear"))
        self.keys[11].setText(_("OK"))
        self.cancel.setText(_("Cancel"))

    def _typed(self, digit: str) -> None:
        if len(self.entry) < PIN_LENGTH:
            self.entry += digit
        self.retranslate()

    def _clear(self) -> None:
        self.entry = ""
        self.retranslate()

    def _ok(self) -> None:
        pin, self.entry = self.entry, ""
        if not valid_pin(pin):
            self.note = lambda _: _("The PIN has 6 digits.")
        elif self.mode == "setup":
            self.first, self.mode = pin, "confirm"
            self.note = lambda _: ""
        elif self.mode == "confirm":
            if pin == self.first:
                self.guard.stored = hash_pin(pin)
                self.pin_set.emit(self.guard.stored)
                self.unlocked.emit()
                return
            self.first, self.mode = "", "setup"
            self.note = lambda _: _("The two PINs differ. Please start again.")
        elif self.guard.check(pin):
            self.unlocked.emit()
            return
        else:
            self.note = lambda _: _("Wrong PIN.")
        self.retranslate()
