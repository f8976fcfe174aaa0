"""Whole visits through the real window, by the widget names of SPEC §14."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.engine import Questionnaire, score
from kiosk.ui import question_pages
from kiosk.ui.driver import DriverError, VisitDriver
from kiosk.ui.window import KioskWindow
from tests.helpers.ui import EXAMPLE, visible_texts
from tests.ui.conftest import MakeWindow


def test_the_worked_example_shows_67_58_and_0_40_60(
    window: KioskWindow, drive: VisitDriver, questionnaire: Questionnaire
) -> None:
    profile = drive.visit(EXAMPLE)
    assert profile == score(questionnaire, EXAMPLE)
    assert drive.text("result.capacity.score") == "67"
    assert drive.text("result.attitude.score") == "58"
    assert drive.text("result.capacity.level") == "中高承受力"
    assert drive.text("result.attitude.level") == "中承受度"
    shares = [
        drive.text(f"result.allocation.{key}") for key in ("low_risk", "medium_risk", "high_risk")
    ]
    assert shares == ["0%", "40%", "60%"]
    assert "成年期" in drive.text("result.life_stage")
    assert "满巢期（II）" in drive.text("result.life_stage")
    for name in ("result.print", "result.export", "result.finish"):
        assert drive.widget(name).isEnabled()


def test_a_visit_in_english(window: KioskWindow, drive: VisitDriver) -> None:
    drive.visit(EXAMPLE, lang="en")
    assert drive.text("result.capacity.level") == "Medium-high risk capacity"
    assert drive.text("result.attitude.level") == "Medium risk attitude"
    texts = visible_texts(window)
    assert "Your result" in texts
    assert "承受" not in texts


def test_only_the_required_answers(window: KioskWindow, drive: VisitDriver) -> None:
    required = {k: v for k, v in EXAMPLE.items() if k not in window.optional}
    profile = drive.visit(required)
    assert profile.life_cycle is None
    assert profile.segment is None
    assert drive.text("result.capacity.score") == "67"


def test_each_optional_question_can_be_declined(window: KioskWindow, drive: VisitDriver) -> None:
    answers = {**EXAMPLE, "children": None, "capital": None}
    profile = drive.visit(answers)
    assert profile.life_cycle is None
    assert profile.segment is None
    assert "children" not in window.visit.answers


def test_progress_counts_the_questions(window: KioskWindow, drive: VisitDriver) -> None:
    drive.begin()
    assert drive.text("header.progress") == "第 1 题 / 共 12 题"
    drive.answer("age", 38)
    assert drive.text("header.progress") == "第 2 题 / 共 12 题"


def test_back_returns_to_the_previous_question_with_its_answer(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.begin()
    drive.answer("age", 38)
    drive.answer("job", "commission")
    assert drive.screen == "burden"
    drive.tap_and_wait("nav.back")
    assert drive.screen == "job"
    assert drive.widget("job.commission").property("chosen") == "true"
    assert drive.widget("nav.next").isEnabled()
    drive.tap_and_wait("nav.next")
    assert drive.screen == "burden"
    drive.tap_and_wait("nav.back")
    drive.tap_and_wait("nav.back")
    assert drive.screen == "age"
    assert drive.text("age.value") == "38"
    drive.tap_and_wait("nav.back")
    assert drive.screen == "consent"


def test_review_edits_one_answer_and_returns(
    window: KioskWindow, drive: VisitDriver, questionnaire: Questionnaire
) -> None:
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.finish")
    # Start again, this time changing an answer from the review.
    window.wipe()
    answers = dict(EXAMPLE)
    drive.begin()
    for screen in window.flow[window.flow.index("age") : window.flow.index("review")]:
        if screen == "optional_intro":
            drive.tap_and_wait("nav.next")
        else:
            drive.answer(screen, answers.get(screen))
    assert drive.screen == "review"
    drive.tap_and_wait("review.edit.job")
    assert drive.screen == "job"
    drive.tap_and_wait("job.stable_income")
    assert drive.screen == "review"
    assert "稳定收入" in visible_texts(window)
    drive.tap_and_wait("review.edit.age")
    drive.type_number("age", 70)
    drive.tap_and_wait("nav.next")
    assert drive.screen == "review"
    drive.tap_and_wait("review.confirm")
    expected = score(questionnaire, {**answers, "job": "stable_income", "age": 70})
    assert drive.text("result.capacity.score") == str(expected.capacity.score)


def test_switching_language_mid_visit_keeps_every_answer(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.begin()
    drive.answer("age", 38)
    drive.answer("job", "regular_income")
    assert "您的家庭负担是？" in visible_texts(window)
    drive.tap("lang.en")
    assert "Who depends on your household's income?" in visible_texts(window)
    assert drive.text("header.progress") == "Question 3 of 12"
    assert window.visit.answers == {"age": 38, "job": "regular_income"}
    drive.tap_and_wait("nav.back")
    assert drive.widget("job.regular_income").property("chosen") == "true"
    assert drive.widget("job.regular_income").text() == "Ordinary salary"
    drive.tap("lang.zh_CN")
    assert drive.widget("job.regular_income").text() == "一般收入"


def test_number_pad_refuses_out_of_range_values(window: KioskWindow, drive: VisitDriver) -> None:
    drive.begin()
    next_button = drive.widget("nav.next")
    assert not next_button.isEnabled()
    drive.type_number("age", 150)
    assert drive.text("age.value") == "150"
    assert not next_button.isEnabled()
    assert "150" in drive.text("age.warning")
    drive.type_number("age", 17)
    assert not next_button.isEnabled()
    drive.tap("age.key.9")
    drive.tap("age.key.1")  # a fourth digit is ignored: 100 has three
    assert drive.text("age.value") == "179"
    assert not next_button.isEnabled()
    drive.tap("age.key.clear")
    assert drive.text("age.value") == "–"
    drive.type_number("age", 18)
    assert next_button.isEnabled()
    assert window.findChild(QLabel, "age.warning").isHidden()  # type: ignore[union-attr]
    drive.type_number("age", 101)
    with pytest.raises(DriverError, match="disabled"):
        drive.tap("nav.next")


def test_the_loss_question_shows_the_money(window: KioskWindow, drive: VisitDriver) -> None:
    drive.begin()
    for screen in window.flow[window.flow.index("age") : window.flow.index("loss_tolerance_pct")]:
        drive.answer(screen, EXAMPLE[screen])
    drive.type_number("loss_tolerance_pct", 12)
    example = drive.text("loss_tolerance_pct.example")
    assert example == "也就是说：投入10万元，亏损12%就是少了1.2万元。"


def test_declining_consent_returns_to_attract(window: KioskWindow, drive: VisitDriver) -> None:
    drive.tap_and_wait("attract.lang.en")
    drive.tap_and_wait("consent.decline")
    assert drive.screen == "attract"
    assert window.lang.lang == "zh_CN"


def test_finish_rating_and_thanks_end_the_visit(window: KioskWindow, drive: VisitDriver) -> None:
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.finish")
    assert drive.screen == "rating"
    drive.tap_and_wait("rating.4")
    assert drive.screen == "thanks"
    drive.tap_and_wait("thanks.done")
    assert drive.screen == "attract"
    assert window.visit.answers == {}


def test_a_double_tap_cannot_skip_a_question(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()  # the real highlight delay
    drive = VisitDriver(window)
    assert window.highlight_ms is None
    assert question_pages.HIGHLIGHT_MS > 0
    drive.begin()
    drive.answer("age", 38)
    option = drive.widget("job.regular_income")
    assert isinstance(option, QPushButton)
    option.click()
    option.click()  # the second tap lands on a disabled button
    assert option.property("chosen") == "true"
    qtbot.waitUntil(lambda: window.visit.screen == "burden", timeout=3000)
    qtbot.wait(question_pages.HIGHLIGHT_MS * 2)
    assert window.visit.screen == "burden"
    assert window.visit.answers == {"age": 38, "job": "regular_income"}
