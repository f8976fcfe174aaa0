"""One client's visit: the only place its answers live. A wipe replaces it whole."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.engine import Profile, Questionnaire
    from kiosk.issuing import Sheet

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


class Visit:
    """Mutable state of the current visit, owned by the window.

    A plain class, not a dataclass: it is made before the attract screen is painted, and
    the dataclasses module would cost that first paint about 3 ms."""

    def __init__(self, lang: str, large_text: bool) -> None:
        self.lang = lang
        self.large_text = large_text
        self.screen = ATTRACT
        self.answers: dict[str, int | str] = {}
        self.editing = False
        """True while a question is opened from the review: answering returns there."""
        self.profile: Profile | None = None
        self.rating: int | None = None
        self.started_at = datetime.now()
        """When the client started (set again when the attract screen is tapped)."""
        self.at = ATTRACT
        """The last screen of the visit's flow that was shown (where an abandoned visit ended)."""
        self.declined = False
        self.sheet: Sheet | None = None
        """The visit's one sheet, once printed or exported (one visit, one sheet number)."""
        self.outcome: str | None = None
        """printed | exported | print_failed, once the client printed or exported."""
        self.print_tries = 0
