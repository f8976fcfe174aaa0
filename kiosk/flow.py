"""The flow of a visit as data, without Qt: for a screen, a visit and an event, which
screen comes next. The window only shows what this says (and does the work an event
brings: recording an answer, scoring, printing).

A visit's screens, in order: attract → consent → the scored questions → the optional
intro → the optional questions → review → result → rating → thanks → attract. Around
them: printing and its message (from the result), and the staff's PIN pad and panel
(from the attract screen only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kiosk.engine import Profile

ATTRACT: Final = "attract"
CONSENT: Final = "consent"
OPTIONAL_INTRO: Final = "optional_intro"
REVIEW: Final = "review"
RESULT: Final = "result"
PRINTING: Final = "printing"
MESSAGE: Final = "message"
RATING: Final = "rating"
THANKS: Final = "thanks"
PIN: Final = "pin"
ADMIN: Final = "admin"
END: Final = "end"
"""Not a screen: the visit is over (recorded and wiped); the attract screen returns."""

UNTIMED: Final = frozenset({ATTRACT, PRINTING})
"""Screens the idle countdown never ends: nobody is there yet, or the kiosk is busy."""


class Event(StrEnum):
    START = "start"  # the attract screen was tapped
    ACCEPT = "accept"  # consent given
    DECLINE = "decline"  # consent refused
    ANSWERED = "answered"  # a question has its answer (an option, a number, "prefer not to say")
    NEXT = "next"
    BACK = "back"
    SKIP_OPTIONAL = "skip_optional"  # the optional intro: skip them all
    EDIT = "edit"  # the review: change this question's answer
    CONFIRM = "confirm"  # the review: show my result
    NOT_SCORED = "not_scored"  # scoring refused an answer: ask that question again
    PRINT = "print"
    EXPORT = "export"
    SHEET_DONE = "sheet_done"  # printing or export ended, one way or the other
    MESSAGE_DONE = "message_done"
    FINISH = "finish"  # the result: done
    RATED = "rated"  # a rating, or skip
    THANKS_DONE = "thanks_done"  # the thanks button, or its time
    IDLE = "idle"  # the countdown ran out
    CORNER = "corner"  # staff: five taps on the corner (the window checks the rest)
    UNLOCKED = "unlocked"
    PIN_CANCEL = "pin_cancel"
    CHANGE_PIN = "change_pin"
    STAFF_DONE = "staff_done"  # the staff panel: back to the kiosk


@dataclass
class Visit:
    """One client's visit: the only place their answers live. A wipe replaces it whole."""

    lang: str
    large_text: bool
    screen: str = ATTRACT
    answers: dict[str, int | str] = field(default_factory=dict)
    editing: bool = False
    """True while a question is opened from the review: answering returns there."""
    profile: Profile | None = None
    rating: int | None = None
    started_at: datetime = field(default_factory=datetime.now)
    """When the client started (set again when the attract screen is tapped)."""
    at: str = ATTRACT
    """The last screen of the visit's own flow that was shown (where an abandoned visit ended)."""
    declined: bool = False
    sheet: object | None = None
    """The visit's one sheet, once printed or exported (one visit, one sheet number)."""
    outcome: str | None = None
    """printed | exported | print_failed, once the client printed or exported."""
    print_tries: int = 0
    printer_cause: str | None = None
    """Whether the printer can print, asked when the visit reaches review: None not known
    (yet), '' it can, else kiosk.printing's reason code (the result screen then offers
    saving first)."""
    staff_return: str = ATTRACT
    """Where the PIN pad's Cancel goes: the start screen, or the staff panel (change PIN)."""


@dataclass(frozen=True)
class Progress:
    optional: bool
    number: int
    total: int


class Flow:
    """The screens of a visit for one questionnaire, and the way between them."""

    def __init__(self, scored: Sequence[str], optional: Sequence[str]) -> None:
        if not scored:
            raise ValueError("a visit needs at least one scored question")
        self.scored = tuple(scored)
        self.optional = tuple(optional)
        middle = (OPTIONAL_INTRO, *self.optional) if self.optional else ()
        self.screens: tuple[str, ...] = (
            ATTRACT,
            CONSENT,
            *self.scored,
            *middle,
            REVIEW,
            RESULT,
            RATING,
            THANKS,
        )
        self.questions = frozenset(self.scored + self.optional)
        self._ways: dict[tuple[str, Event], str] = {
            (ATTRACT, Event.START): CONSENT,
            (CONSENT, Event.ACCEPT): self.scored[0],
            (CONSENT, Event.DECLINE): END,
            (REVIEW, Event.BACK): self._step(REVIEW, -1),
            (REVIEW, Event.CONFIRM): RESULT,
            (RESULT, Event.PRINT): PRINTING,
            (RESULT, Event.EXPORT): PRINTING,
            (RESULT, Event.FINISH): RATING,
            (PRINTING, Event.SHEET_DONE): MESSAGE,
            (MESSAGE, Event.PRINT): PRINTING,  # "try again"
            (MESSAGE, Event.MESSAGE_DONE): RESULT,
            (RATING, Event.RATED): THANKS,
            (THANKS, Event.THANKS_DONE): END,
        }
        if self.optional:
            self._ways |= {
                (OPTIONAL_INTRO, Event.NEXT): self.optional[0],
                (OPTIONAL_INTRO, Event.BACK): self.scored[-1],
                (OPTIONAL_INTRO, Event.SKIP_OPTIONAL): REVIEW,
            }

    # ------------------------------------------------------------------ the way

    def after(self, visit: Visit, event: Event, question: str = "") -> str:
        """The screen that follows `event` on the visit's current screen, or END.

        Updates the visit's navigation state (editing, declined, staff_return). An event
        that does not belong to the current screen leaves it where it is."""
        screen = visit.screen
        if event is Event.IDLE:
            return screen if screen in UNTIMED else END
        step = self._staff(visit, event) if screen in (ATTRACT, PIN, ADMIN) else None
        if step is not None:
            return step
        if screen in self.questions:
            return self._question(visit, event)
        return self._other(visit, event, question)

    def _staff(self, visit: Visit, event: Event) -> str | None:
        screen = visit.screen
        if screen == ATTRACT and event is Event.CORNER:
            visit.staff_return = ATTRACT
            return PIN
        if screen == PIN and event is Event.UNLOCKED:
            return ADMIN
        if screen == PIN and event is Event.PIN_CANCEL:
            return visit.staff_return
        if screen == ADMIN and event is Event.CHANGE_PIN:
            visit.staff_return = ADMIN
            return PIN
        if screen == ADMIN and event is Event.STAFF_DONE:
            return END
        return None

    def _question(self, visit: Visit, event: Event) -> str:
        screen = visit.screen
        if event in (Event.ANSWERED, Event.NEXT):
            if visit.editing:
                visit.editing = False
                return REVIEW
            return self._step(screen, +1)
        if event is Event.BACK:
            if visit.editing:
                visit.editing = False
                return REVIEW
            return self._step(screen, -1)
        return screen

    def _other(self, visit: Visit, event: Event, question: str) -> str:
        screen = visit.screen
        if (screen, event) == (CONSENT, Event.DECLINE):
            visit.declined = True
        if screen == REVIEW and event in (Event.EDIT, Event.NOT_SCORED):
            if question not in self.questions:
                raise ValueError(f"{question!r} is not a question of this visit")
            visit.editing = event is Event.EDIT
            return question
        return self._ways.get((screen, event), screen)

    def _step(self, screen: str, direction: int) -> str:
        """The neighbour in the visit's order; back from the first question is consent."""
        index = self.screens.index(screen) + direction
        return self.screens[max(1, min(index, len(self.screens) - 1))]

    # ------------------------------------------------------------------ entering

    def enter(self, visit: Visit, screen: str) -> None:
        """The visit now shows `screen` (remembered as where it was, if it is its own)."""
        visit.screen = screen
        if screen in self.screens and screen != ATTRACT:
            visit.at = screen

    # ------------------------------------------------------------------ the chrome

    def progress(self, screen: str) -> Progress | None:
        """ "Question 3 of 12" / "Optional 2 of 5" for a question, else None."""
        if screen in self.scored:
            return Progress(False, self.scored.index(screen) + 1, len(self.scored))
        if screen in self.optional:
            return Progress(True, self.optional.index(screen) + 1, len(self.optional))
        return None

    def has_back_and_next(self, screen: str) -> tuple[bool, bool]:
        """Whether the back / next buttons show on `screen`."""
        in_questions = screen in self.questions or screen in (OPTIONAL_INTRO, REVIEW)
        return in_questions, in_questions and screen != REVIEW

    def timed(self, screen: str) -> bool:
        """Whether no touch on `screen` starts the idle countdown."""
        return screen not in UNTIMED
