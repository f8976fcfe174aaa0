"""Why the allocation is what it is (SPEC §15): the limiting axis, a neighbouring level
one answer away, the check rules that hold, the lowest category.

Everything here reads a scored visit and the tables; nothing changes a score or the
allocation. The words for it live in the data (`Tables.explanation`, `CheckRule.text`)
and are put together by `kiosk.wording`.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.engine.model import LOSS_QUESTION
from kiosk.engine.profile import Dimension, Explanation
from kiosk.engine.tables import Tables


def explain(
    tables: Tables, answers: Mapping[str, object], capacity: Dimension, attitude: Dimension
) -> Explanation:
    """The explanation of a visit with these answers, capacity and attitude."""
    limited_by, ranks = tables.level_pairs[(capacity.level, attitude.level)]
    near_by_axis = tables.near_by_axis
    near = (
        near_by_axis.get(("capacity", capacity.score, attitude.level)),
        near_by_axis.get(("attitude", attitude.score, capacity.level)),
    )
    checks = [rule.id for rule in tables.checks if rule.holds(answers, ranks)]
    return Explanation(
        limited_by, tuple(filter(None, near)), tuple(checks), lowest_category(answers)
    )


def lowest_category(answers: Mapping[str, object]) -> bool:
    """The answers put the client in the lowest category (SPEC §15.4): no loss at all is
    acceptable. The loss question's warning shows while its answer would."""
    return answers.get(LOSS_QUESTION) == 0
