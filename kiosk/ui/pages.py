"""The screens of a visit. Each page loads from the visit, re-translates itself, and emits
what the client did; none keeps answers of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Profile, Question, Questionnaire
from kiosk.ui.charts import AllocationChart, Gauge, Swatch
from kiosk.ui.page import Page
from kiosk.ui.texts import Language
from kiosk.ui.visit import Visit
from kiosk.ui.widgets import NumberPad, OptionGrid, WrapButton, button, label, set_state
from kiosk.wording import answer, money

LOSS_EXAMPLE_YUAN = 100_000
"""The sum the loss question's example is worked on (the help line uses it too)."""
HIGHLIGHT_MS = 250
"""How long a tapped option stays highlighted before the next question (0 in benchmarks)."""


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


# ---------------------------------------------------------------------- attract, consent


def _(message: str) -> str:
    """Marks a text for the catalogue where it is translated later (in_every_language)."""
    return message


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


# ---------------------------------------------------------------------- questions


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

    def __init__(self, lang: Language, question: Question) -> None:
        super().__init__(lang, question)
        self.entry = ""
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
        else:
            self.warning.setText("")
        if self.question.id == "loss_tolerance_pct":
            # The help line gives the general example; this one is the client's own.
            self.example.setText(
                ""
                if value is None
                else _("So a {pct}% loss on {capital} would be {amount}.").format(
                    pct=value,
                    capital=money(self.lang.lang, LOSS_EXAMPLE_YUAN),
                    amount=money(self.lang.lang, LOSS_EXAMPLE_YUAN * value // 100),
                )
            )
        self.validity_changed.emit(value is not None)


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


# ---------------------------------------------------------------------- review, result


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


FIT_STEPS = 3
"""The result page's ways to fit one screen: as designed, without its title, then also
with its text at the normal size (the style sheet's `ResultPage[fit="2"]` rules)."""


class ResultPage(Page):
    """Both levels with gauges, the allocation, the life stage; print, export, finish."""

    printing = Signal()
    exporting = Signal()
    finished = Signal()

    def __init__(self, lang: Language, questionnaire: Questionnaire) -> None:
        super().__init__(lang)
        self.questionnaire = questionnaire
        tables = questionnaire.tables
        page = QVBoxLayout(self)
        page.setContentsMargins(60, 16, 60, 16)
        page.setSpacing(12)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.title = label("", "title")
        layout.addWidget(self.title)
        levels = QHBoxLayout()
        levels.setSpacing(20)
        self.dimensions: dict[str, tuple[QLabel, QLabel, QLabel, Gauge]] = {}
        for key in ("capacity", "attitude"):
            box = card()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(24, 16, 24, 16)
            name = label("", "help")
            row = QHBoxLayout()
            score = label("", "score", f"result.{key}.score", wrap=False)
            level = label("", "level", f"result.{key}.level")
            row.addWidget(score)
            row.addSpacing(16)
            row.addWidget(level, 1)
            gauge = Gauge(f"result.{key}.gauge")
            inner.addWidget(name)
            inner.addLayout(row)
            inner.addWidget(gauge)
            levels.addWidget(box, 1)
            self.dimensions[key] = (name, score, level, gauge)
        layout.addLayout(levels)
        allocation = card()
        row = QHBoxLayout(allocation)
        row.setContentsMargins(24, 12, 24, 12)
        self.chart = AllocationChart("result.allocation.chart")
        row.addWidget(self.chart, 2)
        legend = QGridLayout()
        legend.setHorizontalSpacing(16)
        self.allocation_title = label("", "help")
        legend.addWidget(self.allocation_title, 0, 0, 1, 4)
        self.classes: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for index, risk_class in enumerate(tables.risk_classes):
            name = label("", "")
            share = label("", "level", f"result.allocation.{risk_class.id}", wrap=False)
            examples = label("", "small")
            legend.addWidget(Swatch(index), index + 1, 0)
            legend.addWidget(name, index + 1, 1)
            legend.addWidget(share, index + 1, 2)
            legend.addWidget(examples, index + 1, 3)
            self.classes[risk_class.id] = (name, share, examples)
        legend.setColumnStretch(3, 1)
        row.addLayout(legend, 5)
        layout.addWidget(allocation)
        self.stage = label("", "help", "result.life_stage")
        layout.addWidget(self.stage)
        self.notice = label("", "small", "result.notice")
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.content = content
        self.scroll_area = touch_scroll(content)
        page.addWidget(self.scroll_area, 1)
        buttons = QHBoxLayout()
        self.print_button = button("result.print", "primary")
        self.export_button = button("result.export")
        self.finish_button = button("result.finish")
        self.print_button.clicked.connect(self.printing.emit)
        self.export_button.clicked.connect(self.exporting.emit)
        self.finish_button.clicked.connect(self.finished.emit)
        buttons.addWidget(self.print_button, 2)
        buttons.addWidget(self.export_button, 1)
        buttons.addWidget(self.finish_button, 1)
        page.addLayout(buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        """Fit the result on one screen: first without its title (the buttons say what it
        is), then with its text at the normal size (large text on a small screen); it
        scrolls only if even that does not fit."""
        for step in range(FIT_STEPS):
            self._set_fit(step)
            if self.content.sizeHint().height() <= self.scroll_area.viewport().height():
                return

    def _set_fit(self, step: int) -> None:
        if self.property("fit") == str(step):
            return
        self.setProperty("fit", str(step))
        self.title.setVisible(step == 0)
        layout = self.content.layout()
        if layout is not None:
            layout.setSpacing(12 if step == 0 else 6)
        style = self.style()
        for widget in self.findChildren(QWidget):
            style.unpolish(widget)
            style.polish(widget)
        self.content.adjustSize()

    def retranslate(self) -> None:
        _ = self.lang.gettext
        data = self.lang.data
        tables = self.questionnaire.tables
        QTimer.singleShot(0, self, self.fit)  # new words, new heights
        self.title.setText(_("Your result"))
        self.setAccessibleName(self.title.text())
        self.allocation_title.setText(_("Suggested asset allocation"))
        self.print_button.setText(_("Print my sheet"))
        self.export_button.setText(_("Save as a file"))
        self.finish_button.setText(_("Finish"))
        self.notice.setText(
            _(
                "For reference only; not investment advice. "
                "The formal suitability assessment is done at the branch counter."
            )
        )
        profile: Profile | None = getattr(getattr(self, "visit", None), "profile", None)
        if profile is None:
            return
        bands = [(data(level.name), level.minimum, level.maximum) for level in tables.levels]
        for key, dimension, title in (
            ("capacity", profile.capacity, _("Risk capacity")),
            ("attitude", profile.attitude, _("Risk attitude")),
        ):
            name, score, level, gauge = self.dimensions[key]
            name.setText(title)
            score.setText(str(dimension.score))
            level.setText(data(getattr(tables.level(dimension.level), key)))
            gauge.set_bands(bands, dimension.score)
            # The gauge's text alternative: a screen reader cannot see where the marker is.
            gauge.setAccessibleName(
                _("{dimension}: {score} points, {level}").format(
                    dimension=title, score=dimension.score, level=level.text()
                )
            )
            gauge.setAccessibleDescription(
                _("On a scale of 0 to 100: {bands}").format(
                    bands=_(", ").join(f"{band} {low}–{high}" for band, low, high in bands)
                )
            )
        shares = profile.allocation.as_tuple()
        self.chart.set_shares(shares)
        self.chart.setAccessibleName(
            _("Suggested asset allocation: {shares}").format(
                shares=_(", ").join(
                    f"{data(risk_class.name)} {share}%"
                    for risk_class, share in zip(tables.risk_classes, shares, strict=True)
                )
            )
        )
        # Announced when the page appears: the result in a few words.
        summary = [gauge.accessibleName() for *_labels, gauge in self.dimensions.values()]
        self.setAccessibleDescription("\n".join([*summary, self.chart.accessibleName()]))
        for risk_class, share in zip(tables.risk_classes, shares, strict=True):
            name, share_label, examples = self.classes[risk_class.id]
            name.setText(data(risk_class.name))
            share_label.setText(f"{share}%")
            examples.setText(_(", ").join(risk_class.examples.get(self.lang.lang)))
        stage = tables.life_stage(profile.life_stage)
        text = _("Life stage: {stage}. Financial focus: {focus}.").format(
            stage=data(stage.name), focus=data(stage.focus)
        )
        if profile.life_cycle is not None:
            cycle = tables.life_cycle_stage(profile.life_cycle)
            text += " " + _("Family: {stage}.").format(stage=data(cycle.name))
        self.stage.setText(text)


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
