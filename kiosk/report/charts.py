"""The sheet's drawings: a five-band gauge, the allocation donut and its bar.

All read in black and white: the bands and the slices differ in lightness, and every
part carries its own label, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk import palette
from kiosk.gauge import band_span, marker_x

INK = colors.HexColor(palette.INK)
MUTED = colors.HexColor(palette.MUTED)
# Light to dark, so the bands and slices stay apart when printed in grey.
BAND_FILLS = [colors.HexColor(fill) for fill in palette.BAND_FILLS]
CLASS_FILLS = [colors.HexColor(fill) for fill in palette.CLASS_FILLS]


def _text_on(fill: colors.Color) -> colors.Color:
    """White text on a dark fill, dark text on a light one (whichever contrasts more)."""
    return colors.HexColor(palette.text_on(f"#{fill.hexval()[2:]}"))


def drawing_in(
    font: str, width: float, height: float, transform: list[float] | None = None
) -> Drawing:
    """A drawing whose default font is the sheet's (reportlab's is an unembedded Helvetica)."""
    drawing = (
        Drawing(width, height) if transform is None else Drawing(width, height, transform=transform)
    )
    drawing.initialFontName = font  # type: ignore[attr-defined]  # in _attrMap, not the stubs
    return drawing


def box(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    fill: colors.Color,
    stroke: colors.Color,
    line: float = 1,
) -> Rect:
    """A filled rectangle (attributes set after construction, as reportlab's stubs expect)."""
    rect = Rect(x, y, w, h)
    rect.fillColor = fill
    rect.strokeColor = stroke
    rect.strokeWidth = line
    return rect


def gauge(
    width: float,
    bands: Sequence[tuple[str, int, int]],
    value: int,
    font: str,
) -> Drawing:
    """Five labelled bands across 0–100 and a marker above `value`.

    bands: (label, min, max) in order; each band's width is proportional to its span.
    """
    bar_height, marker = 18.0, 8.0
    drawing = drawing_in(font, width, bar_height + marker + 14)
    base = 12.0
    for index, (label, low, high) in enumerate(bands):
        x, w = band_span(width, low, high)
        fill = BAND_FILLS[index % len(BAND_FILLS)]
        drawing.add(box(x, base, w, bar_height, fill=fill, stroke=colors.white))
        size = 8.0
        while size > 5 and stringWidth(label, font, size) > w - 3:
            size -= 0.5
        drawing.add(
            String(
                x + w / 2,
                base + 5,
                label,
                fontName=font,
                fontSize=size,
                fillColor=_text_on(fill),
                textAnchor="middle",
            )
        )
    for tick in (0, 100):
        drawing.add(
            String(
                width * tick / 100,
                0,
                str(tick),
                fontName=font,
                fontSize=7,
                fillColor=MUTED,
                textAnchor="start" if tick == 0 else "end",
            )
        )
    x = marker_x(width, bands, value, 5)
    top = base + bar_height
    drawing.add(
        Polygon(
            [x - 5, top + marker, x + 5, top + marker, x, top + 1],
            fillColor=INK,
            strokeColor=INK,
        )
    )
    return drawing


def donut(size: float, shares: Sequence[tuple[str, int]], font: str) -> Drawing:
    """The allocation as a donut; each slice labelled with its share (0% slices left out)."""
    drawing = drawing_in(font, size, size)
    shown = [(label, share, CLASS_FILLS[i]) for i, (label, share) in enumerate(shares) if share > 0]
    chart = Doughnut()
    chart.x = chart.y = 4
    chart.width = chart.height = int(size - 8)
    chart.data = [share for _, share, _ in shown]
    chart.labels = [f"{share}%" for _, share, _ in shown]
    chart.innerRadiusFraction = 0.45
    chart.startAngle = 90
    chart.direction = "clockwise"
    chart.slices.strokeColor = colors.white
    chart.slices.strokeWidth = 1.5
    chart.simpleLabels = 1
    chart.slices.labelRadius = 0.72
    chart.slices.fontName = font
    chart.slices.fontSize = 11
    for index, (_, _, fill) in enumerate(shown):
        chart.slices[index].fillColor = fill
        chart.slices[index].fontColor = _text_on(fill)
    drawing.add(chart)
    return drawing


def share_bar(width: float, height: float, shares: Sequence[int], font: str) -> Drawing:
    """An allocation as one stacked bar, low risk first, in the donut's colours; each
    segment labelled with its share (0% segments left out, as in the donut)."""
    drawing = drawing_in(font, width, height)
    x = 0.0
    for index, share in enumerate(shares):
        if share <= 0:
            continue
        w = width * share / 100
        fill = CLASS_FILLS[index % len(CLASS_FILLS)]
        drawing.add(box(x, 0, w, height, fill=fill, stroke=colors.white, line=1))
        label = f"{share}%"
        size = min(8.0, height - 2)
        while size > 5 and stringWidth(label, font, size) > w - 1.5:
            size -= 0.5
        drawing.add(
            String(
                x + w / 2,
                (height - size * 0.7) / 2,
                label,
                fontName=font,
                fontSize=size,
                fillColor=_text_on(fill),
                textAnchor="middle",
            )
        )
        x += w
    return drawing
