"""The question screens: the shared frame, the options to tap and the number pad.
The benchmarks and tests set HIGHLIGHT_MS here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Question, Text
from kiosk.ui.page import Page
from kiosk.ui.page_parts import answer_text
from kiosk.ui.texts import Language
from kiosk.ui.visit import Visit
from kiosk.ui.widgets import NumberPad, OptionGrid, WrapButton, button, label, set_state
from kiosk.wording import money

LOSS_EXAMPLE_YUAN = 100_000
"""The sum the loss question's example is worked on (the help line uses it too)."""
HIGHLIGHT_MS = 250
"""How long a tapped option stays highlighted before the next question (0 in benchmarks)."""


class QuestionPage(Page):
    """Shared frame of a question: the question, one line of help, the answer area."""

    answered = Signal(str, object)
    """(question id, value); value None = prefer not to say."""
    speak = Signal(str)
    """Text to read aloud in the screen's language."""
    hush = Signal()
    """Stop reading aloud (the read-aloud button's second tap)."""
    highlighting = Signal(int)
    """An option was tapped and stays highlighted for this many milliseconds."""
    highlight_ms: int | None = None
    """How long a tapped option stays highlighted; None: HIGHLIGHT_MS (the window sets it)."""

    def __init__(self, lang: Language, question: Question) -> None:
        super().__init__(lang)
        self.question = question
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(100, 36, 100, 24)  # at 1920×1080; see resizeEvent
        self.outer.setSpacing(18)
        self.title = label("", "question")
        self.help = label("", "help")
        self.speaker = button(f"{question.id}.speak", "quiet")
        self.speaker.clicked.connect(self._speaker_tapped)
        self.speaker.hide()
        self.speaking = False
        """Read-aloud is reading this page (the button then stops it)."""
        self.read_aloud = False
        """The client has asked for read-aloud on this page in this visit."""
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.speaker, 0, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(top)
        self.outer.addWidget(self.help)
        self.skip: QPushButton | None = None
        if not question.required:
            self.skip = button(f"{question.id}.skip", "quiet")
            self.skip.clicked.connect(lambda: self.answered.emit(self.question.id, None))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        # Margins in proportion to the screen: a smaller one keeps more room for answers.
        side = max(24, round(event.size().width() * 0.052))
        self.outer.setContentsMargins(side, side * 36 // 100, side, side * 24 // 100)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.lang.data(self.question.text))
        self.help.setText(self.lang.data(self.question.help))
        # Announced when the page appears (kiosk.ui.access), with the progress.
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(self.help.text())
        self._speaker_text()
        if self.skip is not None:
            self.skip.setText(self.lang.gettext("Prefer not to say"))

    def load(self, visit: Visit) -> None:
        if getattr(self, "visit", None) is not visit:
            self.read_aloud = False  # a new client
        super().load(visit)

    def spoken_text(self) -> str:
        """The question, its help line and every option, as one text to read aloud."""
        data = self.lang.data
        parts = [data(self.question.text), data(self.question.help)]
        parts += [f"{n}. {data(o.text)}" for n, o in enumerate(self.question.options, start=1)]
        return "\n".join(parts)

    def show_speaking(self, speaking: bool) -> None:
        """Read-aloud started or ended: the button offers to stop it, or to read."""
        self.speaking = speaking
        set_state(self.speaker, "current", speaking)
        self._speaker_text()

    def _speaker_text(self) -> None:
        _ = self.lang.gettext
        self.speaker.setText(_("Stop reading") if self.speaking else _("Read aloud"))

    def _speaker_tapped(self) -> None:
        if self.speaking:
            self.hush.emit()
        else:
            self.read_aloud = True
            self.speak.emit(self.spoken_text())

    def valid_value(self) -> int | str | None:
        """The answer on screen, if it is complete and valid (enables nav.next)."""
        return self.visit.answers.get(self.question.id)


class ChoicePage(QuestionPage):
    """Big option buttons; a tap highlights the choice briefly and moves on."""

    def __init__(self, lang: Language, question: Question) -> None:
        super().__init__(lang, question)
        self.options: dict[str, WrapButton] = {}
        self.grid = OptionGrid(f"{question.id}.options")
        for option in question.options:
            widget = WrapButton(f"{question.id}.{option.id}")
            widget.clicked.connect(lambda _=False, oid=option.id: self._chosen(oid))
            self.options[option.id] = widget
            self.grid.add(widget)
        self.outer.addWidget(self.grid, 1)
        if self.skip is not None:
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.skip)
            self.outer.addLayout(row)

    def load(self, visit: Visit) -> None:
        super().load(visit)
        current = visit.answers.get(self.question.id)
        for option_id, widget in self.options.items():
            widget.setEnabled(True)
            set_state(widget, "chosen", option_id == current)
        if self.skip is not None:
            self.skip.setEnabled(True)

    def retranslate(self) -> None:
        super().retranslate()
        for option in self.question.options:
            self.options[option.id].setText(self.lang.data(option.text))

    def first_control(self) -> QWidget:
        """Where a screen reader's focus goes when the page appears: the chosen option
        (when the client comes back to change it), else the first."""
        current = self.visit.answers.get(self.question.id)
        return self.options.get(str(current), next(iter(self.options.values())))

    def _chosen(self, option_id: str) -> None:
        # One tap only: a second tap (or a double tap) cannot skip the next screen.
        for oid, widget in self.options.items():
            widget.setEnabled(False)
            set_state(widget, "chosen", oid == option_id)
        if self.skip is not None:
            self.skip.setEnabled(False)
        emit: Callable[[], None] = lambda: self.answered.emit(self.question.id, option_id)  # noqa: E731
        delay = HIGHLIGHT_MS if self.highlight_ms is None else self.highlight_ms
        self.highlighting.emit(delay)
        if delay > 0:
            QTimer.singleShot(delay, emit)
        else:
            emit()


class NumberPage(QuestionPage):
    """A number typed on a big pad, with its valid range; out-of-range values are refused."""

    validity_changed = Signal(bool)

    def __init__(
        self, lang: Language, question: Question, zero_warning: Text | None = None
    ) -> None:
        super().__init__(lang, question)
        self.entry = ""
        self.zero_warning = zero_warning
        """Said under the pad while 0 is entered (the loss question, SPEC §15.4)."""
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(60)
        left = QVBoxLayout()
        left.setSpacing(12)
        value_row = QHBoxLayout()
        self.value = label("", "value", f"{question.id}.value", wrap=False)
        self.unit = label("", "level", wrap=False)
        value_row.addStretch(1)
        value_row.addWidget(self.value)
        value_row.addWidget(self.unit)
        value_row.addStretch(1)
        self.range = label("", "help", f"{question.id}.range")
        self.warning = label("", "warning", f"{question.id}.warning")
        self.example = label("", "help", f"{question.id}.example")
        for widget in (self.range, self.warning, self.example):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addStretch(1)
        left.addLayout(value_row)
        left.addWidget(self.range)
        left.addWidget(self.warning)
        left.addWidget(self.example)
        if self.skip is not None:
            left.addWidget(self.skip)
        left.addStretch(1)
        self.pad = NumberPad(question.id)
        self.pad.typed.connect(self._typed)
        self.pad.cleared.connect(self._cleared)
        body.addLayout(left, 3)
        body.addWidget(self.pad, 2)
        self.body = body
        self.outer.addLayout(body, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        # Side by side on a landscape screen; the pad under the number on a portrait one.
        portrait = event.size().height() > event.size().width()
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        super().resizeEvent(event)

    def load(self, visit: Visit) -> None:
        current = visit.answers.get(self.question.id)
        self.entry = "" if current is None else str(current)
        super().load(visit)
        self._show()

    def retranslate(self) -> None:
        super().retranslate()
        _ = self.lang.gettext
        self.range.setText(
            _("Please enter a number from {low} to {high}").format(
                low=self.question.minimum, high=self.question.maximum
            )
        )
        self.unit.setText(self.lang.data(self.question.unit) if self.question.unit else "")
        self.pad.set_clear_text(_("Clear"))
        self.setAccessibleDescription(f"{self.help.text()}\n{self.range.text()}".strip())
        self._show()

    def first_control(self) -> QWidget:
        """Where a screen reader's focus goes when the page appears: the pad's first key."""
        return self.pad.keys["1"]

    def spoken_text(self) -> str:
        """The question, its help line, the range and what is typed, to read aloud."""
        data = self.lang.data
        parts = [data(self.question.text), data(self.question.help), self.range.text()]
        return "\n".join([*parts, *self._typed_text()])

    def _typed_text(self) -> list[str]:
        """The number typed, with what it means or why it is refused ([] if none)."""
        if not self.entry:
            return []
        value = answer_text(self.lang, self.question, self.entry)
        said = self.lang.gettext("You entered {value}").format(value=value)
        return [line for line in (said, self.warning.text(), self.example.text()) if line]

    def _echo(self) -> None:
        # Once the client has asked for read-aloud here, each key is answered with the
        # whole number as it now stands (a lone digit would not say which number it made),
        # cutting short whatever was being read.
        if self.read_aloud:
            self.speak.emit("\n".join(self._typed_text() or [self.range.text()]))

    def valid_value(self) -> int | None:
        if not self.entry:
            return None
        value = int(self.entry)
        return value if self.question.minimum <= value <= self.question.maximum else None

    def _typed(self, digit: str) -> None:
        if len(self.entry) >= len(str(self.question.maximum)):
            return  # no more digits than the largest value has
        self.entry = (self.entry + digit).lstrip("0") or "0"
        self._show()
        self._echo()

    def _cleared(self) -> None:
        self.entry = ""
        self._show()
        self._echo()

    def _show(self) -> None:
        _ = self.lang.gettext
        self.value.setText(self.entry or "–")
        self.value.setAccessibleName(
            _("Entered: {value}").format(value=f"{self.entry} {self.unit.text()}".strip())
            if self.entry
            else _("Nothing entered yet")
        )
        value = self.valid_value()
        too_short = (
            bool(self.entry)
            and int(self.entry) < self.question.minimum
            and len(self.entry) < len(str(self.question.minimum))
        )
        if self.entry and value is None and not too_short:
            self.warning.setText(
                _("{value} is not possible here. Please tap Clear and enter {low}–{high}.").format(
                    value=self.entry, low=self.question.minimum, high=self.question.maximum
                )
            )
        elif value == 0 and self.zero_warning is not None:
            self.warning.setText(self.lang.data(self.zero_warning))
        else:
            self.warning.setText("")
        self.warning.setVisible(bool(self.warning.text()))
        self.example.setVisible(bool(self.example.text()))
        if self.question.id == "loss_tolerance_pct":
            # The help line gives the general example; this one is the client's own.
            self.example.setText(
                ""
                if not value  # nothing, or 0: the warning says what 0 means
                else _("So a {pct}% loss on {capital} would be {amount}.").format(
                    pct=value,
                    capital=money(self.lang.lang, LOSS_EXAMPLE_YUAN),
                    amount=money(self.lang.lang, LOSS_EXAMPLE_YUAN * value // 100),
                )
            )
        self.validity_changed.emit(value is not None)


__all__ = ["HIGHLIGHT_MS", "LOSS_EXAMPLE_YUAN", "ChoicePage", "NumberPage", "QuestionPage"]
