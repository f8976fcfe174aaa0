"""The base of every screen (light: the first screen is built from it before the rest load)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk.ui.texts import Language

if TYPE_CHECKING:
    from kiosk.ui.visit import Visit


class Page(QWidget):
    """A screen: `load(visit)` shows the visit's state; `retranslate()` renews every text."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang
        lang.changed.connect(lambda _lang: self.retranslate())

    def load(self, visit: Visit) -> None:
        self.visit = visit
        self.retranslate()

    def retranslate(self) -> None:
        raise NotImplementedError


__all__ = ["Page"]
