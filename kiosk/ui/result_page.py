"""The result screen: both levels with gauges, the allocation, the life stage, and the
ways it fits one screen (FIT_STEPS) before it scrolls."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Profile, Questionnaire
from kiosk.ui.charts import AllocationChart, Gauge, Swatch
from kiosk.ui.page import Page
from kiosk.ui.page_parts import card, touch_scroll
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label, restyle
from kiosk.wording import printer_cause, sentences

FIT_STEPS = 5
"""The result page's ways to fit one screen: as designed, without its title, then also
with its text at the normal size (the style sheet's `ResultPage[fit="2"]` rules), then
also with tighter cards and a smaller chart, then also without the example products
(the sheet lists them)."""
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
        levels = QHBoxLayout()
        levels.setSpacing(20)
        self.dimensions: dict[str, tuple[QLabel, QLabel, QLabel, Gauge]] = {}
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
            inner.addWidget(name)
            inner.addLayout(row)
            inner.addWidget(gauge)
            levels.addWidget(box, 1)
            self.dimensions[key] = (name, score, level, gauge)
        layout.addLayout(levels)
        allocation = card()
        row = QHBoxLayout(allocation)
        self.cards.append(row)
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
        self._set_fit(0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        """Fit the result on one screen: first without its title (the buttons say what it
        is), then with its text at the normal size (large text on a small screen); it
        scrolls only if even that does not fit."""
        viewport = self.scroll_area.viewport()
        for step in range(FIT_STEPS):
            self._set_fit(step)
            self.page_layout.activate()  # the room left now (a note, the margins of a step)
            if self.needed_height(viewport.width()) <= viewport.height():
                return

    def needed_height(self, width: int) -> int:
        """How tall the result is at this width (its text wraps to the width it gets)."""
        layout = self.content.layout()
        assert layout is not None
        return layout.totalHeightForWidth(width)

    def _set_fit(self, step: int) -> None:
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
        self.content.adjustSize()

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


__all__ = ["FIT_STEPS", "ResultPage"]
