"""The screen's language: one signal when it changes; every page re-translates itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.i18n import texts

if TYPE_CHECKING:
    from kiosk.engine import Text


class Language(QObject):
    changed = Signal(str)

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._lang = lang
        self._gettext: Callable[[str], str] = texts(lang)

    @property
    def lang(self) -> str:
        return self._lang

    def set(self, lang: str) -> None:
        if lang != self._lang:
            self._lang = lang
            self._gettext = texts(lang)
            self.changed.emit(lang)

    def gettext(self, message: str) -> str:
        """An interface text (English msgid) in the current language."""
        return self._gettext(message)

    def data(self, text: Text) -> str:
        """A data text (questionnaire, tables) in the current language."""
        return text.get(self._lang)
