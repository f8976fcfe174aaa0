"""Taps that arrive too soon are not answers: while an option is highlighted and until a
new screen has been visible for a moment, presses on the screen and its buttons are
dropped, so a double tap never answers a question the client has not seen."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

SETTLE_MS = 300
"""How long a new screen is shown before it takes a tap."""

PRESSES = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
    }
)


class TapGuard(QObject):
    """An application event filter that drops presses on `guarded` widgets (and their
    children) until `settle()`'s time has passed. Releases are let through: a press that
    was dropped leaves nothing for them to complete."""

    def __init__(self, guarded: list[QWidget], clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.guarded = guarded
        self.clock = clock
        self.until = 0.0
        self.dropped = 0

    def settle(self, ms: int = SETTLE_MS) -> None:
        """Take no tap for the next `ms` milliseconds (never shortens a longer wait)."""
        self.until = max(self.until, self.clock() + ms / 1000)

    def settled(self) -> bool:
        return self.clock() >= self.until

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() not in PRESSES or self.settled() or not isinstance(watched, QWidget):
            return False
        if any(guard is watched or guard.isAncestorOf(watched) for guard in self.guarded):
            self.dropped += 1
            return True
        return False
