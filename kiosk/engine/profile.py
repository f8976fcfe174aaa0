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
            "allocation": {
                "low_risk": self.allocation.low_risk,
                "medium_risk": self.allocation.medium_risk,
                "high_risk": self.allocation.high_risk,
            },
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
        }


def _dimension(dimension: Dimension) -> dict[str, Any]:
    return {"score": dimension.score, "level": dimension.level, "points": dict(dimension.points)}
