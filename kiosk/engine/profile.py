"""The result of scoring one visit, and its JSON form (SPEC §10).

Its parts that are cells of the tables (an allocation, a segment, a neighbouring level)
are `kiosk.engine.model`'s, shared by every profile that has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.engine.model import Allocation, Near, QuestionnaireRef, Segment

__all__ = ["Allocation", "Answer", "Dimension", "Explanation", "Near", "Profile", "Segment"]


@dataclass(frozen=True)
class Dimension:
    """Risk capacity (A + B) or risk attitude (C + D)."""

    score: int
    level: str
    points: tuple[tuple[str, int], ...]
    """(question id, points) in questionnaire order."""


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
            "questionnaire": questionnaire_json(self.questionnaire),
            "capacity": dimension_json(self.capacity),
            "attitude": dimension_json(self.attitude),
            "allocation": allocation_json(self.allocation),
            "life_stage": self.life_stage,
            "life_cycle": self.life_cycle,
            "segment": segment_json(self.segment),
            "explanation": explanation_json(self.explanation),
        }


# The JSON form of each part of a profile (SPEC §10), as to_json_dict() puts them together.


def questionnaire_json(ref: QuestionnaireRef) -> dict[str, str]:
    return {"id": ref.id, "version": ref.version, "sha256": ref.sha256}


def dimension_json(dimension: Dimension) -> dict[str, Any]:
    return {"score": dimension.score, "level": dimension.level, "points": dict(dimension.points)}


def allocation_json(allocation: Allocation) -> dict[str, int]:
    return {
        "low_risk": allocation.low_risk,
        "medium_risk": allocation.medium_risk,
        "high_risk": allocation.high_risk,
    }


def segment_json(segment: Segment | None) -> dict[str, Any] | None:
    if segment is None:
        return None
    return {
        "id": segment.id,
        "capital": segment.capital,
        "activity": segment.activity,
        "key_client": segment.key_client,
    }


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    return {
        "limited_by": explanation.limited_by,
        "near": [
            {
                "axis": near.axis,
                "score": near.score,
                "boundary": near.boundary,
                "points_away": near.points_away,
                "level": near.level,
                "allocation": allocation_json(near.allocation),
            }
            for near in explanation.near
        ],
        "checks": list(explanation.checks),
        "lowest_category": explanation.lowest_category,
    }
