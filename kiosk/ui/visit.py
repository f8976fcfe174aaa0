"""One client's visit: the only place its answers live. A wipe replaces it whole.

The visit and the names of its screens are kiosk.flow's (no Qt); this module keeps the
names the screens import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.flow import (
    ATTRACT,
    CONSENT,
    MESSAGE,
    OPTIONAL_INTRO,
    PRINTING,
    RATING,
    RESULT,
    REVIEW,
    THANKS,
    Flow,
    Visit,
)

if TYPE_CHECKING:
    from kiosk.engine import Questionnaire


def visit_flow(questionnaire: Questionnaire) -> Flow:
    """The flow of a visit for this questionnaire: scored questions, then the optional ones."""
    return Flow(
        [q.id for q in questionnaire.questions if q.scored],
        [q.id for q in questionnaire.questions if not q.scored],
    )


__all__ = [
    "ATTRACT",
    "CONSENT",
    "MESSAGE",
    "OPTIONAL_INTRO",
    "PRINTING",
    "RATING",
    "RESULT",
    "REVIEW",
    "THANKS",
    "Visit",
    "visit_flow",
]
