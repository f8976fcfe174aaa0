"""The result explained on the screen (SPEC §15, §14's names): which axis limited the
allocation, a neighbouring level one answer away with its allocation, the answers worth
discussing and the lowest category, in the words the sheet uses (kiosk.wording); and the
loss question's warning while 0 is entered."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.engine import score
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from kiosk.wording import explanation_lines
from tests.helpers import LONGEST_EXPLANATION
from tests.helpers.ui import EXAMPLE


def shown(window: KioskWindow, name: str) -> str | None:
    """The label's text when it is on screen, else None."""
    found = window.findChild(QLabel, name)
    assert found is not None, name
    return found.text() if found.isVisible() else None


def test_the_worked_example_is_explained_in_the_sheets_words(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.visit(EXAMPLE)
    tables = window.questionnaire.tables
    for lang in ("zh_CN", "en"):
        window.set_language(lang)
        words = explanation_lines(tables, score(window.questionnaire, EXAMPLE), lang)
        assert shown(window, "result.explain.limited_by") == words.limited_by
        (near,) = words.near
        assert near.axis == "attitude"
        assert shown(window, "result.explain.near.attitude") == near.sentence
        assert shown(window, "result.explain.near.attitude.level") == near.level
        assert shown(window, "result.explain.near.capacity") is None
        assert shown(window, "result.lowest_category") is None
        for rule in tables.checks:
            assert shown(window, f"result.check.{rule.id}") is None
    assert shown(window, "result.explain.limited_by") == (
        "Limited by your risk attitude: your finances could bear more risk, "
        "but your attitude to investing is more cautious."
    )


def test_the_longest_explanation_shows_every_part(window: KioskWindow, drive: VisitDriver) -> None:
    drive.visit(LONGEST_EXPLANATION, lang="en")
    profile = window.visit.profile
    assert profile is not None
    words = explanation_lines(window.questionnaire.tables, profile, "en")
    for line in words.near:
        assert shown(window, f"result.explain.near.{line.axis}") == line.sentence
    assert {line.axis for line in words.near} == {"capacity", "attitude"}
    holding = {line.id: line.text for line in words.checks}
    assert holding  # the case is built so that some hold
    for rule in window.questionnaire.tables.checks:
        text = shown(window, f"result.check.{rule.id}")
        assert text == (f"• {holding[rule.id]}" if rule.id in holding else None)
    assert shown(window, "result.lowest_category") == words.lowest_category
    assert words.lowest_category.startswith("You can accept no loss at all")


def test_the_loss_question_warns_while_0_is_entered(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.begin()
    for screen in window.flow[window.flow.index("age") : window.flow.index("loss_tolerance_pct")]:
        drive.answer(screen, EXAMPLE[screen])
    assert shown(window, "loss_tolerance_pct.warning") is None
    drive.type_number("loss_tolerance_pct", 0)
    assert shown(window, "loss_tolerance_pct.warning") == (
        "所填选项会被判定为风险承受能力最低类别，仅适合最低风险等级的产品，请据实慎重选择。"
    )
    drive.type_number("loss_tolerance_pct", 10)  # (the pad's Clear first)
    assert shown(window, "loss_tolerance_pct.warning") is None
    drive.tap("loss_tolerance_pct.key.clear")
    drive.tap("loss_tolerance_pct.key.0")
    window.set_language("en")
    warning = shown(window, "loss_tolerance_pct.warning")
    assert warning is not None
    assert "lowest" in warning
