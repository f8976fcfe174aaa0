"""The sheet's page: A4, its margins, and the document that stamps a watermark (a test
page's "not a client sheet") over each finished page."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from kiosk import palette

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 14 * mm
MARGIN_Y = 11 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

WATERMARK = colors.HexColor(palette.WARNING)
WATERMARK_ALPHA = 0.3
"""Over the page, so that no panel or chart hides it, and light enough to read through."""


class SheetDocument(SimpleDocTemplate):
    """The sheet's document: draws the watermark, if any, over each finished page."""

    def __init__(self, out: io.BytesIO, *, watermark: tuple[str, ...], font: str, **options: Any):
        super().__init__(out, **options)
        self.watermark = watermark
        self.font = font

    def afterPage(self) -> None:  # noqa: N802 - reportlab's hook
        if self.watermark:
            draw_watermark(self.canv, self.watermark, self.font)


def draw_watermark(canvas: Canvas, lines: Sequence[str], font: str) -> None:
    """`lines` across the page along its diagonal, centred, each as large as fits (at most
    60 pt), in the sheet's embedded font."""
    diagonal = math.hypot(PAGE_WIDTH, PAGE_HEIGHT)
    sizes = [min(60.0, 0.8 * diagonal / stringWidth(line, font, 1)) for line in lines]
    size = min(sizes)  # one size for every line: they read as one stamp
    leading = size * 1.35
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFillAlpha(WATERMARK_ALPHA)
    canvas.setFont(font, size)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(math.degrees(math.atan2(PAGE_HEIGHT, PAGE_WIDTH)))
    top = (len(lines) - 1) * leading / 2 - size * 0.35
    for index, line in enumerate(lines):
        canvas.drawCentredString(0, top - index * leading, line)
    canvas.restoreState()
