"""The attract screen: what the lobby sees between visits, and the first thing painted.

It imports only Qt, the catalogues and the small widget helpers, so the kiosk can show
it before the questionnaire and the other screens are loaded (see KioskWindow.complete).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout

from kiosk.i18n import in_every_language, language_names, texts
from kiosk.ui.page import Page
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label


def _(message: str) -> str:
    """Marks a text for the catalogue where it is translated later (in_every_language)."""
    return message


class AttractPage(Page):
    """The waiting screen: the whole screen is the start button; two language buttons."""

    started = Signal(str)

    def __init__(self, lang: Language, branch_name: str) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.start = button("attract.start")
        self.start.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.start)
        inner = QVBoxLayout(self.start)
        inner.setContentsMargins(80, 80, 80, 80)
        inner.setSpacing(30)
        self.branch = label(branch_name, "title")
        self.branch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_zh = label(texts("zh_CN")(_("Touch the screen to start")), "big")
        self.hint_en = label(texts("en")(_("Touch the screen to start")), "hint")
        self.what = label("", "help")
        for widget in (self.branch, self.hint_zh, self.hint_en, self.what):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addStretch(2)
        inner.addWidget(self.branch)
        inner.addStretch(1)
        inner.addWidget(self.hint_zh)
        inner.addWidget(self.hint_en)
        inner.addWidget(self.what)
        inner.addStretch(1)
        languages = QHBoxLayout()
        languages.addStretch(1)
        self.lang_buttons = {}
        for code, text in language_names().items():
            choice = button(f"attract.lang.{code}", "primary", text)
            choice.setMinimumWidth(260)
            choice.clicked.connect(lambda _=False, code=code: self.started.emit(code))
            self.lang_buttons[code] = choice
            languages.addWidget(choice)
        languages.addStretch(1)
        inner.addLayout(languages)
        inner.addStretch(2)
        self.start.clicked.connect(lambda: self.started.emit(""))

    def retranslate(self) -> None:
        # Both languages at once: the client has not chosen yet.
        self.what.setText(
            in_every_language(
                _("A three-minute risk questionnaire, for reference only"), separator=" · "
            )
        )
        # The whole screen is the start button: named by what it says, in both languages.
        self.setAccessibleName(self.branch.text())
        self.start.setAccessibleName(in_every_language(_("Touch the screen to start"), " · "))
        self.start.setAccessibleDescription(self.what.text())
        for code, choice in self.lang_buttons.items():
            # Each language's button says what it does in its own language.
            choice.setAccessibleDescription(texts(code)(_("Start in this language")))

    def first_control(self) -> QPushButton:
        """Where a screen reader's focus goes when the screen appears."""
        return self.start


__all__ = ["AttractPage"]
