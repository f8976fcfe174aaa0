"""The other screens of a visit: consent, the introduction to the optional questions,
the review of the answers, and what follows the result (printing, a message, the
rating, thanks)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Questionnaire
from kiosk.ui.page import Page
from kiosk.ui.page_parts import StatementPage, answer_text, touch_scroll
from kiosk.ui.texts import Language
from kiosk.ui.visit import Visit
from kiosk.ui.widgets import button, label

# ---------------------------------------------------------------------- consent


def _(message: str) -> str:
    """Marks a text for the catalogue where it is translated later (in_every_language)."""
    return message


class ConsentPage(StatementPage):
    accepted = Signal()
    declined = Signal()

    def __init__(self, lang: Language) -> None:
        self.accept = button("consent.accept", "primary")
        self.decline = button("consent.decline")
        super().__init__(lang, [(self.decline, 1), (self.accept, 2)])
        self.accept.clicked.connect(self.accepted.emit)
        self.decline.clicked.connect(self.declined.emit)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Before we begin"))
        self.body.setText(
            _(
                "This short questionnaire takes about three minutes. It suggests how you might "
                "spread your savings by risk, for your reference only; it is not investment "
                "advice. We do not ask your name, ID or phone number, and nothing that "
                "identifies you is kept."
            )
        )
        self.accept.setText(_("I agree, let's start"))
        self.decline.setText(_("No, thank you"))
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(self.body.text())


class OptionalIntroPage(StatementPage):
    """Introduces the optional questions, which may all be skipped."""

    skipped_all = Signal()

    def __init__(self, lang: Language) -> None:
        self.skip_all = button("optional.skip_all")
        super().__init__(lang, [(self.skip_all, 1)])
        self.skip_all.clicked.connect(self.skipped_all.emit)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Five optional questions"))
        self.body.setText(
            _(
                "They help us describe your family's stage of life and the services that suit "
                "you. Each one can be skipped. Tap Next to answer them."
            )
        )
        self.skip_all.setText(_("Skip them and see my answers"))
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(self.body.text())


# ---------------------------------------------------------------------- review


class ReviewPage(Page):
    """Every answer, each with a button to change it."""

    edit = Signal(str)
    confirmed = Signal()

    def __init__(self, lang: Language, questionnaire: Questionnaire) -> None:
        super().__init__(lang)
        self.questionnaire = questionnaire
        layout = QVBoxLayout(self)
        layout.setContentsMargins(100, 24, 100, 16)
        layout.setSpacing(14)
        self.title = label("", "title")
        layout.addWidget(self.title)
        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        self.rows: dict[str, tuple[QLabel, QLabel, QPushButton]] = {}
        for index, question in enumerate(questionnaire.questions):
            text = label("", "help")
            answer = label("")
            change = button(f"review.edit.{question.id}", "quiet")
            change.clicked.connect(lambda _=False, qid=question.id: self.edit.emit(qid))
            grid.addWidget(text, index, 0)
            grid.addWidget(answer, index, 1)
            grid.addWidget(change, index, 2)
            self.rows[question.id] = (text, answer, change)
        layout.addWidget(touch_scroll(rows), 1)
        self.confirm = button("review.confirm", "primary")
        self.confirm.clicked.connect(self.confirmed.emit)
        layout.addWidget(self.confirm)

    def load(self, visit: Visit) -> None:
        self.confirm.setEnabled(True)
        super().load(visit)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Please check your answers"))
        self.setAccessibleName(self.title.text())
        self.confirm.setText(_("These are right: show my result"))
        answers = getattr(self, "visit", None)
        for question in self.questionnaire.questions:
            text, answer, change = self.rows[question.id]
            text.setText(self.lang.data(question.text))
            value = answers.answers.get(question.id) if answers else None
            answer.setText(answer_text(self.lang, question, value))
            change.setText(_("Change"))
            change.setAccessibleName(_("Change: {question}").format(question=text.text()))


# ---------------------------------------------------------------------- after the result


class PrintingPage(Page):
    """While the sheet is made and printed: a calm note that stays alive (dots move)."""

    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(140, 80, 140, 80)
        self.message = label("", "title", "printing.message")
        self.dots = label("", "big", "printing.dots", wrap=False)
        self.note = label("", "help")
        for widget in (self.message, self.dots, self.note):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.dots)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.kind = "print"
        self.step = 0
        self.ticker = QTimer(self)
        self.ticker.setInterval(400)
        self.ticker.timeout.connect(self._tick)

    def start(self, kind: str) -> None:
        self.kind = kind
        self.step = 0
        self.retranslate()
        self.ticker.start()

    def stop(self) -> None:
        self.ticker.stop()

    def _tick(self) -> None:
        self.step = (self.step + 1) % 4
        self.dots.setText("● " * (self.step + 1) + "○ " * (3 - self.step))

    def retranslate(self) -> None:
        _ = self.lang.gettext
        if self.kind == "print":
            self.message.setText(_("Printing…"))
            self.note.setText(_("Your sheet is being printed. This takes about half a minute."))
        else:
            self.message.setText(_("Saving…"))
            self.note.setText(_("Your sheet is being saved."))
        self.setAccessibleName(self.message.text())
        self.setAccessibleDescription(self.note.text())
        self._tick()


class MessagePage(Page):
    """A calm message after print or export, with one button to go on (and maybe retry)."""

    done = Signal()
    retried = Signal()

    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(140, 80, 140, 80)
        self.message = label("", "title", "print.message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = button("print.done", "primary")
        self.button.clicked.connect(self.done.emit)
        self.retry = button("print.retry")
        self.retry.clicked.connect(self.retried.emit)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.retry, 1)
        row.addWidget(self.button, 2)
        layout.addLayout(row)
        layout.addStretch(1)
        self.text: Callable[[Language], str] = lambda _lang: ""
        self.retry.hide()

    def show_message(self, text: Callable[[Language], str], *, retry: bool = False) -> None:
        """Show a message given as a function of the language (so it re-translates)."""
        self.text = text
        self.retry.setVisible(retry)
        self.retranslate()

    def retranslate(self) -> None:
        self.message.setText(self.text(self.lang))
        self.setAccessibleName(self.message.text())
        self.button.setText(self.lang.gettext("Back to my result"))
        self.retry.setText(self.lang.gettext("Try again"))


class RatingPage(Page):
    """An optional satisfaction rating, 1–5, before the visit ends."""

    rated = Signal(object)

    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 60, 60, 60)
        layout.setSpacing(30)
        self.title = label("", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.setSpacing(20)
        self.faces: list[QPushButton] = []
        for value in range(1, 6):
            face = button(f"rating.{value}", "face")
            face.clicked.connect(lambda _=False, v=value: self.rated.emit(v))
            row.addWidget(face)
            self.faces.append(face)
        layout.addLayout(row)
        self.skip = button("rating.skip", "quiet")
        self.skip.clicked.connect(lambda: self.rated.emit(None))
        layout.addWidget(self.skip, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("How was this for you?"))
        # A balanced scale: two below the neutral middle, two above.
        words = (_("Very poor"), _("Poor"), _("Neutral"), _("Good"), _("Very good"))
        for value, (face, word) in enumerate(zip(self.faces, words, strict=True), start=1):
            face.setText(f"{value}\n{word}")
        self.skip.setText(_("Skip"))


class ThanksPage(Page):
    """Goodbye: the visit is wiped when this page goes (a tap, or a few seconds)."""

    done = Signal()

    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = button("thanks.done")
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.button.setStyleSheet("border: none; background: transparent;")
        inner = QVBoxLayout(self.button)
        self.message = label("", "title")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addWidget(self.message)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.done.emit)

    def retranslate(self) -> None:
        self.message.setText(self.lang.gettext("Thank you. Have a good day!"))
        # The whole screen is one button: named by its message, it says what a tap does.
        self.setAccessibleName(self.message.text())
        self.button.setAccessibleName(self.message.text())
        self.button.setAccessibleDescription(self.lang.gettext("Tap to finish"))


__all__ = [
    "ConsentPage",
    "MessagePage",
    "OptionalIntroPage",
    "PrintingPage",
    "RatingPage",
    "ReviewPage",
    "ThanksPage",
]
