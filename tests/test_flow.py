"""The flow of a visit, as a table, without a window (and without Qt)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.flow import (
    ADMIN,
    ATTRACT,
    CONSENT,
    END,
    MESSAGE,
    OPTIONAL_INTRO,
    PIN,
    PRINTING,
    RATING,
    RESULT,
    REVIEW,
    THANKS,
    Event,
    Flow,
    Progress,
    Visit,
)

SCORED = ("age", "job", "burden")
OPTIONAL = ("marital", "capital")
E = Event

# (screen, event, question, editing before) → (next screen, editing after)
TABLE = [
    (ATTRACT, E.START, "", False, CONSENT, False),
    (CONSENT, E.ACCEPT, "", False, "age", False),
    (CONSENT, E.DECLINE, "", False, END, False),
    ("age", E.NEXT, "", False, "job", False),
    ("age", E.BACK, "", False, CONSENT, False),
    ("job", E.ANSWERED, "", False, "burden", False),
    ("job", E.BACK, "", False, "age", False),
    ("burden", E.ANSWERED, "", False, OPTIONAL_INTRO, False),
    (OPTIONAL_INTRO, E.NEXT, "", False, "marital", False),
    (OPTIONAL_INTRO, E.SKIP_OPTIONAL, "", False, REVIEW, False),
    (OPTIONAL_INTRO, E.BACK, "", False, "burden", False),
    ("marital", E.BACK, "", False, OPTIONAL_INTRO, False),
    ("marital", E.ANSWERED, "", False, "capital", False),
    ("capital", E.ANSWERED, "", False, REVIEW, False),
    (REVIEW, E.BACK, "", False, "capital", False),
    (REVIEW, E.EDIT, "job", False, "job", True),
    ("job", E.ANSWERED, "", True, REVIEW, False),  # an edited answer returns to the review
    ("job", E.BACK, "", True, REVIEW, False),
    ("age", E.NEXT, "", True, REVIEW, False),
    (REVIEW, E.NOT_SCORED, "burden", False, "burden", False),
    (REVIEW, E.CONFIRM, "", False, RESULT, False),
    (RESULT, E.PRINT, "", False, PRINTING, False),
    (RESULT, E.EXPORT, "", False, PRINTING, False),
    (PRINTING, E.SHEET_DONE, "", False, MESSAGE, False),
    (MESSAGE, E.PRINT, "", False, PRINTING, False),
    (MESSAGE, E.MESSAGE_DONE, "", False, RESULT, False),
    (RESULT, E.FINISH, "", False, RATING, False),
    (RATING, E.RATED, "", False, THANKS, False),
    (THANKS, E.THANKS_DONE, "", False, END, False),
    # The idle countdown ends every visit's screen but the start and printing.
    ("job", E.IDLE, "", False, END, False),
    (RESULT, E.IDLE, "", False, END, False),
    (ADMIN, E.IDLE, "", False, END, False),
    (PIN, E.IDLE, "", False, END, False),
    (ATTRACT, E.IDLE, "", False, ATTRACT, False),
    (PRINTING, E.IDLE, "", False, PRINTING, False),
    # Staff.
    (ATTRACT, E.CORNER, "", False, PIN, False),
    (PIN, E.UNLOCKED, "", False, ADMIN, False),
    (ADMIN, E.STAFF_DONE, "", False, END, False),
    # Events that do not belong to a screen leave it where it is.
    (RESULT, E.ANSWERED, "", False, RESULT, False),
    (CONSENT, E.CORNER, "", False, CONSENT, False),
    ("job", E.CORNER, "", False, "job", False),
    (PRINTING, E.PRINT, "", False, PRINTING, False),
    (THANKS, E.BACK, "", False, THANKS, False),
]


@pytest.mark.parametrize(("screen", "event", "question", "editing", "then", "editing_after"), TABLE)
def test_the_way_through_a_visit(
    screen: str, event: Event, question: str, editing: bool, then: str, editing_after: bool
) -> None:
    flow = Flow(SCORED, OPTIONAL)
    visit = Visit("zh_CN", large_text=False, screen=screen, editing=editing)
    assert flow.after(visit, event, question) == then
    assert visit.editing is editing_after


def test_declining_marks_the_visit() -> None:
    visit = Visit("zh_CN", False, screen=CONSENT)
    assert Flow(SCORED, OPTIONAL).after(visit, E.DECLINE) == END
    assert visit.declined


def test_cancel_on_the_pin_pad_returns_where_staff_came_from() -> None:
    flow = Flow(SCORED, OPTIONAL)
    visit = Visit("zh_CN", False)
    flow.enter(visit, flow.after(visit, E.CORNER))
    assert flow.after(visit, E.PIN_CANCEL) == ATTRACT
    flow.enter(visit, ADMIN)
    flow.enter(visit, flow.after(visit, E.CHANGE_PIN))
    assert visit.screen == PIN
    assert flow.after(visit, E.PIN_CANCEL) == ADMIN


def test_editing_an_unknown_question_is_an_error() -> None:
    visit = Visit("zh_CN", False, screen=REVIEW)
    with pytest.raises(ValueError, match="not a question"):
        Flow(SCORED, OPTIONAL).after(visit, E.EDIT, "nope")


def test_without_optional_questions_the_review_follows_the_last_scored_one() -> None:
    flow = Flow(SCORED, ())
    assert OPTIONAL_INTRO not in flow.screens
    visit = Visit("en", False, screen="burden")
    assert flow.after(visit, E.ANSWERED) == REVIEW
    visit.screen = REVIEW
    assert flow.after(visit, E.BACK) == "burden"


def test_enter_remembers_where_an_abandoned_visit_was() -> None:
    flow = Flow(SCORED, OPTIONAL)
    visit = Visit("en", False)
    for screen in (CONSENT, "age", PIN):
        flow.enter(visit, screen)
    assert (visit.screen, visit.at) == (PIN, "age")


def test_progress_and_the_back_next_bar() -> None:
    flow = Flow(SCORED, OPTIONAL)
    assert flow.progress("job") == Progress(optional=False, number=2, total=3)
    assert flow.progress("capital") == Progress(optional=True, number=2, total=2)
    assert flow.progress(REVIEW) is None
    assert flow.has_back_and_next("job") == (True, True)
    assert flow.has_back_and_next(OPTIONAL_INTRO) == (True, True)
    assert flow.has_back_and_next(REVIEW) == (True, False)
    assert flow.has_back_and_next(RESULT) == (False, False)
    assert not flow.timed(ATTRACT)
    assert flow.timed(ADMIN)


def test_the_flow_loads_without_qt() -> None:
    code = "import sys, kiosk.flow; print(sorted(m for m in sys.modules if 'PySide6' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
