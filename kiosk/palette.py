"""The kiosk's colours, for the screens and the sheet alike (no Qt, no reportlab here).

Every pair that carries meaning meets WCAG 2.2 AA, measured by tests/test_contrast.py:
text 4.5:1 (3:1 when large), the outlines of controls and the parts of charts 3:1 against
what surrounds them. Fills go light to dark, so bands and slices stay apart in grey.
"""

from __future__ import annotations

from typing import Final

INK: Final = "#1F2A36"
"""Body text."""
MUTED: Final = "#5B6773"
"""Secondary text (help lines, header), and the text of a disabled button."""
ACCENT: Final = "#2E5A88"
"""Titles, buttons, the chosen option."""
PAPER: Final = "#F5F7FA"
"""The screen's background."""
PANEL: Final = "#FFFFFF"
"""Cards, buttons and the sheet's page."""
SHADE: Final = "#F3F6F9"
"""The sheet's shaded panels."""
LINE: Final = "#C9D3DD"
"""Decorative rules and card edges only: never the only edge of a control."""
OUTLINE: Final = "#7A8896"
"""The edge of a control (options, quiet buttons, fields), a scrollbar, a chart's frame."""
DISABLED: Final = "#EAEEF2"
"""The face of a disabled button (with MUTED text and a dashed OUTLINE)."""
WARNING: Final = "#8A4B08"
"""A gentle warning (a refused number)."""
WHITE: Final = "#FFFFFF"

BAND_FILLS: Final = ("#E3ECF4", "#B9CCE0", "#8AAACB", "#4F79A3", "#2E5A88")
"""The five levels, light to dark (labels: INK on the first three, white on the rest)."""
CLASS_FILLS: Final = ("#6E93B8", "#3F6E9E", "#1E3F63")
"""Low, medium and high risk: each 3:1 against the white around the slices."""


def text_on(fill: str) -> str:
    """The text colour for a label drawn on `fill`: whichever contrasts more."""
    return WHITE if contrast(WHITE, fill) >= contrast(INK, fill) else INK


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours (1–21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
