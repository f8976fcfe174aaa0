"""The explanation of a result in words (SPEC §15), as the result screen and the sheet
both get it from kiosk.wording: every sentence from the data, in both languages."""

from __future__ import annotations

import itertools

import pytest

from kiosk.engine import LANGS, Questionnaire, score
from kiosk.wording import CheckLine, Explained, NearLine, explanation_lines, loss_warning
from tests.helpers import LONGEST_EXPLANATION, answers_for


def test_the_worked_example_in_chinese(
    questionnaire: Questionnaire, example: dict[str, object]
) -> None:
    profile = score(questionnaire, example)
    assert explanation_lines(questionnaire.tables, profile, "zh_CN") == Explained(
        limited_by="受风险承受度所限：您的财务状况可以承受更多风险，但您的投资态度更稳健。",
        near=(
            NearLine(
                axis="attitude",
                sentence="您的风险承受度得分为58分，再多2分即为中高承受度。",
                level="中高承受度",
                allocation=(("低风险产品", 0), ("中风险产品", 30), ("高风险产品", 70)),
            ),
        ),
        heading="",
        checks=(),
        lowest_category="",
    )


def test_the_worked_example_in_english(
    questionnaire: Questionnaire, example: dict[str, object]
) -> None:
    explained = explanation_lines(questionnaire.tables, score(questionnaire, example), "en")
    assert explained.limited_by.startswith("Limited by your risk attitude: ")
    (near,) = explained.near
    assert near.sentence == (
        "Your risk attitude score is 58, just 2 short of Medium-high risk attitude."
    )
    assert near.allocation == (
        ("Low-risk products", 0),
        ("Medium-risk products", 30),
        ("High-risk products", 70),
    )


def test_a_level_below_is_worded_as_below(questionnaire: Questionnaire) -> None:
    profile = score(questionnaire, answers_for(questionnaire, capacity=61, attitude=50))
    zh = explanation_lines(questionnaire.tables, profile, "zh_CN")
    en = explanation_lines(questionnaire.tables, profile, "en")
    assert [n.sentence for n in zh.near] == ["您的风险承受力得分为61分，再少2分即为中承受力。"]
    assert [n.sentence for n in en.near] == [
        "Your risk capacity score is 61, just 2 above Medium risk capacity."
    ]
    assert zh.limited_by.startswith("受风险承受度所限")  # capacity mid_high, attitude mid


@pytest.mark.parametrize("lang", LANGS)
def test_the_longest_case(questionnaire: Questionnaire, lang: str) -> None:
    """Both axes near, the lowest category, and as many checks as can hold with it."""
    profile = score(questionnaire, LONGEST_EXPLANATION)
    assert profile.explanation.lowest_category
    assert [n.axis for n in profile.explanation.near] == ["capacity", "attitude"]
    explained = explanation_lines(questionnaire.tables, profile, lang)
    tables = questionnaire.tables
    assert explained.limited_by == tables.explanation.limited_by["capacity"].get(lang)
    assert [line.axis for line in explained.near] == ["capacity", "attitude"]
    assert explained.checks == tuple(
        CheckLine(rule, tables.check(rule).text.get(lang))
        for rule in ("gains_vs_loss", "trader_vs_experience", "willing_beyond_capacity")
    )
    assert explained.heading == tables.explanation.heading.get(lang)
    assert explained.lowest_category == tables.explanation.lowest_category.get(lang)


def test_the_words_are_the_datas(questionnaire: Questionnaire) -> None:
    words = questionnaire.tables.explanation
    assert words.heading.zh_CN == "值得与我们的工作人员聊一聊"
    assert words.heading.en == "Worth discussing with our staff"
    assert loss_warning(questionnaire.tables, "zh_CN") == (
        "所填选项会被判定为风险承受能力最低类别，仅适合最低风险等级的产品，请据实慎重选择。"
    )
    assert loss_warning(questionnaire.tables, "en").startswith(
        "This answer places you in the lowest risk category"
    )


def test_every_near_sentence_is_filled_in(questionnaire: Questionnaire) -> None:
    """Every score that can be near, for every level of the other axis, in both languages."""
    tables = questionnaire.tables
    sentences = set()
    for (axis, _, _), near in tables.near_by_axis.items():
        for lang in LANGS:
            template = tables.explanation.near[near.direction].get(lang)
            sentence = template.format(
                axis=tables.explanation.axes[axis].get(lang),
                score=near.score,
                points=near.points_away,
                level="x",
            )
            assert "{" not in sentence
            sentences.add(sentence)
    assert len(sentences) == 2 * 2 * 16  # languages × axes × near scores


@pytest.mark.parametrize("lang", LANGS)
def test_no_placeholder_is_left_in_any_profile(questionnaire: Questionnaire, lang: str) -> None:
    for capacity, attitude in itertools.product(range(10, 101, 3), range(10, 101, 4)):
        profile = score(questionnaire, answers_for(questionnaire, capacity, attitude))
        explained = explanation_lines(questionnaire.tables, profile, lang)
        texts = [explained.limited_by, *(n.sentence for n in explained.near)]
        assert all("{" not in text and text.strip() for text in texts)
