"""The tables of the questionnaire's data as frozen dataclasses: levels, the allocation
matrix, life stages and cycles, segments and services, the check rules and the
explanation's words (SPEC §5–§9, §15), with the lookups scoring needs. Built by
`kiosk.engine.loading`; the records they hold are `kiosk.engine.model`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from kiosk.engine.model import (
    LIFE_CYCLE_QUESTIONS,
    ActivityBand,
    Allocation,
    CapitalBand,
    Level,
    LifeCycleRule,
    LifeCycleStage,
    LifeStage,
    Near,
    RiskClass,
    Segment,
    Service,
    Text,
    by_id,
)

ClauseSubject = Literal["question", "level", "level_gap"]


@dataclass(frozen=True)
class Clause:
    """One condition of a check rule: a value of the visit lies in `allowed`.

    The value is, by `subject`: the answer to question `key` (None when unanswered, so
    never allowed); the level of axis `key`, as its rank (0 = the lowest level); or the
    level gap, the rank of axis `key` minus the rank of axis `other`. The loader turns
    the data's `in`, `at_least`, `at_most` and level ids into the set `allowed`.
    """

    subject: ClauseSubject
    key: str
    allowed: frozenset[object]
    other: str = ""

    def holds(self, answers: Mapping[str, object], ranks: Mapping[str, int]) -> bool:
        if self.subject == "question":
            return answers.get(self.key) in self.allowed
        if self.subject == "level":
            return ranks[self.key] in self.allowed
        return ranks[self.key] - ranks[self.other] in self.allowed


@dataclass(frozen=True)
class CheckRule:
    """An answer worth a second look (SPEC §15.3): holds when every clause does."""

    id: str
    clauses: tuple[Clause, ...]
    text: Text

    def holds(self, answers: Mapping[str, object], ranks: Mapping[str, int]) -> bool:
        # A loop, not all() over a generator: that costs 4× as much in `kiosk score --batch`.
        for clause in self.clauses:  # noqa: SIM110
            if not clause.holds(answers, ranks):
                return False
        return True


@dataclass(frozen=True)
class NearStep:
    """A score `points_away` from the neighbouring level `level` across `boundary`."""

    boundary: int
    points_away: int
    level: str
    direction: Literal["above", "below"]


@dataclass(frozen=True)
class ExplanationTexts:
    """The words of SPEC §15 that the screen and the sheet both say (templates use
    {axis}, {score}, {points} and {level})."""

    limited_by: Mapping[str, Text]
    """capacity / attitude / balanced → its sentence."""
    axes: Mapping[str, Text]
    """capacity / attitude → the axis's name inside a sentence."""
    near: Mapping[str, Text]
    """above / below → the sentence template for a near axis."""
    heading: Text
    """Over the checks that hold: "worth discussing with our staff"."""
    lowest_category: Text
    """The note on the result screen and the sheet when the lowest category holds."""
    loss_warning: Text
    """Under the loss question's number pad while 0 is entered."""


@dataclass(frozen=True)
class Tables:
    levels: tuple[Level, ...]
    risk_classes: tuple[RiskClass, ...]
    allocation: Mapping[tuple[str, str], tuple[int, int, int]]
    """(attitude level, capacity level) → (low_risk, medium_risk, high_risk) percent."""
    life_stages: tuple[LifeStage, ...]
    life_cycle_rules: tuple[LifeCycleRule, ...]
    life_cycle_stages: tuple[LifeCycleStage, ...]
    capital: tuple[CapitalBand, ...]
    activity: tuple[ActivityBand, ...]
    key_clients: frozenset[str]
    most_important_segment: str
    segment_label: Text
    service_levels: tuple[Service, ...]
    services: tuple[Service, ...]
    general_service_level: str
    general_services: tuple[str, ...]
    near_within: int
    """A score this many points or fewer from a boundary is near it (SPEC §15.2)."""
    checks: tuple[CheckRule, ...]
    explanation: ExplanationTexts

    def level(self, level_id: str) -> Level:
        return by_id(self.levels, level_id)

    def level_of(self, total: int) -> str:
        """The level band (SPEC §5) of a 0–100 score."""
        for level in self.levels:
            if level.minimum <= total <= level.maximum:
                return level.id
        raise ValueError(f"score {total} is outside every level band")

    def life_stage_of(self, age: int) -> str:
        """The life stage (SPEC §7) of an age."""
        for stage in self.life_stages:
            if stage.min_age <= age <= stage.max_age:
                return stage.id
        raise ValueError(f"age {age} is outside every life stage")

    def life_cycle_of(self, age: int, answers: Mapping[str, str]) -> str | None:
        """The first matching family life-cycle rule (SPEC §8); None if a question is unanswered."""
        if any(answers.get(key) is None for key in LIFE_CYCLE_QUESTIONS):
            return None
        for rule in self.life_cycle_rules:
            if rule.matches(age, answers):
                return rule.stage
        return None

    @cached_property
    def level_by_score(self) -> tuple[str, ...]:
        """level_by_score[total] for every total 0–100."""
        return tuple(self.level_of(total) for total in range(101))

    @cached_property
    def level_rank(self) -> Mapping[str, int]:
        """Level id → its rank, 0 for the lowest."""
        return {level.id: rank for rank, level in enumerate(self.levels)}

    @cached_property
    def level_pairs(self) -> Mapping[tuple[str, str], tuple[str, Mapping[str, int]]]:
        """(capacity level, attitude level) → which limited the allocation (SPEC §15.1:
        the axis with the lower level, or balanced) and the rank of each axis's level."""
        pairs: dict[tuple[str, str], tuple[str, Mapping[str, int]]] = {}
        for capacity, attitude in itertools.product(self.levels, repeat=2):
            ranks = {
                "capacity": self.level_rank[capacity.id],
                "attitude": self.level_rank[attitude.id],
            }
            if ranks["capacity"] < ranks["attitude"]:
                limited_by = "capacity"
            elif ranks["attitude"] < ranks["capacity"]:
                limited_by = "attitude"
            else:
                limited_by = "balanced"
            pairs[(capacity.id, attitude.id)] = (limited_by, MappingProxyType(ranks))
        return pairs

    def near_of(self, total: int) -> NearStep | None:
        """The neighbouring level a 0–100 score is near (SPEC §15.2), if any.

        With b the boundary above the score s, it is near the level above when b − s ≤
        near_within; with b the boundary at or below s, near the level below when
        s − b + 1 ≤ near_within. Levels are at least 2 × near_within wide, so not both.
        """
        rank = self.level_rank[self.level_by_score[total]]
        if rank + 1 < len(self.levels):
            above = self.levels[rank + 1]
            if above.minimum - total <= self.near_within:
                return NearStep(above.minimum, above.minimum - total, above.id, "above")
        if rank > 0:
            boundary = self.levels[rank].minimum
            if total - boundary + 1 <= self.near_within:
                below = self.levels[rank - 1].id
                return NearStep(boundary, total - boundary + 1, below, "below")
        return None

    @cached_property
    def near_by_score(self) -> tuple[NearStep | None, ...]:
        """near_by_score[total] is near_of(total) for every total 0–100."""
        return tuple(self.near_of(total) for total in range(101))

    @cached_property
    def allocation_of(self) -> Mapping[tuple[str, str], Allocation]:
        """(attitude level, capacity level) → its cell, one object per cell."""
        return {key: Allocation(*cell) for key, cell in self.allocation.items()}

    @cached_property
    def segment_by_answers(self) -> Mapping[tuple[object, object], Segment]:
        """(capital, activity) answers → the segment (SPEC §9), one object per segment;
        absent when either is unanswered."""
        return {
            (capital.id, activity.id): Segment(
                id=f"{activity.id}_{capital.id}",
                capital=capital.id,
                activity=activity.id,
                key_client=f"{activity.id}_{capital.id}" in self.key_clients,
            )
            for capital in self.capital
            for activity in self.activity
        }

    @cached_property
    def near_by_axis(self) -> Mapping[tuple[str, int, str], Near]:
        """(axis, its score, the other axis's level) → the neighbouring level that score is
        near, with its allocation (SPEC §15.2); absent when the score is near none."""
        table: dict[tuple[str, int, str], Near] = {}
        for total, step in enumerate(self.near_by_score):
            if step is None:
                continue
            for other in self.levels:
                for axis, cell in (
                    ("capacity", (other.id, step.level)),
                    ("attitude", (step.level, other.id)),
                ):
                    table[(axis, total, other.id)] = Near(
                        axis,
                        total,
                        step.boundary,
                        step.points_away,
                        step.level,
                        self.allocation_of[cell],
                    )
        return table

    @cached_property
    def life_stage_by_age(self) -> Mapping[int, str]:
        """Every age the stages cover → its life stage."""
        first, last = self.life_stages[0].min_age, self.life_stages[-1].max_age
        return {age: self.life_stage_of(age) for age in range(first, last + 1)}

    def risk_class(self, class_id: str) -> RiskClass:
        return by_id(self.risk_classes, class_id)

    def life_stage(self, stage_id: str) -> LifeStage:
        return by_id(self.life_stages, stage_id)

    def life_cycle_stage(self, stage_id: str) -> LifeCycleStage:
        return by_id(self.life_cycle_stages, stage_id)

    def capital_band(self, band_id: str) -> CapitalBand:
        return by_id(self.capital, band_id)

    def activity_band(self, band_id: str) -> ActivityBand:
        return by_id(self.activity, band_id)

    def service_level(self, level_id: str) -> Service:
        return by_id(self.service_levels, level_id)

    def service(self, service_id: str) -> Service:
        return by_id(self.services, service_id)

    def check(self, check_id: str) -> CheckRule:
        return by_id(self.checks, check_id)
