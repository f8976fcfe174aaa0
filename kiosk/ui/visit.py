"""One client's visit: the only place its answers live. A wipe replaces it whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.engine import Profile, Questionnaire
    from kiosk.ui.sheets import Sheet

ATTRACT = "attract"
PRINTING = "printing"
CONSENT = "consent"
OPTIONAL_INTRO = "optional_intro"
REVIEW = "review"
RESULT = "result"
MESSAGE = "message"
RATING = "rating"
THANKS = "thanks"


def flow(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The screens of a visit in order: scored questions, then the optional ones."""
    scored = tuple(q.id for q in questionnaire.questions if q.scored)
    optional = tuple(q.id for q in questionnaire.questions if not q.scored)
    return (ATTRACT, CONSENT, *scored, OPTIONAL_INTRO, *optional, REVIEW, RESULT, RATING, THANKS)


@dataclass
class Visit:
    """Mutable state of the current visit, owned by the window."""

    lang: str
    large_text: bool
    screen: str = ATTRACT
    answers: dict[str, int | str] = field(default_factory=dict)
    editing: bool = False
    """True while a question is opened from the review: answering returns there."""
    profile: Profile | None = None
    rating: int | None = None
    started_at: datetime = field(default_factory=datetime.now)
    at: str = ATTRACT
    """The last screen of the visit's flow that was shown (where an abandoned visit ended)."""
    declined: bool = False
    sheet: Sheet | None = None
    """The visit's one sheet, once printed or exported (one visit, one sheet number)."""
    outcome: str | None = None
    """printed | exported | print_failed, once the client printed or exported."""
    print_tries: int = 0
