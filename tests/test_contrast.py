"""WCAG 2.2 AA, measured from the colours the style sheet and the charts really use; and
a gauge's marker always points into the score's own band."""

from __future__ import annotations

import re

import pytest

from kiosk import palette
from kiosk.gauge import band_span, marker_x
from kiosk.palette import contrast
from kiosk.ui.app import style_sheet

TEXT, LARGE_TEXT, UI_PART = 4.5, 3.0, 3.0
P = palette

# (foreground, background, minimum, where)
PAIRS = [
    (P.INK, P.PAPER, TEXT, "body text on the screen"),
    (P.INK, P.PANEL, TEXT, "option text on its button"),
    (P.MUTED, P.PAPER, TEXT, "help lines, header"),
    (P.MUTED, P.PANEL, TEXT, "quiet buttons' text"),
    (P.ACCENT, P.PAPER, TEXT, "titles, button text"),
    (P.ACCENT, P.PANEL, TEXT, "button text on white"),
    (P.WHITE, P.ACCENT, TEXT, "primary button, chosen option"),
    (P.MUTED, P.DISABLED, TEXT, "a disabled button's text"),
    (P.WARNING, P.PAPER, TEXT, "a refused number"),
    (P.OUTLINE, P.PAPER, UI_PART, "a control's edge on the screen"),
    (P.OUTLINE, P.PANEL, UI_PART, "a field's edge on a card"),
    (P.OUTLINE, P.DISABLED, UI_PART, "a disabled button's dashed edge"),
    (P.ACCENT, P.PAPER, UI_PART, "a button's edge"),
    (P.OUTLINE, P.PAPER, UI_PART, "the scrollbar"),
    *[(P.text_on(fill), fill, TEXT, f"level label on band {fill}") for fill in P.BAND_FILLS],
    *[(P.text_on(fill), fill, TEXT, f"share on slice {fill}") for fill in P.CLASS_FILLS],
    *[(fill, P.PANEL, UI_PART, f"donut slice {fill} against white") for fill in P.CLASS_FILLS],
    (P.OUTLINE, P.PANEL, UI_PART, "the gauge's frame on its card"),
]


@pytest.mark.parametrize(("foreground", "background", "minimum", "where"), PAIRS)
def test_every_pair_meets_wcag_aa(
    foreground: str, background: str, minimum: float, where: str
) -> None:
    ratio = contrast(foreground, background)
    assert ratio >= minimum, f"{where}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("large", [False, True])
def test_the_style_sheet_uses_only_the_palette(large: bool) -> None:
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", style_sheet(large, 0.8))}
    known = {
        value.upper()
        for name, value in vars(palette).items()
        if name.isupper() and isinstance(value, str)
    }
    assert used <= known, used - known
    assert "white" not in style_sheet(large).lower()


def test_the_contrast_formula_matches_wcag() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


BANDS = [("低", 0, 20), ("中低", 21, 40), ("中", 41, 59), ("中高", 60, 80), ("高", 81, 100)]


@pytest.mark.parametrize("width", [300.0, 520.0, 900.0])
@pytest.mark.parametrize("value", [0, 20, 21, 40, 41, 59, 60, 80, 81, 100])
def test_a_marker_on_a_band_edge_points_into_its_own_band(width: float, value: int) -> None:
    half = 12.0
    x = marker_x(width, BANDS, value, half)
    low, high = next((low, high) for _, low, high in BANDS if low <= value <= high)
    start, span = band_span(width, low, high)
    assert start + half <= x <= start + span - half


def test_a_marker_inside_a_band_stays_above_its_score() -> None:
    assert marker_x(1010.0, BANDS, 50, 12) == pytest.approx(505.0)
