"""A double tap never answers a question the client has not seen: real mouse presses on
the real window, with the real highlight delay."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui import question_pages
from kiosk.ui.driver import VisitDriver
from kiosk.ui.taps import SETTLE_MS
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import MakeWindow


def to_job_question(window: KioskWindow) -> VisitDriver:
    drive = VisitDriver(window)
    drive.begin()
    drive.type_number("age", 38)
    drive.tap_and_wait("nav.next")
    assert drive.screen == "job"
    QTest.qWait(SETTLE_MS + 50)  # the client has seen the question
    return drive


def press_at(qtbot: QtBot, window: KioskWindow, point: QPoint) -> QWidget:
    """A real tap at a point of the window, on whatever is there now."""
    target = window.childAt(point)
    assert target is not None
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, point))
    return target


def test_a_second_tap_on_the_same_spot_does_not_answer_the_next_question(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    drive = to_job_question(window)
    option = drive.widget("job.stable_income")
    spot = option.mapTo(window, option.rect().center())
    press_at(qtbot, window, spot)
    qtbot.waitUntil(lambda: drive.screen == "burden", timeout=2000)
    # The finger comes down again at once, on the next question's first option.
    hit = press_at(qtbot, window, spot)
    assert hit is not option
    qtbot.wait(question_pages.HIGHLIGHT_MS + 100)  # long enough for a tap that counted to move on
    assert drive.screen == "burden"
    assert "burden" not in window.visit.answers
    assert window.tap_guard.dropped >= 1
    # Once the screen has been seen, the same tap answers it.
    qtbot.wait(SETTLE_MS + 50)
    press_at(qtbot, window, spot)
    qtbot.waitUntil(lambda: "burden" in window.visit.answers, timeout=2000)


def test_back_during_the_highlight_is_ignored(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    drive = to_job_question(window)
    option = drive.widget("job.regular_income")
    press_at(qtbot, window, option.mapTo(window, option.rect().center()))
    back = window.back_button
    press_at(qtbot, window, back.mapTo(window, back.rect().center()))
    assert drive.screen == "job"  # not back to the age question
    assert window.tap_guard.dropped == 1
    qtbot.waitUntil(lambda: drive.screen == "burden", timeout=2000)
    assert window.visit.answers["job"] == "regular_income"


def test_taps_on_a_settled_screen_are_never_dropped(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    drive = to_job_question(window)
    option = drive.widget("job.self_employed")
    press_at(qtbot, window, option.mapTo(window, option.rect().center()))
    qtbot.waitUntil(lambda: drive.screen == "burden", timeout=2000)
    assert window.visit.answers["job"] == "self_employed"
    assert window.tap_guard.dropped == 0
