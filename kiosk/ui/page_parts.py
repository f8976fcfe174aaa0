"""What the screens of a visit share: an answer as the client reads it, a scroll area a
finger can drag, a card, and the statement page (a title, a paragraph, buttons)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Question
from kiosk.ui.page import Page
from kiosk.ui.texts import Language
from kiosk.ui.widgets import label
from kiosk.wording import answer


def answer_text(lang: Language, question: Question, value: int | str | None) -> str:
    """An answer as the client reads it."""
    if value is None:
        return lang.gettext("Not answered")
    return answer(question, value, lang.lang)


def touch_scroll(content: QWidget) -> QScrollArea:
    """A scroll area that a finger can drag (large text on a small screen may need it)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    # Not a stop of its own for the keyboard or a screen reader (an unnamed frame): focus
    # goes to the controls inside, and the area scrolls to show them.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "card")
    return frame


class StatementPage(Page):
    """A title, a paragraph and a row of buttons (stretch factors given with them)."""

    def __init__(self, lang: Language, buttons: list[tuple[QPushButton, int]]) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 60, 120, 60)
        layout.setSpacing(28)
        self.title = label("", "title")
        self.body = label("")
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        row = QHBoxLayout()
        for widget, stretch in buttons:
            row.addWidget(widget, stretch)
        layout.addLayout(row)
        layout.addStretch(1)


__all__ = ["StatementPage", "answer_text", "card", "touch_scroll"]
