"""The result of scoring one visit, and its JSON form (SPEC §10)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.engine.model import QuestionnaireRef


@dataclass(frozen=True)
class Dimension:
    """Risk capacity (A + B) or risk attitude (C + D)."""

    score: int
    level: str
    points: tuple[tuple[str, int], ...]
    """(question id, points) in questionnaire order."""


@dataclass(frozen=True)
class Allocation:
    low_risk: int
    medium_risk: int
    high_risk: int

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.low_risk, self.medium_risk, self.high_risk)


@dataclass(frozen=True)
class Segment:
    id: str
    capital: str
    activity: str
    key_client: bool


@dataclass(frozen=True)
class Near:
    """An axis near a neighbouring level (SPEC §15.2): `level` is that level, and
    `allocation` the matrix cell with this axis there and the other axis unchanged."""

    axis: str
    score: int
    boundary: int
    points_away: int
    level: str
    allocation: Allocation

    @property
    def direction(self) -> str:
        """above when the neighbouring level is across the boundary above the score."""
        return "above" if self.boundary > self.score else "below"


@dataclass(frozen=True)
class Explanation:
    """Why the allocation is what it is (SPEC §15); it never changes a score."""

    limited_by: str
    """capacity, attitude or balanced: the axis with the lower level."""
    near: tuple[Near, ...]
    """Capacity first; empty when neither axis is near a neighbouring level."""
    checks: tuple[str, ...]
    """The ids of the check rules that hold, in data order."""
    lowest_category: bool
    """No loss is acceptable: the lowest suitability category (C1)."""


Answer = int | str


@dataclass(frozen=True)
class Profile:
    questionnaire: QuestionnaireRef
    capacity: Dimension
    attitude: Dimension
    allocation: Allocation
    life_stage: str
    life_cycle: str | None
    segment: Segment | None
    explanation: Explanation
    answers: tuple[tuple[str, Answer], ...]
    """The validated answers, in questionnaire order; not part of the JSON profile."""

    def to_json_dict(self) -> dict[str, Any]:
        """The profile as SPEC §10 prints it: exactly these keys, in this order."""
        return {
            "questionnaire": {
                "id": self.questionnaire.id,
                "version": self.questionnaire.version,
                "sha256": self.questionnaire.sha256,
            },
            "capacity": _dimension(self.capacity),
            "attitude": _dimension(self.attitude),
            "allocation": _allocation(self.allocation),
            "life_stage": self.life_stage,
            "life_cycle": self.life_cycle,
            "segment": None
            if self.segment is None
            else {
                "id": self.segment.id,
                "capital": self.segment.capital,
                "activity": self.segment.activity,
                "key_client": self.segment.key_client,
            },
            "explanation": _explanation(self.explanation),
        }


def _dimension(dimension: Dimension) -> dict[str, Any]:
    return {"score": dimension.score, "level": dimension.level, "points": dict(dimension.points)}


def _allocation(allocation: Allocation) -> dict[str, int]:
    return {
        "low_risk": allocation.low_risk,
        "medium_risk": allocation.medium_risk,
        "high_risk": allocation.high_risk,
    }


def _explanation(explanation: Explanation) -> dict[str, Any]:
    return {
        "limited_by": explanation.limited_by,
        "near": [
            {
                "axis": near.axis,
                "score": near.score,
                "boundary": near.boundary,
                "points_away": near.points_away,
                "level": near.level,
                "allocation": _allocation(near.allocation),
            }
            for near in explanation.near
        ],
        "checks": list(explanation.checks),
        "lowest_category": explanation.lowest_category,
    }
