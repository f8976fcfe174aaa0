"""Points, levels, allocation, life stage, family life cycle and segment (SPEC §3–§10)."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.engine.errors import MISSING, AnswerError
from kiosk.engine.profile import (
    Allocation,
    Answer,
    Dimension,
    Profile,
    QuestionnaireRef,
    Segment,
)
from kiosk.engine.questionnaire import (
    LIFE_CYCLE_QUESTIONS,
    Question,
    Questionnaire,
    Tables,
)


def accepted(question: Question) -> str:
    """What a question accepts, in words, for error messages."""
    if question.kind == "number":
        return f"an integer {question.minimum}–{question.maximum}"
    return "one of " + ", ".join(question.option_ids)


def validate_answers(
    questionnaire: Questionnaire, answers: object
) -> tuple[tuple[str, Answer], ...]:
    """Check one answers object; return its answers in questionnaire order.

    Optional questions may be absent or null (not answered). Raises AnswerError naming
    the key, the value and what is accepted.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError("answers", answers, "is not an object", "a JSON object of question ids")
    known = questionnaire.question_ids
    for key, value in answers.items():
        if key not in known:
            raise AnswerError(
                str(key), value, "is for an unknown question", "one of " + ", ".join(known)
            )
    valid: list[tuple[str, Answer]] = []
    for question in questionnaire.questions:
        value = answers.get(question.id, MISSING)
        if value is MISSING or value is None:
            if question.required:
                raise AnswerError(question.id, value, "is a required answer", accepted(question))
            continue
        if question.kind == "number":
            if not isinstance(value, int) or isinstance(value, bool):
                raise AnswerError(question.id, value, "is not an integer", accepted(question))
            if not question.minimum <= value <= question.maximum:
                raise AnswerError(question.id, value, "is out of range", accepted(question))
        elif not isinstance(value, str) or question.option(value) is None:
            raise AnswerError(question.id, value, "is not an option", accepted(question))
        valid.append((question.id, value))
    return tuple(valid)


def points_for(question: Question, value: Answer) -> int:
    """The points one (valid) answer earns; 0 for unscored questions."""
    if question.kind == "number":
        assert question.points_rule is not None
        assert isinstance(value, int)
        return question.points_rule(value)
    option = question.option(str(value))
    return option.points if option is not None and option.points is not None else 0


def level_for(tables: Tables, total: int) -> str:
    for level in tables.levels:
        if level.minimum <= total <= level.maximum:
            return level.id
    raise ValueError(f"score {total} is outside every level band")


def life_stage_for(tables: Tables, age: int) -> str:
    for stage in tables.life_stages:
        if stage.min_age <= age <= stage.max_age:
            return stage.id
    raise ValueError(f"age {age} is outside every life stage")


def life_cycle_for(tables: Tables, age: int, answers: Mapping[str, Answer]) -> str | None:
    """The first matching stage of SPEC §8; None unless all three questions are answered."""
    given = {key: answers[key] for key in LIFE_CYCLE_QUESTIONS if key in answers}
    if len(given) != len(LIFE_CYCLE_QUESTIONS):
        return None
    texts = {key: str(value) for key, value in given.items()}
    for rule in tables.life_cycle_rules:
        if rule.matches(age, texts):
            return rule.stage
    return None


def segment_for(tables: Tables, answers: Mapping[str, Answer]) -> Segment | None:
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


def _dimension(
    questionnaire: Questionnaire, section: str, answers: Mapping[str, Answer]
) -> Dimension:
    points = tuple(
        (question.id, points_for(question, answers[question.id]))
        for question in questionnaire.section(section)
    )
    total = sum(value for _, value in points)
    return Dimension(score=total, level=level_for(questionnaire.tables, total), points=points)


def score(questionnaire: Questionnaire, answers: object) -> Profile:
    """Score one answers object. Raises AnswerError for bad input."""
    ordered = validate_answers(questionnaire, answers)
    given = dict(ordered)
    tables = questionnaire.tables
    capacity = _dimension(questionnaire, "capacity", given)
    attitude = _dimension(questionnaire, "attitude", given)
    low, medium, high = tables.allocation[(attitude.level, capacity.level)]
    age = given["age"]
    assert isinstance(age, int)
    return Profile(
        questionnaire=QuestionnaireRef(
            id=questionnaire.id, version=questionnaire.version, sha256=questionnaire.sha256
        ),
        capacity=capacity,
        attitude=attitude,
        allocation=Allocation(low_risk=low, medium_risk=medium, high_risk=high),
        life_stage=life_stage_for(tables, age),
        life_cycle=life_cycle_for(tables, age, given),
        segment=segment_for(tables, given),
        answers=ordered,
    )
