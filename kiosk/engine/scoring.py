"""Points, levels, allocation, life stage, family life cycle and segment (SPEC §3–§10).

The rules themselves live in the data and in `Tables`; scoring walks the questions once
and looks every result up, so a batch of profiles costs a few microseconds each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from kiosk.engine.errors import MISSING, AnswerError
from kiosk.engine.explaining import explain
from kiosk.engine.model import SECTIONS, Question, Questionnaire, Tables
from kiosk.engine.profile import Allocation, Answer, Dimension, Profile, Segment


def accepted(question: Question) -> str:
    """What a question accepts, in words, for error messages."""
    if question.kind == "number":
        return f"an integer {question.minimum}–{question.maximum}"
    return "one of " + ", ".join(question.option_ids)


def _rejected(question: Question, value: object) -> AnswerError:
    """The error for a present answer that the question does not accept."""
    if question.kind == "number":
        if type(value) is not int:  # bool is an int subclass, and no number here
            return AnswerError(question.id, value, "is not an integer", accepted(question))
        return AnswerError(question.id, value, "is out of range", accepted(question))
    return AnswerError(question.id, value, "is not an option", accepted(question))


class _Checked:
    """One answers object after checking: the answers and the points of each section."""

    __slots__ = ("given", "points", "totals")

    def __init__(self) -> None:
        self.given: dict[str, Answer] = {}
        self.points: dict[str, list[tuple[str, int]]] = {section: [] for section in SECTIONS}
        self.totals: dict[str, int] = dict.fromkeys(SECTIONS, 0)


def _checked(questionnaire: Questionnaire, answers: object) -> _Checked:
    """Check one answers object in one pass over the questions, collecting their points.

    Optional questions may be absent or null (not answered). Raises AnswerError naming
    the key, the value and what is accepted.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError("answers", answers, "is not an object", "a JSON object of question ids")
    if not answers.keys() <= questionnaire.question_id_set:
        key = next(k for k in answers if k not in questionnaire.question_id_set)
        known = ", ".join(questionnaire.question_ids)
        raise AnswerError(str(key), answers[key], "is for an unknown question", f"one of {known}")
    result = _Checked()
    given, points, totals = result.given, result.points, result.totals
    for question in questionnaire.questions:
        qid = question.id
        value = answers.get(qid)
        if value is None:
            if question.required:
                shown = MISSING if qid not in answers else None
                raise AnswerError(qid, shown, "is a required answer", accepted(question))
            continue
        if type(value) is not question.answer_type:
            raise _rejected(question, value)
        earned = question.points_by_answer.get(value)
        if earned is None:
            raise _rejected(question, value)
        given[qid] = cast(Answer, value)
        points[question.section].append((qid, earned))
        totals[question.section] += earned
    return result


def segment_for(tables: Tables, answers: Mapping[str, Answer]) -> Segment | None:
    """The client segment of SPEC §9; None unless both questions are answered."""
    capital, activity = answers.get("capital"), answers.get("activity")
    if capital is None or activity is None:
        return None
    segment_id = f"{activity}_{capital}"
    return Segment(
        id=segment_id,
        capital=str(capital),
        activity=str(activity),
        key_client=segment_id in tables.key_clients,
    )


def score(questionnaire: Questionnaire, answers: object) -> Profile:
    """Score one answers object. Raises AnswerError for bad input."""
    checked = _checked(questionnaire, answers)
    given, points, totals = checked.given, checked.points, checked.totals
    tables = questionnaire.tables
    cap_level = tables.level_by_score[totals["capacity"]]
    att_level = tables.level_by_score[totals["attitude"]]
    low, medium, high = tables.allocation[(att_level, cap_level)]
    age = given["age"]
    assert isinstance(age, int)
    explanation = explain(
        tables, given, (totals["capacity"], cap_level), (totals["attitude"], att_level)
    )
    return Profile(
        questionnaire=questionnaire.ref,
        capacity=Dimension(totals["capacity"], cap_level, tuple(points["capacity"])),
        attitude=Dimension(totals["attitude"], att_level, tuple(points["attitude"])),
        allocation=Allocation(low_risk=low, medium_risk=medium, high_risk=high),
        life_stage=tables.life_stage_by_age[age],
        life_cycle=questionnaire.life_cycle_lookup.get(
            (given.get("marital"), given.get("children"), given.get("employment"), age)
        ),
        segment=segment_for(tables, given),
        explanation=explanation,
        answers=tuple(given.items()),
    )
