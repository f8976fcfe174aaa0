"""The kiosk's first moment: the attract screen alone, on the glass before anything else
loads; then the whole kiosk (kiosk.ui.window, built from the questionnaire and the
session log) takes its place inside the same top-level window, or the staff-facing error
screen when the data cannot be used.

This module imports only what the attract screen needs: the kiosk window's modules (the
other screens, the session log, printing, the sheet) load in `complete()`, after the
first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.settings import Settings
from kiosk.ui.app import screen_scale, style_sheet
from kiosk.ui.attract import AttractPage
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.startup_error import StartupErrorWindow
from kiosk.ui.texts import Language

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent, QResizeEvent

    from kiosk.ui.window import KioskWindow


class BootWindow(QWidget):
    """The top-level window of `kiosk`: the attract screen first, then the kiosk in it.

    `complete()` builds the kiosk once: after the first paint, or at once when a client
    taps the attract screen before that (their visit then starts as tapped)."""

    completed = Signal(QWidget)
    """The kiosk window, or the error window, now inside this one."""

    def __init__(self, settings: Settings, *, lockdown: bool) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.setWindowTitle("风险测评 · Risk profile")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.settings = settings
        self.lockdown = Lockdown(lockdown)
        self.lockdown.guard(self)
        self.prepare: Callable[[], object] = lambda: None
        """Runs just before the kiosk is built (`kiosk` starts its log files there)."""
        self.kiosk: QWidget | None = None
        self._painted = False
        self.attract = AttractPage(Language(settings.kiosk.language), settings.branch.name)
        self.attract.retranslate()
        self.attract.started.connect(self._tapped)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attract)

    @property
    def ready(self) -> bool:
        """Whether the kiosk (or its error screen) has taken the attract screen's place."""
        return self.kiosk is not None

    def complete(self) -> QWidget:
        """Build the kiosk and put it in the attract screen's place (once)."""
        if self.kiosk is not None:
            return self.kiosk
        from kiosk.ui.window import build_window  # noqa: PLC0415 - the boot step's point

        self.prepare()
        kiosk = build_window(self.settings, lockdown=self.lockdown)
        if isinstance(kiosk, StartupErrorWindow):
            self.lockdown.released = True  # staff must be able to close the error screen
        self.kiosk = kiosk
        layout = self.layout()
        assert layout is not None
        layout.replaceWidget(self.attract, kiosk)
        layout.activate()  # sized and styled before it is first shown: the swap is unseen
        self.attract.hide()
        self.attract.deleteLater()
        kiosk.show()
        self.completed.emit(kiosk)
        return kiosk

    def kiosk_window(self) -> KioskWindow | None:
        """The kiosk window once built (None before, or when it could not start)."""
        from kiosk.ui.window import KioskWindow  # noqa: PLC0415 - loaded by complete()

        return self.kiosk if isinstance(self.kiosk, KioskWindow) else None

    def _tapped(self, lang: str) -> None:
        # Once the tap is over: the kiosk replaces the attract screen the client touched.
        QTimer.singleShot(0, self, lambda: self._start(lang))

    def _start(self, lang: str) -> None:
        self.complete()
        window = self.kiosk_window()
        if window is not None:
            window.start_visit(lang)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.complete)  # after this paint reached the screen

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.kiosk is None:
            scale = screen_scale(self.width(), self.height())
            self.setStyleSheet(style_sheet(self.settings.kiosk.large_text, scale))


__all__ = ["BootWindow"]
