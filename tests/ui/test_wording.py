"""Words a client reads: Chinese lines never break inside a word, money is written one
way per language, on the real labels of the screens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from kiosk.ui.driver import VisitDriver
from kiosk.ui.widgets import label
from kiosk.wording import WORD_JOINER, keep_phrases, money, plain
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import run_kiosk
from tests.ui.conftest import MakeWindow

MESSAGE = "请把此屏幕给工作人员看，他们会在柜台为您打印结果。"
WORDS = ["工作人员", "屏幕", "柜台", "您的", "打印", "结果"]


def lines_of(text: str, font: QFont, width: float) -> list[str]:
    """How Qt breaks `text` into lines `width` pixels wide (what a QLabel shows)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(plain(text[line.textStart() : line.textStart() + line.textLength()]))
    layout.endLayout()
    return lines


@pytest.mark.parametrize("chars_wide", [13, 15, 20])
def test_a_chinese_message_breaks_only_between_phrases(qapp: object, chars_wide: int) -> None:
    font = QFont("WenQuanYi Micro Hei")
    font.setPixelSize(30)
    shown = label(MESSAGE)
    assert shown.text() == MESSAGE  # the text as set, without the joiners
    em = QFontMetricsF(font).horizontalAdvance("工")
    lines = lines_of(keep_phrases(MESSAGE), font, em * chars_wide + 2)
    assert "".join(lines) == MESSAGE
    assert len(lines) >= 2
    for line in lines[:-1]:
        assert line.rstrip()[-1] in "，。", lines  # a line ends only at a phrase's end


def test_without_the_joiners_qt_splits_words(qapp: object) -> None:
    """The reason for keep_phrases: Qt breaks between any two ideographs."""
    font = QFont("WenQuanYi Micro Hei")
    font.setPixelSize(30)
    lines = lines_of(MESSAGE, font, QFontMetricsF(font).horizontalAdvance("工") * 15 + 2)
    assert any(line.rstrip()[-1] not in "，。" for line in lines[:-1])


def test_only_runs_of_ideographs_are_joined() -> None:
    assert keep_phrases("第 3 题") == "第 3 题"
    assert keep_phrases("请输入 18 至 100 之间的数字") == (
        f"请{WORD_JOINER}输{WORD_JOINER}入 18 至 100 之{WORD_JOINER}间{WORD_JOINER}的"
        f"{WORD_JOINER}数{WORD_JOINER}字"
    )
    assert keep_phrases("Back") == "Back"


@pytest.mark.parametrize(
    ("lang", "yuan", "written"),
    [
        ("zh_CN", 100_000, "10万元"),
        ("zh_CN", 20_000, "2万元"),
        ("zh_CN", 15_000, "1.5万元"),
        ("zh_CN", 1_000, "0.1万元"),
        ("zh_CN", 0, "0元"),
        ("en", 20_000, "20,000 yuan"),
        ("en", 100_000, "100,000 yuan"),
    ],
)
def test_money_is_written_one_way_per_language(lang: str, yuan: int, written: str) -> None:
    assert money(lang, yuan) == written


def test_the_loss_example_uses_wan_and_is_not_said_twice(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window()
    drive = VisitDriver(window)
    drive.begin()
    for question in window.flow[window.flow.index("age") : window.flow.index("loss_tolerance_pct")]:
        drive.answer(
            question,
            38 if question == "age" else window.questionnaire.question(question).options[0].id,
        )
    assert drive.screen == "loss_tolerance_pct"
    example_label = window.findChild(QLabel, "loss_tolerance_pct.example")
    assert example_label is not None
    assert example_label.isHidden()  # nothing typed yet: the help line has the example
    drive.type_number("loss_tolerance_pct", 20)
    example = drive.text("loss_tolerance_pct.example")
    assert "10万元" in example
    assert "2万元" in example
    assert "," not in example
    window.set_language("en")
    assert "20,000 yuan" in drive.text("loss_tolerance_pct.example")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_review_and_the_sheet_word_every_answer_the_same(
    make_window: MakeWindow, no_highlight: None, lang: str, tmp_path: Path
) -> None:
    window = make_window()
    answers = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
    VisitDriver(window).visit(answers, lang=lang)
    review = window.pages["review"]
    review.load(window.visit)
    shown = {qid: row[1].text() for qid, row in review.rows.items()}  # type: ignore[attr-defined]
    out = tmp_path / "sheet.pdf"
    run = run_kiosk(
        "report",
        "--answers",
        str(WORKED_EXAMPLE),
        "--out",
        str(out),
        "--lang",
        lang,
        "--staff-copy",
    )
    assert run.code == 0, run.err
    # The segment's answers are on the staff copy (page 2), the others on the client's page.
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    sheet = " ".join(text.split())  # a wrapped answer reads the same
    for question_id, value in answers.items():
        if value is None:
            continue
        assert shown[question_id] in sheet, (question_id, shown[question_id])
    assert shown["age"] == ("38岁" if lang == "zh_CN" else "38 years")
