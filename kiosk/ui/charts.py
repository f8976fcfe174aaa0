"""Drawn widgets: the level gauge, the allocation donut, the colour swatch.

Apart from kiosk.ui.widgets so that the first screen does not load Qt's painting classes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.gauge import band_span, marker_x
from kiosk.palette import BAND_FILLS, CLASS_FILLS, INK, MUTED, OUTLINE, PAPER, WHITE, text_on


class Gauge(QWidget):
    """Five labelled bands across 0–100 with a marker above the score (bands by lightness)."""

    MARKER = 30.0
    """The space above the bands for the marker."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._bands: list[tuple[str, int, int]] = []
        self._value = 0
        self.setMinimumHeight(84)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bands(self, bands: Sequence[tuple[str, int, int]], value: int) -> None:
        self._bands = list(bands)
        self._value = value
        self._fit()
        self.update()

    def label_font(self) -> QFont:
        """The band labels' font: a little under the text around it, so it grows with
        large text too, but never so large that a word of a band's name is wider than its
        band (English names wrap onto two lines at most)."""
        font = QFont(self.font())
        font.setPixelSize(max(12, round(self.font().pixelSize() * 0.8)))
        words = [
            (word, band_span(self.width(), low, high)[1] - 8)
            for text, low, high in self._bands
            for word in text.replace("-", "- ").split()
        ]
        while font.pixelSize() > 12 and any(
            QFontMetrics(font).horizontalAdvance(word) > room for word, room in words
        ):
            font.setPixelSize(font.pixelSize() - 1)
        return font

    def _lines(self, width: int) -> int:
        """Two lines when a band's name is wider than its band (English), else one."""
        metrics = QFontMetrics(self.label_font())
        too_wide = any(
            metrics.horizontalAdvance(text) > band_span(width, low, high)[1] - 8
            for text, low, high in self._bands
        )
        return 2 if too_wide else 1

    def _fit(self) -> None:
        bar = self._lines(self.width()) * QFontMetrics(self.label_font()).lineSpacing() + 14
        height = int(self.MARKER + bar + 4)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # large text, or the style sheet
            self._fit()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width()
        top, bar = self.MARKER, float(self.height() - self.MARKER - 4)
        painter.setFont(self.label_font())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        for index, (text, low, high) in enumerate(self._bands):
            x, w = band_span(width, low, high)
            fill = BAND_FILLS[index % len(BAND_FILLS)]
            painter.fillRect(QRectF(x + 1, top, w - 2, bar), QColor(fill))
            painter.setPen(QColor(text_on(fill)))
            painter.drawText(QRectF(x + 2, top, w - 4, bar), int(flags), text)
        # The gauge's frame, so its lightest band still stands out from the card.
        painter.setPen(QPen(QColor(OUTLINE), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(1, top, width - 2, bar))
        x = marker_x(width, self._bands, self._value, 12)
        painter.setBrush(QColor(INK))
        painter.setPen(Qt.PenStyle.NoPen)
        marker = [QPointF(x - 12, 4), QPointF(x + 12, 4), QPointF(x, top - 2)]
        painter.drawPolygon(QPolygonF(marker))
        painter.end()


class AllocationChart(QWidget):
    """The allocation as a donut with the share written on each slice."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._shares: list[int] = []
        self.setMinimumSize(220, 220)

    def set_shares(self, shares: Sequence[int]) -> None:
        self._shares = list(shares)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        start = 90 * 16
        font = QFont(self.font())
        # Grows with the text around it (large text too), but always fits inside the ring.
        font.setPixelSize(max(14, min(round(self.font().pixelSize() * 0.85), int(side * 0.11))))
        painter.setFont(font)
        for index, share in enumerate(self._shares):
            if share <= 0:
                continue
            span = -round(share * 360 * 16 / 100)
            painter.setPen(QPen(QColor(WHITE), 3))
            painter.setBrush(QColor(CLASS_FILLS[index]))
            painter.drawPie(rect, start, span)
            middle = math.radians((start + span / 2) / 16)
            radius = side * 0.355  # the middle of the ring (hole 0.21, edge 0.5)
            cx = rect.center().x() + radius * math.cos(middle)
            cy = rect.center().y() - radius * math.sin(middle)
            painter.setPen(QColor(text_on(CLASS_FILLS[index])))
            painter.drawText(
                QRectF(cx - 50, cy - 20, 100, 40), Qt.AlignmentFlag.AlignCenter, f"{share}%"
            )
            start += span
        hole = side * 0.42
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(PAPER))
        painter.drawEllipse(rect.center(), hole / 2, hole / 2)
        painter.end()


class Swatch(QWidget):
    """A small square of a risk class's colour, beside its name."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self._color = QColor(CLASS_FILLS[index])
        self.setFixedSize(28, 28)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._color)
        painter.setPen(QColor(MUTED))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


__all__ = ["AllocationChart", "Gauge", "Swatch"]
