"""The level gauge's geometry, for the screen and the sheet alike (no Qt, no reportlab):
five bands across 0–100, each as wide as its span, and a marker above the score."""

from __future__ import annotations

from collections.abc import Sequence

Band = tuple[str, int, int]
"""(label, lowest score, highest score)."""


def band_span(width: float, low: int, high: int) -> tuple[float, float]:
    """Where a band starts and how wide it is, on a gauge `width` wide."""
    return width * low / 101, width * (high - low + 1) / 101


def marker_x(width: float, bands: Sequence[Band], value: int, half: float) -> float:
    """The marker's centre: above the score, and wholly inside the score's own band (a
    score on a band's edge must not point at the line between two levels)."""
    x = width * (value + 0.5) / 101
    for _label, low, high in bands:
        if low <= value <= high:
            start, span = band_span(width, low, high)
            margin = min(half + 2, span / 2)
            return min(max(x, start + margin), start + span - margin)
    return x
