"""Properties that hold for every valid answers object (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine import Questionnaire, load_questionnaire, score

QUESTIONNAIRE = load_questionnaire()


@st.composite
def answers(draw: st.DrawFn, q: Questionnaire = QUESTIONNAIRE) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for question in q.questions:
        if not question.required and draw(st.booleans()):
            continue
        if question.kind == "number":
            result[question.id] = draw(st.integers(question.minimum, question.maximum))
        else:
            result[question.id] = draw(st.sampled_from(question.option_ids))
    return result


@given(answers())
def test_scores_stay_in_range_and_allocations_sum_to_100(given_answers: dict[str, Any]) -> None:
    profile = score(QUESTIONNAIRE, given_answers)
    assert 0 <= profile.capacity.score <= 100
    assert 0 <= profile.attitude.score <= 100
    assert profile.capacity.score == sum(p for _, p in profile.capacity.points)
    assert profile.attitude.score == sum(p for _, p in profile.attitude.points)
    assert sum(profile.allocation.as_tuple()) == 100
    assert all(share >= 0 for share in profile.allocation.as_tuple())


def _safer(question_id: str, value: Any, draw_step: int) -> Any:
    """A safer answer to the same question: fewer points, never more."""
    question = QUESTIONNAIRE.question(question_id)
    if question_id == "age":
        return min(question.maximum, value + draw_step)
    if question_id == "loss_tolerance_pct":
        return max(question.minimum, value - draw_step)
    ids = question.option_ids
    return ids[min(len(ids) - 1, ids.index(value) + draw_step)]


SCORED = [q.id for q in QUESTIONNAIRE.questions if q.scored]


@settings(max_examples=300)
@given(answers(), st.sampled_from(SCORED), st.integers(1, 40))
def test_a_safer_answer_never_raises_the_high_risk_share(
    given_answers: dict[str, Any], question_id: str, step: int
) -> None:
    before = score(QUESTIONNAIRE, given_answers)
    safer = {**given_answers, question_id: _safer(question_id, given_answers[question_id], step)}
    after = score(QUESTIONNAIRE, safer)
    assert after.allocation.high_risk <= before.allocation.high_risk
    assert after.capacity.score <= before.capacity.score
    assert after.attitude.score <= before.attitude.score


@given(answers())
def test_profile_json_round_trips_the_answers(given_answers: dict[str, Any]) -> None:
    profile = score(QUESTIONNAIRE, given_answers)
    assert dict(profile.answers) == given_answers
    data = profile.to_json_dict()
    assert (data["life_cycle"] is None) == any(
        k not in given_answers for k in ("marital", "children", "employment")
    )
    assert (data["segment"] is None) == any(k not in given_answers for k in ("capital", "activity"))
