"""The counter's profile (`counter.profile`): one sheet's whole profile in words, laid out.

Built once with a label for everything a profile can have; each scan only sets texts and
shows or hides lines (a scan costs no widgets made or deleted, no style sheet applied
again). Wide: the answers stand beside the rest; narrow: below it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.counter_words import Fact, ProfileWords
from kiosk.engine import Questionnaire
from kiosk.ui.page_parts import card
from kiosk.ui.widgets import label, set_state
from kiosk.wording import sentences

FACTS = ("allocation", "life_stage", "life_cycle")
STAFF_FACTS = ("segment", "key_client", "capital", "activity", "service_level", "services")


class ProfileView(QWidget):
    """The facts and the explanation on the left (or above), the answers on the right."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        super().__init__()
        self.setObjectName("counter.profile")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(12)
        head = QHBoxLayout()
        self.sheet = label("", "title", "counter.sheet", wrap=False)
        self.signature = label("", "signature", "counter.signature")
        head.addWidget(self.sheet)
        head.addSpacing(20)
        head.addWidget(self.signature, 1)
        left.addLayout(head)

        scores = QHBoxLayout()
        scores.setSpacing(16)
        self.scores: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for key in ("capacity", "attitude"):
            box = card()
            row = QHBoxLayout(box)
            row.setContentsMargins(16, 4, 16, 4)
            parts = (
                label("", "help", wrap=False),
                label("", "score", f"counter.{key}.score", wrap=False),
                label("", "level", f"counter.{key}.level"),
            )
            row.addWidget(parts[0])
            row.addSpacing(12)
            row.addWidget(parts[1])
            row.addSpacing(12)
            row.addWidget(parts[2], 1)
            self.scores[key] = parts
            scores.addWidget(box, 1)
        left.addLayout(scores)
        facts, self.facts = _fact_grid(FACTS)
        left.addWidget(facts)

        box = card()
        why = QVBoxLayout(box)
        self.why = label("", "section")
        self.limited_by = label("", "fact", "counter.explain.limited_by")
        self.near = {
            axis: label("", "fact", f"counter.explain.near.{axis}")
            for axis in ("capacity", "attitude")
        }
        self.checks_heading = label("", "section", "counter.checks")
        self.checks = {
            rule.id: label("", "fact", f"counter.check.{rule.id}")
            for rule in questionnaire.tables.checks
        }
        self.lowest = label("", "warning", "counter.lowest_category")
        for widget in (self.why, self.limited_by, *self.near.values(), self.checks_heading):
            why.addWidget(widget)
        for widget in (*self.checks.values(), self.lowest):
            why.addWidget(widget)
        left.addWidget(box)

        box = card()
        staff = QVBoxLayout(box)
        self.staff_title = label("", "section")
        staff.addWidget(self.staff_title)
        grid, self.staff = _fact_grid(STAFF_FACTS)
        staff.addWidget(grid)
        left.addWidget(box)
        left.addStretch(1)

        answers = card()
        self.answer_grid = QGridLayout(answers)
        self.answer_grid.setHorizontalSpacing(14)
        self.answer_grid.setVerticalSpacing(6)
        self.answers_heading = label("", "section")
        self.answer_grid.addWidget(self.answers_heading, 0, 0, 1, 3)
        self.answers: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for question in questionnaire.questions:
            self._answer_row(question.id)
        self.answer_grid.setColumnStretch(0, 3)
        self.answer_grid.setColumnStretch(1, 2)
        self.columns.addLayout(left, 11)
        self.columns.addWidget(answers, 9)

    def _answer_row(self, question_id: str) -> tuple[QLabel, QLabel, QLabel]:
        row = len(self.answers) + 1
        parts = (
            label("", "cell"),
            label("", "cell", f"counter.answer.{question_id}"),
            label("", "points", wrap=False),
        )
        for column, part in enumerate(parts):
            self.answer_grid.addWidget(part, row, column)
        self.answer_grid.setRowStretch(row, 0)
        self.answer_grid.setRowStretch(row + 1, 1)
        self.answers[question_id] = parts
        return parts

    def set_wide(self, wide: bool) -> None:
        """Answers beside the rest (wide) or below it."""
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        self.columns.setDirection(direction)
        self.columns.setStretch(0, 11 if wide else 0)
        self.columns.setStretch(1, 9 if wide else 0)

    def show_words(self, words: ProfileWords, lang: str, _: Callable[[str], str]) -> None:
        """Everything of one profile, in the words given."""
        self.sheet.setText(words.heading)
        self.signature.setText(words.signature)
        set_state(self.signature, "ok", words.signature_ok)
        for score in words.scores:
            name, value, level = self.scores[score.key]
            name.setText(score.label)
            value.setText(score.score)
            level.setText(score.level)
        _show_facts(self.facts, words.facts)
        explained = words.explained
        self.why.setText(_("Why this allocation"))
        self.limited_by.setText(explained.limited_by)
        near = {line.axis: line for line in explained.near}
        for axis, shown in self.near.items():
            line = near.get(axis)
            if line is not None:
                shares = " / ".join(f"{name} {percent}%" for name, percent in line.allocation)
                at = _("At {level}: {allocation}.").format(level=line.level, allocation=shares)
                shown.setText(sentences(lang, line.sentence, at))
            shown.setVisible(line is not None)
        checks = {check.id: check.text for check in explained.checks}
        self.checks_heading.setText(explained.heading or _("No answers need a second look."))
        for rule, shown in self.checks.items():
            shown.setText(f"• {checks.get(rule, '')}")
            shown.setVisible(rule in checks)
        self.lowest.setText(explained.lowest_category)
        self.lowest.setVisible(bool(explained.lowest_category))
        self.staff_title.setText(_("For staff: segment and service strategy"))
        _show_facts(self.staff, words.staff)
        self.answers_heading.setText(words.answers_heading)
        given = {line.question_id: line for line in words.answers}
        for question_id in given.keys() - self.answers.keys():
            self._answer_row(question_id)  # another questionnaire's question
        for question_id, (question, answer, points) in self.answers.items():
            given_line = given.get(question_id)
            if given_line is not None:
                question.setText(given_line.question)
                answer.setText(given_line.answer)
                points.setText(given_line.points)
            for part in (question, answer, points):
                part.setVisible(given_line is not None)


def _fact_grid(keys: tuple[str, ...]) -> tuple[QWidget, dict[str, tuple[QLabel, QLabel]]]:
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(4, 0, 4, 0)
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(6)
    shown = {}
    for row, key in enumerate(keys):
        name, value = label("", "small"), label("", "fact", f"counter.{key}")
        grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, 1)
        shown[key] = (name, value)
    grid.setColumnStretch(1, 1)
    return holder, shown


def _show_facts(shown: dict[str, tuple[QLabel, QLabel]], facts: tuple[Fact, ...]) -> None:
    given = {fact.key: fact for fact in facts}
    for key, (name, value) in shown.items():
        fact = given.get(key)
        if fact is not None:
            name.setText(fact.label)
            value.setText(fact.value)
        name.setVisible(fact is not None)
        value.setVisible(fact is not None)
