"""The result screen: both levels with gauges, the allocation, the life stage, and the
ways it fits one screen (FIT_STEPS) before it scrolls."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
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
        restyle(self.findChildren(QWidget))
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


__all__ = ["FIT_STEPS", "ResultPage"]
