"""The result screen: both levels with gauges, the allocation, the life stage, and the
ways it fits one screen (FIT_STEPS) before it scrolls."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Profile, Questionnaire, Tables
from kiosk.ui.charts import AllocationChart, Gauge, Swatch
from kiosk.ui.page import Page
from kiosk.ui.page_parts import card, touch_scroll
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label, restyle
from kiosk.wording import Explained, explanation_lines, printer_cause, sentences

FIT_STEPS = 7
"""The result page's ways to fit one screen: as designed, without its title, then also
with its text at the normal size (the style sheet's `ResultPage[fit="2"]` rules), then
also with tighter cards and a smaller chart, then also without the example products
(the sheet lists them), then in smaller text (on a landscape screen with what is worth
discussing in a column of its own beside the levels and the allocation), then also
without the gauges (the scores and levels say it in words; the sheet keeps them)."""
NEAR_COLUMN_PX = 170
"""The widest a neighbouring level's column gets (its name wraps)."""
CHART_SIZE = (220, 150)
"""The allocation chart's least size (px, square): as designed, and at the last fit step."""


class ResultPage(Page):
    """Both levels with gauges, the allocation, the life stage; print, export, finish."""

    printing = Signal()
    exporting = Signal()
    finished = Signal()

    def __init__(self, lang: Language, questionnaire: Questionnaire) -> None:
        super().__init__(lang)
        self.questionnaire = questionnaire
        tables = questionnaire.tables
        page = self.page_layout = QVBoxLayout(self)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.title = label("", "title")
        layout.addWidget(self.title)
        self.levels = QWidget()
        levels = self.levels_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.levels)
        levels.setContentsMargins(0, 0, 0, 0)
        levels.setSpacing(20)
        self.dimensions: dict[str, tuple[QLabel, QLabel, QLabel, Gauge]] = {}
        self.near: dict[str, QLabel] = {}
        self.cards: list[QBoxLayout] = []
        for key in ("capacity", "attitude"):
            box = card()
            inner = QVBoxLayout(box)
            self.cards.append(inner)
            name = label("", "help")
            row = QHBoxLayout()
            score = label("", "score", f"result.{key}.score", wrap=False)
            level = label("", "level", f"result.{key}.level")
            row.addWidget(score)
            row.addSpacing(16)
            row.addWidget(level, 1)
            gauge = Gauge(f"result.{key}.gauge")
            # One answer away from the next level (SPEC §15.2): said here, its allocation
            # beside the client's in the allocation's legend.
            near = label("", "small", f"result.explain.near.{key}")
            inner.addWidget(name)
            inner.addLayout(row)
            inner.addWidget(gauge)
            inner.addWidget(near)
            levels.addWidget(box, 1)
            self.dimensions[key] = (name, score, level, gauge)
            self.near[key] = near
        self.allocation = self._allocation_card(tables)
        self.discuss = self._discuss_card(tables)
        self.blocks = QGridLayout()
        self.blocks.setSpacing(12)
        layout.addLayout(self.blocks)
        self.arrangement: tuple[bool, int, bool] | None = None
        self.stage = label("", "help", "result.life_stage")
        layout.addWidget(self.stage)
        self.notice = label("", "small", "result.notice")
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.content = content
        self.scroll_area = touch_scroll(content)
        page.addWidget(self.scroll_area, 1)
        # Outside the scrolled part: when the printer cannot print, the client sees it
        # next to the buttons, whatever the fit.
        self.printer_note = label("", "help", "result.printer_unavailable")
        self.printer_note.hide()
        page.addWidget(self.printer_note)
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
        self.fitted = 0
        """The fit step the last result needed."""
        self._set_fit(0)

    def _allocation_card(self, tables: Tables) -> QWidget:
        """The allocation as a chart and a legend (with the allocation of a neighbouring
        level beside it, when an axis is near one), and which axis limited it."""
        allocation = card()
        box = QVBoxLayout(allocation)
        self.cards.append(box)
        row = self.allocation_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        box.addLayout(row)
        self.chart = AllocationChart("result.allocation.chart")
        row.addWidget(self.chart, 2)
        legend = QGridLayout()
        legend.setHorizontalSpacing(16)
        self.allocation_title = label("", "help")
        legend.addWidget(self.allocation_title, 0, 0, 1, 3)
        self.classes: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        # Per axis: the neighbouring level's name over its shares (hidden unless near).
        self.near_columns: dict[str, tuple[QLabel, dict[str, QLabel]]] = {}
        for column, key in enumerate(("capacity", "attitude"), start=3):
            header = label("", "small", f"result.explain.near.{key}.level")
            header.setMaximumWidth(NEAR_COLUMN_PX)  # wraps, leaving the row to the examples
            cells = {risk.id: label("", "help", wrap=False) for risk in tables.risk_classes}
            legend.addWidget(header, 0, column)
            for index, risk_class in enumerate(tables.risk_classes):
                legend.addWidget(cells[risk_class.id], index + 1, column)
            self.near_columns[key] = (header, cells)
        for index, risk_class in enumerate(tables.risk_classes):
            name = label("", "")
            share = label("", "level", f"result.allocation.{risk_class.id}", wrap=False)
            examples = label("", "small")
            legend.addWidget(Swatch(index), index + 1, 0)
            legend.addWidget(name, index + 1, 1)
            legend.addWidget(share, index + 1, 2)
            legend.addWidget(examples, index + 1, 5)
            self.classes[risk_class.id] = (name, share, examples)
        legend.setColumnStretch(5, 1)
        self.legend = legend
        row.addLayout(legend, 5)
        self.limited_by = label("", "help", "result.explain.limited_by")
        box.addWidget(self.limited_by)
        return allocation

    def _discuss_card(self, tables: Tables) -> QWidget:
        """The lowest-category note and the answers worth discussing with staff (SPEC
        §15.3–4); hidden when there is neither."""
        discuss = card()
        box = self.discuss_box = QVBoxLayout(discuss)
        self.cards.append(box)
        self.lowest_category = label("", "warning", "result.lowest_category")
        self.discuss_heading = label("", "help")
        box.addWidget(self.lowest_category)
        box.addWidget(self.discuss_heading)
        self.checks: dict[str, QLabel] = {}
        for rule in tables.checks:
            self.checks[rule.id] = label("", "", f"result.check.{rule.id}")
            box.addWidget(self.checks[rule.id])
        box.addStretch(1)
        return discuss

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        """Fit the result on one screen, in the first of the FIT_STEPS that does: first
        without its title (the buttons say what it is), then with its text at the normal
        size (large text on a small screen), and so on; it scrolls only if even the last
        does not fit. The search starts from the step the last result needed (the same
        screen and text size: most often the same step), since each step costs a restyle;
        the steps only ever take room away, so it ends where a search from 0 would."""
        if not self.isVisible():
            return  # fitted when shown (the result of a visit that has ended is not)
        step = min(self.fitted, FIT_STEPS - 1)
        if self._fits(step):
            while step > 0 and self._fits(step - 1):
                step -= 1
        else:
            while step < FIT_STEPS - 1:
                step += 1
                if self._fits(step):
                    break
        self._fits(step)  # (the last step tried may have been another)
        self.fitted = step

    def _fits(self, step: int) -> bool:
        """Set the page as `step` says; whether it then fits its screen."""
        self._set_fit(step)
        self.page_layout.activate()  # the room left now (a note, the margins of a step)
        viewport = self.scroll_area.viewport()
        if self.content.minimumSizeHint().width() > viewport.width():
            return False
        return self.needed_height(viewport.width()) <= viewport.height()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self.fit)

    def needed_height(self, width: int) -> int:
        """How tall the result is at this width (its text wraps to the width it gets)."""
        layout = self.content.layout()
        assert layout is not None
        return layout.totalHeightForWidth(width)

    def _set_fit(self, step: int) -> None:
        self._arrange(self.width() > self.height(), max(0, step - 4))
        if self.property("fit_step") == step:
            return
        self.setProperty("fit_step", step)
        self.title.setVisible(step == 0)
        layout = self.content.layout()
        if layout is not None:
            layout.setSpacing(12 if step == 0 else 6)
        tight = step >= 3
        self.page_layout.setContentsMargins(*((60, 6, 60, 6) if tight else (60, 16, 60, 16)))
        self.page_layout.setSpacing(6 if tight else 12)
        for card_layout in self.cards:
            card_layout.setContentsMargins(*((16, 6, 16, 6) if tight else (24, 14, 24, 14)))
        self.chart.setMinimumSize(*(CHART_SIZE[tight],) * 2)
        for _name, _share, examples in self.classes.values():
            examples.setVisible(step < 4)

        if self.property("fit") != str(min(step, 2)):
            self.setProperty("fit", str(min(step, 2)))
            restyle(self.findChildren(QWidget))
        self.content.adjustSize()

    def _arrange(self, landscape: bool, compact: int) -> None:
        """Place the levels, the allocation and the discussion card: on a portrait screen
        one under the other; on a landscape one the levels side by side over the
        allocation and the discussion side by side, or, once compact, the discussion in a
        column of its own beside the other two. compact 1: smaller text; 2: also without
        the levels' titles and gauges (the scores and levels say it in words)."""
        discussed = not self.discuss.isHidden()
        if (landscape, compact, discussed) == self.arrangement:
            return
        self.arrangement = (landscape, compact, discussed)
        for block in (self.levels, self.allocation, self.discuss):
            self.blocks.removeWidget(block)
        for column in range(2):
            self.blocks.setColumnStretch(column, 0)
        if landscape and discussed:
            beside = compact > 0  # the discussion's own column, beside the other two
            self.blocks.addWidget(self.levels, 0, 0, 1, 1 if beside else 2)
            self.blocks.addWidget(self.allocation, 1, 0)
            self.blocks.addWidget(self.discuss, 0 if beside else 1, 1, 2 if beside else 1, 1)
            self.blocks.setColumnStretch(0, 5 if beside else 3)
            self.blocks.setColumnStretch(1, 3 if beside else 2)
        else:
            for row, block in enumerate((self.levels, self.allocation, self.discuss)):
                self.blocks.addWidget(block, row, 0)
        small = compact > 0
        self.allocation_row.setStretchFactor(self.chart, 0 if small else 2)  # room for the legend
        self.legend.setHorizontalSpacing(10 if small else 16)
        self.blocks.setSpacing(12 - 4 * compact)
        self.discuss_box.setSpacing(2 if small else 6)
        for name, _share, _examples in self.classes.values():
            name.setWordWrap(not small)  # a risk class's name whole; the levels' names wrap
        for name, _score, _level, gauge in self.dimensions.values():
            name.setVisible(compact < 2)
            gauge.setVisible(compact < 2)
        texts = [self.discuss_heading, self.lowest_category, *self.checks.values(), self.limited_by]
        texts += [name for name, _share, _examples in self.classes.values()]
        for _name, score, level, _gauge in self.dimensions.values():
            texts += [score, level]
        texts += [self.stage, self.printer_note]
        for text in texts:
            text.setProperty("compact", "true" if small else "false")
        restyle(texts)

    def show_printer(self) -> None:
        """Say calmly when the printer cannot print (the visit's check, SPEC §19) and make
        saving the main action; printing stays offered, in case it was fixed meanwhile."""
        cause: str | None = getattr(getattr(self, "visit", None), "printer_cause", None)
        unavailable = bool(cause)  # None: not known yet; '': it can print
        if cause:
            _ = self.lang.gettext
            then = _("You can save your sheet as a file instead; our staff will print it for you.")
            why = printer_cause(cause, _) or _("The printer cannot print right now.")
            self.printer_note.setText(sentences(self.lang.lang, why, then))
        if unavailable == self.printer_note.isVisibleTo(self):
            return
        self.printer_note.setVisible(unavailable)
        self.print_button.setProperty("role", "" if unavailable else "primary")
        self.export_button.setProperty("role", "primary" if unavailable else "")
        restyle([self.print_button, self.export_button])
        QTimer.singleShot(0, self, self.fit)  # one line more or less under the result

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
        self.show_printer()
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
        self._explain(explanation_lines(tables, profile, self.lang.lang))

    def _explain(self, explained: Explained) -> None:
        """The explanation (SPEC §15) in the words the sheet uses too (kiosk.wording)."""
        self.limited_by.setText(explained.limited_by)
        near = {line.axis: line for line in explained.near}
        for key, sentence in self.near.items():
            line = near.get(key)
            sentence.setText(line.sentence if line else "")
            sentence.setVisible(line is not None)
            header, cells = self.near_columns[key]
            header.setText(line.level if line else "")
            header.setVisible(line is not None)
            shares = [f"{percent}%" for _name, percent in line.allocation] if line else []
            for index, cell in enumerate(cells.values()):  # both in risk-class order
                cell.setText(shares[index] if shares else "")
                cell.setVisible(line is not None)
        checks = {line.id: line.text for line in explained.checks}
        for rule, check in self.checks.items():
            check.setText("• " + checks[rule] if rule in checks else "")
            check.setVisible(rule in checks)
        self.discuss_heading.setText(explained.heading)
        self.discuss_heading.setVisible(bool(explained.heading))
        self.lowest_category.setText(explained.lowest_category)
        self.lowest_category.setVisible(bool(explained.lowest_category))
        self.discuss.setVisible(bool(explained.heading or explained.lowest_category))


__all__ = ["FIT_STEPS", "ResultPage"]
