"""The branch logo on the sheet: a PNG or an SVG (its text in the sheet's font), fitted
into a square; a logo that cannot be read is left out, never the sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image

LOGO_SIZE = 16 * mm


def load_logo(path: Path, size: float, font: str | None = None) -> Flowable | None:
    """A PNG or SVG logo scaled to fit `size` × `size`; None when it cannot be read.

    A missing or broken logo never stops a client's sheet: `kiosk check-config` reports it.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".png":
            image = Image(str(path))
            scale = min(size / image.drawWidth, size / image.drawHeight)
            image.drawWidth *= scale
            image.drawHeight *= scale
            return image
        if suffix == ".svg":
            from svglib.svglib import svg2rlg  # noqa: PLC0415 - only for SVG logos

            drawing = svg2rlg(str(path))
            if drawing is None or not drawing.width or not drawing.height:
                return None
            if font is not None:
                drawing.initialFontName = font  # type: ignore[attr-defined]  # not in the stubs
                _use_font(drawing, font)
            scale = min(size / drawing.width, size / drawing.height)
            drawing.scale(scale, scale)
            drawing.width *= scale
            drawing.height *= scale
            return drawing
    except Exception:  # any unreadable image: the sheet goes without it
        return None
    return None


def _use_font(node: Any, font: str) -> None:
    """Draw an SVG's text in the sheet's embedded font (its own fonts lack Chinese)."""
    if isinstance(node, String):
        node.fontName = font
    for child in getattr(node, "contents", ()):
        _use_font(child, font)
