"""The bundled CJK font, registered with reportlab once per process."""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from kiosk.engine import DataError
from kiosk.fonts import font_path

FONT_NAME = "KioskSans"


@functools.cache
def register_fonts() -> str:
    """Register the font (subset-embedded in every PDF); return its reportlab name."""
    path = font_path()
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    except (OSError, TTFError) as exc:
        raise DataError(
            [f"{path}: the sheet's font cannot be loaded ({exc}); reinstall it"]
        ) from None
    # The font has no bold or italic face: map them to the regular one, and emphasise
    # with size and colour instead.
    pdfmetrics.registerFontFamily(
        FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
    )
    _keep_punctuation_off_line_starts()
    return FONT_NAME


# Chinese full-width punctuation that must not begin a line (reportlab's list is
# Japanese-centred and lacks the full-width comma, semicolon, colon and marks).
CANNOT_START_LINE = "，。、；：？！）》」』】〉…％"


def _keep_punctuation_off_line_starts() -> None:
    # Both wrapping paths read their own copy: textsplit's (one-style paragraphs) and
    # paragraph's (mixed styles).
    from reportlab.lib import textsplit  # noqa: PLC0415
    from reportlab.platypus import paragraph  # noqa: PLC0415

    for module in (textsplit, paragraph):
        known: str = getattr(module, "ALL_CANNOT_START")  # noqa: B009 - not in the stubs
        missing = "".join(c for c in CANNOT_START_LINE if c not in known)
        setattr(module, "ALL_CANNOT_START", known + missing)  # noqa: B010
