"""What keeps a locked-down kiosk on the glass (`kiosk --lockdown`, SPEC §12)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


class Lockdown(QObject):
    """One guard for the kiosk's top-level window (the boot screen's, then the kiosk's).

    Closing is refused until `released` (staff chose to exit, or the kiosk runs in a
    window); locked down, the window is frameless and on top, every key (Esc, Alt+F4, …)
    does nothing, and it comes back on top when a desktop activates something else (cage,
    the deployment, has nothing else to activate)."""

    def __init__(self, on: bool) -> None:
        super().__init__()
        self.on = on
        self.released = not on

    def guard(self, window: QWidget) -> None:
        if self.on:
            window.setWindowFlags(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.Close and not self.released:
            event.ignore()
            return True
        if not self.on or self.released:
            return False
        if kind in _KEYS:
            event.accept()
            return True
        if (
            kind == QEvent.Type.ActivationChange
            and isinstance(watched, QWidget)
            and watched.isVisible()
            and not watched.isActiveWindow()
        ):
            QTimer.singleShot(0, watched, lambda: self._back_on_top(watched))
        return False

    def _back_on_top(self, window: QWidget) -> None:
        if window.isVisible() and not self.released:
            window.raise_()
            window.activateWindow()


__all__ = ["Lockdown"]
