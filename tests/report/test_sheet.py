"""The recommendation sheet (SPEC §11), through `kiosk report` and build_sheet, read with pypdf."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from kiosk.engine import Questionnaire, score
from kiosk.report import SheetHeader, build_sheet
from kiosk.report.fonts import CANNOT_START_LINE
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import dark_share, render_gray, run_kiosk

A4 = (595.28, 841.89)
SHEET_NUMBER = re.compile(r"0000-\d{8}-\d{4}")


def report(tmp_path: Path, *args: str, answers: Path = WORKED_EXAMPLE) -> tuple[Path, str]:
    out = tmp_path / "sheet.pdf"
    run = run_kiosk("report", "--answers", str(answers), "--out", str(out), *args)
    assert run.code == 0, run.err
    assert run.err == ""
    return out, run.out


def text_of(pdf: Path | bytes, page: int = 0) -> str:
    reader = PdfReader(pdf if isinstance(pdf, Path) else __import__("io").BytesIO(pdf))
    return reader.pages[page].extract_text()


def flat(text: str) -> str:
    """Extracted text without line breaks or spaces, for phrases that may wrap."""
    return re.sub(r"\s+", "", text)


def test_chinese_sheet_shows_levels_scores_allocation_and_notice(
    tmp_path: Path, questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    out, said = report(tmp_path, "--lang", "zh_CN")
    number = SHEET_NUMBER.search(said)
    assert number is not None
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    flat_text = flat(text)
    for phrase in (
        "示例证券示例营业部",
        "风险承受力",
        "中高承受力",
        "风险承受度",
        "中承受度",
        "67",
        "58",
        "0%",
        "40%",
        "60%",
        "货币基金",
        "股票型基金",
        "成年期",
        "理财重点：购屋",
        "满巢期（II）",
        "增值服务",
        "专业服务",
        "参考用途，不构成投资建议；正式适当性评估以营业部柜台为准。",
        "branch-risk-profile1.0.0",
        number.group(0),
    ):
        assert flat(phrase) in flat_text, phrase
    # The segment is for staff only.
    assert "稳定中型" not in flat_text
    assert "stable_medium" not in flat_text


def test_every_answer_and_its_points_are_on_the_sheet(
    tmp_path: Path, questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    out, _ = report(tmp_path, "--lang", "zh_CN")
    text = text_of(out)
    flat_text = flat(text)
    profile = score(questionnaire, example)
    for dimension in (profile.capacity, profile.attitude):
        for question_id, points in dimension.points:
            question = questionnaire.question(question_id)
            value = example[question_id]
            option = question.option(value)
            answer = f"{value}{question.unit.zh_CN}" if option is None else option.text.zh_CN
            # Each row reads: part letter, question, answer, points.
            assert flat(question.text.zh_CN + answer + str(points)) in flat_text, question.id
    assert "风险承受力=A年龄37+B工作、家庭与资产3067" in flat_text
    assert "风险承受度=C可接受亏损24+D投资心态3458" in flat_text


def test_english_sheet(tmp_path: Path) -> None:
    out, _ = report(tmp_path, "--lang", "en")
    text = flat(text_of(out))
    for phrase in (
        "Medium-high risk capacity",
        "Medium risk attitude",
        "Suggested asset allocation",
        "Money-market funds",
        "Adulthood (ages 36–45)",
        "Financial focus: Buying a home",
        "Full nest II",
        "For reference only; not investment advice. The formal suitability assessment is done "
        "at the branch counter.",
        "Risk capacity = A Age 37 + B Work, family and assets 30",
    ):
        assert flat(phrase) in text, phrase
    assert "风险" not in text


def test_sheet_language_defaults_to_the_settings(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[kiosk]\nlanguage = "en"\n[branch]\nname = "Harbour Branch"\n', "utf-8")
    out, _ = report(tmp_path, "--settings", str(settings))
    text = text_of(out)
    assert "Harbour Branch" in text
    assert "Risk capacity" in text


def test_staff_copy_is_a_second_page_with_the_segment(tmp_path: Path) -> None:
    out, _ = report(tmp_path, "--staff-copy")
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    staff = flat(reader.pages[1].extract_text())
    expected = (
        "员工联",
        "稳定中型",
        "stable_medium",
        "非重点客户",
        "增值服务",
        "专业服务",
        "67",
        "58",
    )
    for phrase in expected:
        assert phrase in staff, phrase
    assert "稳定中型" not in flat(reader.pages[0].extract_text())


def test_key_client_is_flagged_on_the_staff_copy(tmp_path: Path, example: dict[str, Any]) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({**example, "capital": "large", "activity": "short_term"}))
    out, _ = report(tmp_path, "--staff-copy", "--lang", "en", answers=answers)
    staff = PdfReader(out).pages[1].extract_text()
    assert "Short-term, Large (short_term_large)" in staff
    assert "Key client · the most important segment" in staff
    assert "Reminders" in staff


def test_a4_and_every_font_embedded(tmp_path: Path) -> None:
    out, _ = report(tmp_path, "--staff-copy")
    reader = PdfReader(out)
    names = set()
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded TrueType
    assert names
    # Subset fonts carry a six-letter tag: ABCDEF+Name.
    assert all(re.match(r"/?[A-Z]{6}\+", name) for name in names), names


def test_unknown_life_cycle_is_left_out_cleanly(tmp_path: Path, example: dict[str, Any]) -> None:
    answers = tmp_path / "a.json"
    without = {k: v for k, v in example.items() if k not in ("marital", "capital")}
    answers.write_text(json.dumps(without))
    out, _ = report(tmp_path, answers=answers)
    text = flat(text_of(out))
    assert "家庭生命周期" not in text
    assert "人生阶段" in text
    # Without a segment the general services are offered.
    assert "基础服务" in text


def longest_answers(questionnaire: Questionnaire, lang: str) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.kind == "number":
            answers[question.id] = question.maximum if question.id == "age" else 100
        else:
            answers[question.id] = max(question.options, key=lambda o: len(o.text.get(lang))).id
    answers["age"] = 44  # married + none + working + < 45 → newlywed; change below to the longest
    return answers


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_longest_texts_wrap_on_one_page(
    tmp_path: Path, questionnaire: Questionnaire, lang: str
) -> None:
    tables = questionnaire.tables
    longest_stage = max(tables.life_cycle_stages, key=lambda s: len(s.situation.get(lang)))
    answers = longest_answers(questionnaire, lang)
    # Find answers that reach the stage with the longest description.
    for marital in questionnaire.question("marital").option_ids:
        for children in questionnaire.question("children").option_ids:
            for employment in questionnaire.question("employment").option_ids:
                for age in (30, 50, 70):
                    trial = {**answers, "marital": marital, "children": children}
                    trial |= {"employment": employment, "age": age}
                    if score(questionnaire, trial).life_cycle == longest_stage.id:
                        answers = trial
    profile = score(questionnaire, answers)
    assert profile.life_cycle == longest_stage.id
    branch = "示例证券股份有限公司 上海浦东新区世纪大道营业部"
    header = SheetHeader(branch, "0000-20261125-9999", datetime(2026, 11, 25, 9, 5))
    pdf = build_sheet(questionnaire, profile, header, lang=lang)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    lines = reader.pages[0].extract_text().splitlines()
    assert not [line for line in lines if line.strip()[:1] in CANNOT_START_LINE]
    text = flat("".join(lines))
    assert flat(longest_stage.needs.get(lang)) in text
    for question in questionnaire.questions:
        if question.kind == "choice":
            option = question.option(answers[question.id])
            assert option is not None
            assert flat(option.text.get(lang)) in text, option.text.get(lang)


# ---------------------------------------------------------------------- rendering


NO_PDFTOPPM = shutil.which("pdftoppm") is None


@pytest.mark.skipif(NO_PDFTOPPM, reason="pdftoppm (Debian: poppler-utils) is not installed")
def test_rendered_sheet_is_not_blank(tmp_path: Path) -> None:
    out, _ = report(tmp_path)
    share = dark_share(render_gray(out))
    assert 0.05 < share < 0.6, share
    # The measure itself tells a blank page apart.
    blank = tmp_path / "blank.pdf"
    page = canvas.Canvas(str(blank))
    page.showPage()
    page.save()
    assert dark_share(render_gray(blank)) < 0.01


# ---------------------------------------------------------------------- errors


def test_bad_answers_write_no_file(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    run = run_kiosk("report", "--answers", "-", "--out", str(out), stdin='{"age": 17}')
    assert run.code == 2
    assert run.err_lines[0].startswith("age: 17 is out of range")
    assert len(run.err_lines) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "home"] or not any(
        p.suffix == ".pdf" for p in tmp_path.iterdir()
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("missing/sheet.pdf", "does not exist; create it or choose another --out"),
        ("", "is a folder; expected a .pdf file name for --out"),
    ],
)
def test_unusable_out_is_named(tmp_path: Path, target: str, expected: str) -> None:
    out = tmp_path / target if target else tmp_path
    run = run_kiosk("report", "--answers", str(WORKED_EXAMPLE), "--out", str(out))
    assert run.code == 2
    assert run.err_lines == [run.err_lines[0]]
    assert str(out) in run.err_lines[0]
    assert expected in run.err_lines[0]
