"""The explanation on the sheet (SPEC §11, §15): the client page says exactly what
kiosk.wording.explanation_lines says (the words the result screen shows), in order; the
longest case stays on one page; the staff copy lists the ids."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kiosk.engine import LANGS, Questionnaire, score
from kiosk.report import SheetHeader, build_sheet
from kiosk.wording import Explained, explanation_lines
from tests.helpers import LONGEST_EXPLANATION, WORKED_EXAMPLE, answers_for, run_kiosk

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
OPTIONAL = ("marital", "children", "employment", "capital", "activity")
# The longest explanation with a family life cycle and a segment too: the fullest page.
LONGEST_PAGE = {**LONGEST_EXPLANATION, **{key: EXAMPLE[key] for key in OPTIONAL}}
CASES = {"worked_example": EXAMPLE, "longest": LONGEST_EXPLANATION, "longest_page": LONGEST_PAGE}
HEADER = SheetHeader("示例证券 示例营业部", "0000-20261202-0001", datetime(2026, 12, 2, 9, 30))


def flat(text: str) -> str:
    """Extracted text without line breaks or spaces, for phrases that may wrap."""
    return re.sub(r"\s+", "", text)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def sheet(
    questionnaire: Questionnaire, answers: dict[str, Any], lang: str, *, staff_copy: bool = False
) -> tuple[list[str], Explained]:
    """The sheet's pages as text, and the explanation as the wording layer gives it."""
    profile = score(questionnaire, answers)
    pdf = build_sheet(questionnaire, profile, HEADER, lang=lang, staff_copy=staff_copy)
    return pages(pdf), explanation_lines(questionnaire.tables, profile, lang)


def in_order(text: str, phrases: list[str]) -> None:
    """Every phrase is in `text` (spaces and line breaks aside), each after the one before."""
    at = 0
    for phrase in phrases:
        found = flat(text).find(flat(phrase), at)
        assert found >= 0, f"{phrase!r} is not on the sheet (after position {at})"
        at = found + len(flat(phrase))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", ["worked_example", "longest"])
def test_the_sheet_says_what_the_wording_layer_says(
    questionnaire: Questionnaire, case: str, lang: str
) -> None:
    """The screen and the sheet share explanation_lines: the sheet carries its every line,
    in its order, so the two cannot drift apart."""
    (client,), explained = sheet(questionnaire, CASES[case], lang)
    own = score(questionnaire, CASES[case]).allocation.as_tuple()
    phrases = [explained.limited_by]
    for near in explained.near:
        # The sentence beside two bars: the client's allocation, then the neighbour's
        # (a 0% share has no segment, as in the donut).
        phrases += [near.sentence, *(f"{percent}%" for percent in own if percent), near.level]
        phrases += [f"{percent}%" for _, percent in near.allocation if percent]
    if explained.checks:
        phrases += [explained.heading, *(check.text for check in explained.checks)]
    phrases += [explained.lowest_category] if explained.lowest_category else []
    in_order(client, phrases)
    # Nothing the sheet words itself: no check's id or rule name reaches the client.
    for check in questionnaire.tables.checks:
        assert check.id not in client


def test_the_worked_example_in_chinese_word_for_word(questionnaire: Questionnaire) -> None:
    (client,), _ = sheet(questionnaire, EXAMPLE, "zh_CN")
    in_order(
        client,
        [
            "受风险承受度所限：您的财务状况可以承受更多风险，但您的投资态度更稳健。",
            "您的风险承受度得分为58分，再多2分即为中高承受度。",
            "您的配置",
            "40%",
            "60%",
            "中高承受度",
            "30%",
            "70%",
        ],
    )
    # No check holds and the loss is not 0: neither the heading nor the note is there.
    words = questionnaire.tables.explanation
    assert flat(words.heading.zh_CN) not in flat(client)
    assert flat(words.lowest_category.zh_CN) not in flat(client)


@pytest.mark.parametrize("lang", LANGS)
def test_a_balanced_profile_far_from_every_boundary_has_one_sentence(
    questionnaire: Questionnaire, lang: str
) -> None:
    answers = answers_for(questionnaire, capacity=70, attitude=70)
    (client,), explained = sheet(questionnaire, answers, lang)
    assert explained.near == ()
    assert explained.checks == ()
    assert not explained.lowest_category
    assert explained.limited_by == questionnaire.tables.explanation.limited_by["balanced"].get(lang)
    in_order(client, [explained.limited_by])
    assert flat(questionnaire.tables.explanation.heading.get(lang)) not in flat(client)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", ["longest", "longest_page"])
def test_the_longest_explanation_stays_on_one_page(
    questionnaire: Questionnaire, case: str, lang: str
) -> None:
    alone, explained = sheet(questionnaire, CASES[case], lang)
    assert len(alone) == 1
    assert len(explained.near) == 2
    assert len(explained.checks) == 3
    assert explained.lowest_category
    with_staff, _ = sheet(questionnaire, CASES[case], lang, staff_copy=True)
    assert len(with_staff) == 2
    # The whole explanation is on the client's page, the notice still last above the QR.
    in_order(with_staff[0], [explained.lowest_category, "branch-risk-profile"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_staff_copy_lists_the_ids(questionnaire: Questionnaire, lang: str) -> None:
    (client, staff), explained = sheet(questionnaire, LONGEST_EXPLANATION, lang, staff_copy=True)
    profile = score(questionnaire, LONGEST_EXPLANATION)
    in_order(
        staff,
        [
            profile.explanation.limited_by,
            explained.limited_by,
            *(part for check in explained.checks for part in (check.id, check.text)),
            explained.lowest_category,
        ],
    )
    assert profile.explanation.checks == tuple(check.id for check in explained.checks)
    assert "gains_vs_loss" in staff
    assert "gains_vs_loss" not in client


def test_the_staff_copy_of_the_worked_example(tmp_path: Path) -> None:
    """Through `kiosk report`: limited by the attitude, no check, not the lowest category."""
    out = tmp_path / "sheet.pdf"
    run = run_kiosk(
        "report",
        "--answers",
        str(WORKED_EXAMPLE),
        "--out",
        str(out),
        "--lang",
        "en",
        "--staff-copy",
    )
    assert run.code == 0, run.err
    staff = PdfReader(out).pages[1].extract_text()
    in_order(
        staff,
        [
            "Limited by",
            "attitude — Limited by your risk attitude:",
            "Answers worth discussing",
            "None",
            "Lowest risk category",
            "No",
        ],
    )
