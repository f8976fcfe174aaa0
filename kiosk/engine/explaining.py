"""Why the allocation is what it is (SPEC §15): the limiting axis, a neighbouring level
one answer away, the check rules that hold, the lowest category.

Everything here reads a scored visit and the tables; nothing changes a score or the
allocation. The words for it live in the data (`Tables.explanation`, `CheckRule.text`)
and are put together by `kiosk.wording`.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.engine.model import LOSS_QUESTION, Tables
from kiosk.engine.profile import Allocation, Explanation, Near


def explain(
    tables: Tables,
    answers: Mapping[str, object],
    capacity: tuple[int, str],
    attitude: tuple[int, str],
) -> Explanation:
    """The explanation of a visit with these answers and (score, level) of each axis."""
    cap_score, cap_level = capacity
    att_score, att_level = attitude
    ranks = {"capacity": tables.level_rank[cap_level], "attitude": tables.level_rank[att_level]}
    if ranks["capacity"] < ranks["attitude"]:
        limited_by = "capacity"
    elif ranks["attitude"] < ranks["capacity"]:
        limited_by = "attitude"
    else:
        limited_by = "balanced"
    near: list[Near] = []
    step = tables.near_by_score[cap_score]
    if step is not None:
        cell = tables.allocation[(att_level, step.level)]
        near.append(
            Near(
                "capacity",
                cap_score,
                step.boundary,
                step.points_away,
                step.level,
                Allocation(*cell),
            )
        )
    step = tables.near_by_score[att_score]
    if step is not None:
        cell = tables.allocation[(step.level, cap_level)]
        near.append(
            Near(
                "attitude",
                att_score,
                step.boundary,
                step.points_away,
                step.level,
                Allocation(*cell),
            )
        )
    return Explanation(
        limited_by=limited_by,
        near=tuple(near),
        checks=tuple(rule.id for rule in tables.checks if rule.holds(answers, ranks)),
        lowest_category=answers.get(LOSS_QUESTION) == 0,
    )
