"""Every kind of bad answers input names the key, the value and what is accepted (SPEC §10)."""

from __future__ import annotations

import pytest

from kiosk.engine import AnswerError, Questionnaire, score
from tests.helpers import REQUIRED_IDS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"age": 17}, "age: 17 is out of range; expected an integer 18–100"),
        ({"age": 101}, "age: 101 is out of range; expected an integer 18–100"),
        ({"age": True}, "age: true is not an integer; expected an integer 18–100"),
        ({"age": 38.0}, "age: 38.0 is not an integer; expected an integer 18–100"),
        ({"age": "38"}, 'age: "38" is not an integer; expected an integer 18–100'),
        ({"age": None}, "age: null is a required answer; expected an integer 18–100"),
        (
            {"loss_tolerance_pct": -1},
            "loss_tolerance_pct: -1 is out of range; expected an integer 0–100",
        ),
        (
            {"loss_tolerance_pct": False},
            "loss_tolerance_pct: false is not an integer; expected an integer 0–100",
        ),
        (
            {"job": "boss"},
            'job: "boss" is not an option; expected one of stable_income, regular_income,'
            " commission, self_employed, unemployed",
        ),
        ({"job": 10}, "job: 10 is not an option; expected one of stable_income,"),
        ({"marital": "engaged"}, 'marital: "engaged" is not an option; expected one of single,'),
        ({"capital": ["large"]}, 'capital: ["large"] is not an option; expected one of small,'),
        ({"salary": 5000}, "salary: 5000 is for an unknown question; expected one of age, job,"),
    ],
)
def test_bad_answer_is_named(
    questionnaire: Questionnaire,
    example: dict[str, object],
    change: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(AnswerError) as caught:
        score(questionnaire, {**example, **change})
    assert str(caught.value).startswith(message)
    assert caught.value.key == next(iter(change))


@pytest.mark.parametrize("key", REQUIRED_IDS)
def test_each_required_answer_is_required(
    questionnaire: Questionnaire, example: dict[str, object], key: str
) -> None:
    absent = {k: v for k, v in example.items() if k != key}
    with pytest.raises(AnswerError, match=rf"^{key}: missing is a required answer; expected "):
        score(questionnaire, absent)


@pytest.mark.parametrize("value", [[], "text", 38, None])
def test_answers_must_be_an_object(questionnaire: Questionnaire, value: object) -> None:
    with pytest.raises(AnswerError, match=r"^answers: .* is not an object; expected a JSON object"):
        score(questionnaire, value)
