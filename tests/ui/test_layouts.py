"""Every client sees every answer: at each supported screen size, in both languages, with
and without large text, every option of every question and both navigation buttons are
wholly on screen without scrolling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.driver import VisitDriver
from kiosk.ui.result_page import ResultPage
from kiosk.ui.widgets import WrapButton
from kiosk.ui.window import KioskWindow
from tests.helpers import LONGEST_EXPLANATION
from tests.helpers.ui import EXAMPLE
from tests.ui.conftest import MakeWindow

SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
LAYOUTS = [
    pytest.param(size, lang, large, id=f"{size[0]}x{size[1]}-{lang}-{'large' * large or 'normal'}")
    for size in SIZES
    for lang in ("zh_CN", "en")
    for large in (False, True)
]
MIN_TARGET_PX = 60
"""≥ 15 mm on a 1920×1080 21.5-inch lobby screen (≈ 4 px a millimetre)."""


def wholly_visible(widget: QWidget, window: QWidget) -> bool:
    """The widget's whole rectangle is painted on screen: nothing covers or clips it,
    and it lies inside the window."""
    if not widget.isVisible():
        return False
    whole = QRect(0, 0, widget.width(), widget.height())
    if widget.visibleRegion().boundingRect() != whole:
        return False
    if widget.visibleRegion().rectCount() != 1:
        return False
    top_left = widget.mapTo(window, whole.topLeft())
    placed = QRect(top_left, whole.size())
    return window.rect().contains(placed)


def problems_on(window: KioskWindow, screen: str) -> list[str]:
    window.show_screen(screen)
    QApplication.processEvents()
    page = window.pages[screen]
    wanted: list[QWidget] = list(page.findChildren(WrapButton))
    wanted += [w for w in page.findChildren(QPushButton) if w.objectName().endswith(".skip")]
    wanted += [w for w in page.findChildren(QPushButton) if ".key." in w.objectName()]
    wanted += [window.back_button]
    if screen != "review":
        wanted.append(window.next_button)
    problems = []
    for widget in wanted:
        if not wholly_visible(widget, window):
            problems.append(f"{screen}: {widget.objectName()} is not wholly visible")
        elif widget.height() < MIN_TARGET_PX:
            problems.append(f"{screen}: {widget.objectName()} is {widget.height()} px high")
    return problems


@pytest.mark.parametrize(("size", "lang", "large"), LAYOUTS)
def test_every_question_shows_every_option_and_both_buttons(
    make_window: MakeWindow, no_highlight: None, size: tuple[int, int], lang: str, large: bool
) -> None:
    window = make_window(size=size)
    window.set_language(lang)
    if large:
        window.toggle_large_text()
    problems: list[str] = []
    for question in window.questionnaire.questions:
        problems += problems_on(window, question.id)
        if (window.width(), window.height()) != size:
            problems.append(f"{question.id}: the window grew to {window.width()}×{window.height()}")
    assert problems == []


@pytest.mark.parametrize("answers", [EXAMPLE, LONGEST_EXPLANATION], ids=["example", "longest"])
@pytest.mark.parametrize(("size", "lang", "large"), LAYOUTS)
def test_the_result_fits_one_screen(
    make_window: MakeWindow,
    no_highlight: None,
    qtbot: QtBot,
    size: tuple[int, int],
    lang: str,
    large: bool,
    answers: dict[str, object],
) -> None:
    """With the most it can say: the note that the printer cannot print (SPEC §19), and
    the worked example's explanation or the longest one (SPEC §15)."""
    window = make_window('[printing]\nprinter = "kiosk-no-such-queue"\n', size=size)
    drive = VisitDriver(window)
    drive.begin(lang)
    if large:
        drive.tap("text.large")
    for screen in window.flow:
        if screen in window.question_pages:
            drive.answer(screen, answers.get(screen))
        elif screen == "optional_intro":
            drive.tap_and_wait("nav.next")
    drive.tap_and_wait("review.confirm")
    page = window.pages["result"]
    qtbot.waitUntil(lambda: window.visit.printer_cause is not None, timeout=10_000)
    QTest.qWait(50)  # the page fits itself once it is laid out
    area = page.findChild(QScrollArea)
    assert area is not None
    assert isinstance(page, ResultPage)
    assert page.needed_height(area.viewport().width()) <= area.viewport().height()
    assert area.verticalScrollBar().maximum() == 0
    assert area.horizontalScrollBar().maximum() == 0
    content = area.widget()
    assert content is not None
    assert content.minimumSizeHint().width() <= area.viewport().width()
    names = ["result.print", "result.export", "result.finish", "result.notice"]
    names += ["result.printer_unavailable", "result.explain.limited_by"]
    explained = [
        label.objectName()
        for label in page.findChildren(QLabel)
        if label.objectName().startswith(("result.explain.near.", "result.check.", "result.low"))
        and not label.isHidden()
    ]
    assert len(explained) >= (2 if answers is EXAMPLE else 8)
    for name in names + explained:
        assert wholly_visible(drive.widget(name), window), name
    assert (window.width(), window.height()) == size


@pytest.mark.parametrize(("size", "lang", "large"), LAYOUTS)
def test_the_loss_warning_fits_with_the_pad(
    make_window: MakeWindow, no_highlight: None, size: tuple[int, int], lang: str, large: bool
) -> None:
    """0 entered on the loss question: its warning (SPEC §15.4) is wholly on screen too."""
    window = make_window(size=size)
    drive = VisitDriver(window)
    drive.begin(lang)
    if large:
        drive.tap("text.large")
    while drive.screen != "loss_tolerance_pct":
        drive.answer(drive.screen, EXAMPLE[drive.screen])
    drive.type_number("loss_tolerance_pct", 0)
    QTest.qWait(50)
    assert wholly_visible(drive.widget("loss_tolerance_pct.warning"), window)
    assert problems_on(window, "loss_tolerance_pct") == []
