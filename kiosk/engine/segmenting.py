"""A client's segment from figures (SPEC §9, §17): capital in CNY and yearly turnover.

The walk-in answers the two segment questions with a band; an existing client's list gives
the numbers. The bands are the thresholds of `resources/tables.toml` (ascending from 0,
without gaps, checked at load): a number belongs to the last band whose minimum it
reaches, so capital 99,999.50 is small (< 100,000) and turnover 0.99 static (< 1).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from kiosk.engine.model import ActivityBand, CapitalBand, Segment
from kiosk.engine.tables import Tables


@dataclass(frozen=True)
class Cell:
    """One of the nine segments with its service plan (ids of tables.toml)."""

    segment: Segment
    service_level: str
    services: tuple[str, ...]


class Segmenter:
    """Numbers → the segment cell; built once from the tables, then cheap per client."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.capital: tuple[CapitalBand, ...] = tables.capital
        self.activity: tuple[ActivityBand, ...] = tables.activity
        self._capital_mins = [band.min_cny for band in self.capital]
        self._activity_mins = [band.min_turnover for band in self.activity]
        self._per_capital = len(self.activity)
        by_answers = tables.segment_by_answers
        self.cells: tuple[tuple[Cell, ...], ...] = tuple(
            tuple(
                Cell(
                    by_answers[(capital.id, activity.id)], capital.service_level, activity.services
                )
                for activity in self.activity
            )
            for capital in self.capital
        )
        """cells[capital index][activity index], bands in the tables' order."""

    def cell(self, cny: float, turnover: float) -> Cell:
        index = self.cell_index(cny, turnover)
        return self.cells[index // len(self.activity)][index % len(self.activity)]

    def cell_index(self, cny: float, turnover: float) -> int:
        """capital index x number of activity bands + activity index: one call a client
        (kiosk segment makes 100,000 of them in a run)."""
        if not (cny >= 0 and turnover >= 0):  # NaN too
            raise ValueError(f"capital {cny!r} and turnover {turnover!r} must be numbers >= 0")
        return (bisect_right(self._capital_mins, cny) - 1) * self._per_capital + (
            bisect_right(self._activity_mins, turnover) - 1
        )
