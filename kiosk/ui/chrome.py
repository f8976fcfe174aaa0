"""The window's chrome around the current screen: the header (branch, progress, larger
text, languages) and the footer (back / next). They show what the window tells them; the
window connects their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from kiosk.i18n import language_names
from kiosk.ui.widgets import ElidedLabel, button, label, set_state

if TYPE_CHECKING:
    from kiosk.flow import Progress
    from kiosk.ui.texts import Language

CORNER_SIZE = 96
"""The staff's hidden corner, over the header's left end."""


class Header(QFrame):
    def __init__(self, branch: str) -> None:
        super().__init__()
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(CORNER_SIZE + 12, 10, 24, 10)
        row.setSpacing(12)
        # Shortened with "…" when the header is narrow (portrait, large text, English).
        self.branch_label = ElidedLabel(branch, "header.branch")
        self.progress = label("", "", "header.progress", wrap=False)
        row.addWidget(self.branch_label)
        row.addStretch(1)
        row.addWidget(self.progress)
        row.addStretch(1)
        self.large_button = button("text.large", "lang")
        row.addWidget(self.large_button)
        self.lang_buttons: dict[str, QPushButton] = {}
        for code, text in language_names().items():
            choice = button(f"lang.{code}", "lang", text)
            self.lang_buttons[code] = choice
            row.addWidget(choice)

    def show_state(self, lang: Language, progress: Progress | None, large_text: bool) -> None:
        """The progress in the language, and which text size and language are current."""
        _ = lang.gettext
        if progress is None:
            self.progress.setText("")
        else:
            text = _("Optional {number} of {total}") if progress.optional else None
            text = text or _("Question {number} of {total}")
            self.progress.setText(text.format(number=progress.number, total=progress.total))
        self.large_button.setText(_("Larger text"))
        set_state(self.large_button, "current", large_text)
        for code, choice in self.lang_buttons.items():
            set_state(choice, "current", code == lang.lang)


class Footer(QFrame):
    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(100, 8, 100, 24)  # at 1920×1080; fit() follows the screen
        self.back_button = button("nav.back")
        self.next_button = button("nav.next", "primary")
        self.back_button.setMinimumWidth(260)
        self.next_button.setMinimumWidth(320)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.next_button)

    def show_buttons(self, back: bool, forward: bool, enabled: bool) -> None:
        self.setVisible(back)
        self.back_button.setVisible(back)
        self.next_button.setVisible(forward)
        self.next_button.setEnabled(enabled)

    def retranslate(self, lang: Language) -> None:
        _ = lang.gettext
        self.back_button.setText(_("‹ Back"))
        self.next_button.setText(_("Next ›"))
        # Names for assistive technology where the text is not one (arrows).
        self.back_button.setAccessibleName(_("Back"))
        self.next_button.setAccessibleName(_("Next"))

    def fit(self, width: int) -> None:
        """The same side margins as the question pages (kiosk.ui.pages.QuestionPage)."""
        side = max(24, round(width * 0.052))
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(side, 8, side, side * 24 // 100)
