"""Points, levels, allocation, life stage, family life cycle, segment (SPEC §3–§10) and
the explanation (§15, `kiosk.engine.explaining`).

The rules themselves live in the data and in `Tables`; scoring walks the questions once
and looks every result up, so a batch of profiles costs a few microseconds each.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.engine.errors import MISSING, AnswerError
from kiosk.engine.explaining import explain
from kiosk.engine.model import Question, Questionnaire
from kiosk.engine.profile import Answer, Dimension, Profile
from kiosk.engine.tables import Tables


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


Points = list[tuple[str, int]]
"""(question id, points) of a section's answered questions, in questionnaire order."""


def _checked(
    questionnaire: Questionnaire, answers: object
) -> tuple[dict[str, Answer], Points, Points]:
    """Check one answers object in one pass over the questions, collecting their points:
    the answers given, in questionnaire order, and the points of capacity and attitude.

    Optional questions may be absent or null (not answered). Raises AnswerError naming
    the key, the value and what is accepted.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError("answers", answers, "is not an object", "a JSON object of question ids")
    if not answers.keys() <= questionnaire.question_id_set:
        key = next(k for k in answers if k not in questionnaire.question_id_set)
        known = ", ".join(questionnaire.question_ids)
        raise AnswerError(str(key), answers[key], "is for an unknown question", f"one of {known}")
    given: dict[str, Answer] = {}
    capacity: Points = []
    attitude: Points = []
    points = {"capacity": capacity, "attitude": attitude}
    for qid, required, answer_type, points_by_answer, section in questionnaire.answer_rules:
        value = answers.get(qid)
        if value is None:
            if required:
                shown = MISSING if qid not in answers else None
                question = questionnaire.question(qid)
                raise AnswerError(qid, shown, "is a required answer", accepted(question))
            continue
        # The type first: 1.0 == 1 == True as dict keys.
        earned = points_by_answer.get(value) if type(value) is answer_type else None
        if earned is None:
            raise _rejected(questionnaire.question(qid), value)
        given[qid] = value
        if section is not None:
            points[section].append((qid, earned))
    return given, capacity, attitude


def score(questionnaire: Questionnaire, answers: object) -> Profile:
    """Score one answers object. Raises AnswerError for bad input."""
    given, capacity_points, attitude_points = _checked(questionnaire, answers)
    tables = questionnaire.tables
    capacity = _dimension(tables, capacity_points)
    attitude = _dimension(tables, attitude_points)
    age = given["age"]
    assert isinstance(age, int)
    return Profile(
        questionnaire.ref,
        capacity,
        attitude,
        tables.allocation_of[(attitude.level, capacity.level)],
        tables.life_stage_by_age[age],
        questionnaire.life_cycle_lookup.get(
            (given.get("marital"), given.get("children"), given.get("employment"), age)
        ),
        tables.segment_by_answers.get((given.get("capital"), given.get("activity"))),
        explain(tables, given, capacity, attitude),
        tuple(given.items()),
    )


def _dimension(tables: Tables, points: Points) -> Dimension:
    total = 0
    for _, earned in points:
        total += earned
    return Dimension(total, tables.level_by_score[total], tuple(points))
