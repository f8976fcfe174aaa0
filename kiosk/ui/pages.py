"""The screens of a visit. Each page loads from the visit, re-translates itself, and emits
what the client did; none keeps answers of its own.

They live in `page_parts.py` (what they share), `question_pages.py` (the questions; its
HIGHLIGHT_MS and LOSS_EXAMPLE_YUAN), `result_page.py` (the result; FIT_STEPS) and
`visit_pages.py` (consent, the optional questions' introduction, review, printing, a
message, rating, thanks); this module names them all."""

from __future__ import annotations

from kiosk.ui.page_parts import StatementPage, answer_text, card, touch_scroll
from kiosk.ui.question_pages import ChoicePage, NumberPage, QuestionPage
from kiosk.ui.result_page import ResultPage
from kiosk.ui.visit_pages import (
    ConsentPage,
    MessagePage,
    OptionalIntroPage,
    PrintingPage,
    RatingPage,
    ReviewPage,
    ThanksPage,
)

__all__ = [
    "ChoicePage",
    "ConsentPage",
    "MessagePage",
    "NumberPage",
    "OptionalIntroPage",
    "PrintingPage",
    "QuestionPage",
    "RatingPage",
    "ResultPage",
    "ReviewPage",
    "StatementPage",
    "ThanksPage",
    "answer_text",
    "card",
    "touch_scroll",
]
