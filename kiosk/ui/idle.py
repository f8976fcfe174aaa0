"""Idle: no touch for `idle_timeout_s` → a countdown overlay → the visit is wiped."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.engine.resources import default_resources_dir
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent

log = logging.getLogger("kiosk.idle")

CHIME = default_resources_dir() / "sounds" / "attention.wav"
"""A soft two-note chime (made by scripts/make_chime.py)."""

TOUCH_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


PLAYERS = ("pw-play", "paplay", "aplay")
"""Command-line players tried in turn (PipeWire, PulseAudio, ALSA): no sound library is
loaded into the kiosk, and a system without any stays silent."""


def play_chime() -> bool:
    """Start the chime in the background; False where the system has no player."""
    for name in PLAYERS:
        player = shutil.which(name)
        if player is None:
            continue
        try:
            subprocess.Popen(
                [player, str(CHIME)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            log.info("the idle chime could not be played with %s: %s", name, exc)
            continue
        return True
    return False


class CountdownOverlay(QFrame):
    """Covers the window: "Are you still there?", the seconds left, and Continue; a tap
    anywhere on it continues too, and it chimes when it appears."""

    tapped = Signal()

    def __init__(self, parent: QWidget, lang: Language) -> None:
        super().__init__(parent)
        self.setObjectName("idle.countdown")
        self.lang = lang
        self.seconds = 0
        self.announced = 0
        outer = QVBoxLayout(self)
        box = QFrame()
        box.setProperty("role", "card")
        box.setMaximumWidth(900)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(60, 40, 60, 40)
        inner.setSpacing(24)
        self.title = label("", "title")
        self.count = label("", "big", "idle.seconds", wrap=False)
        self.explain = label("", "help")
        self.resume = button("idle.continue", "primary")
        for widget in (self.title, self.count, self.explain):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(widget)
        inner.addWidget(self.resume)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        lang.changed.connect(lambda _lang: self.retranslate())
        self.hide()

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Are you still there?"))
        self.count.setText(str(self.seconds))
        self.explain.setText(
            _("To protect your privacy, your answers will be cleared when the count reaches 0.")
        )
        self.resume.setText(_("Continue"))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A tap anywhere on the overlay means "I am still here", like its button."""
        event.accept()
        self.tapped.emit()

    def announce(self) -> None:
        """A soft chime where the system has sound (the client may be looking away)."""
        self.announced += 1
        play_chime()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()


class IdleWatcher(QObject):
    """Watches every touch in the application; runs the idle timer and the countdown."""

    expired = Signal()

    def __init__(
        self,
        overlay: CountdownOverlay,
        timeout_s: int,
        countdown_s: int,
        active: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.overlay = overlay
        self.countdown_s = countdown_s
        self.active = active
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_s * 1000)
        self.timer.timeout.connect(self.start_countdown)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        overlay.resume.clicked.connect(self.resume)
        overlay.tapped.connect(self.resume)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in TOUCH_EVENTS and not self.overlay.isVisible():
            self.poke()
        return False

    def poke(self) -> None:
        """A touch: restart the idle timer (only during a visit)."""
        if self.active():
            self.timer.start()
        else:
            self.timer.stop()

    def start_countdown(self) -> None:
        if not self.active():
            return
        self.overlay.seconds = self.countdown_s
        self.overlay.retranslate()
        self.overlay.cover()
        self.overlay.show()
        self.overlay.announce()
        self.ticker.start()

    def resume(self) -> None:
        self.ticker.stop()
        self.overlay.hide()
        self.poke()

    def stop(self) -> None:
        self.timer.stop()
        self.ticker.stop()
        self.overlay.hide()

    def _tick(self) -> None:
        self.overlay.seconds -= 1
        self.overlay.retranslate()
        if self.overlay.seconds <= 0:
            self.stop()
            self.expired.emit()
