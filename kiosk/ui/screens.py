"""Every screen of the kiosk, built once and wired to what the window does next: a
client's action becomes a flow event (kiosk.flow.Event) or one of the window's handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.engine.model import LOSS_QUESTION
from kiosk.flow import (
    ADMIN,
    ATTRACT,
    CONSENT,
    MESSAGE,
    OPTIONAL_INTRO,
    PIN,
    PRINTING,
    RATING,
    RESULT,
    REVIEW,
    THANKS,
    Event,
)
from kiosk.ui.attract import AttractPage
from kiosk.ui.page import Page
from kiosk.ui.pages import (
    ChoicePage,
    ConsentPage,
    MessagePage,
    NumberPage,
    OptionalIntroPage,
    PrintingPage,
    QuestionPage,
    RatingPage,
    ResultPage,
    ReviewPage,
    ThanksPage,
)

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow


class Screens:
    """The pages by screen name (`pages`, questions too), and those the window talks to."""

    def __init__(self, window: KioskWindow) -> None:
        lang, questionnaire, go = window.lang, window.questionnaire, window.go
        tables = questionnaire.tables
        attract = AttractPage(lang, window.settings.branch.name)
        attract.started.connect(window.start_visit)
        consent = ConsentPage(lang)
        consent.accepted.connect(lambda: go(Event.ACCEPT))
        consent.declined.connect(lambda: go(Event.DECLINE))
        intro = OptionalIntroPage(lang)
        intro.skipped_all.connect(lambda: go(Event.SKIP_OPTIONAL))
        review = ReviewPage(lang, questionnaire)
        review.edit.connect(lambda question: go(Event.EDIT, question))
        review.confirmed.connect(window.confirm)
        self.result = ResultPage(lang, questionnaire)
        self.result.printing.connect(window.print_sheet)
        self.result.exporting.connect(window.export_sheet)
        self.result.finished.connect(lambda: go(Event.FINISH))
        self.message = MessagePage(lang)
        self.message.done.connect(lambda: go(Event.MESSAGE_DONE))
        self.message.retried.connect(window.print_sheet)
        self.printing = PrintingPage(lang)
        rating = RatingPage(lang)
        rating.rated.connect(window.rated)
        thanks = ThanksPage(lang)
        thanks.done.connect(lambda: go(Event.THANKS_DONE))
        self.pages: dict[str, Page] = {
            ATTRACT: attract,
            CONSENT: consent,
            OPTIONAL_INTRO: intro,
            REVIEW: review,
            RESULT: self.result,
            MESSAGE: self.message,
            PRINTING: self.printing,
            RATING: rating,
            THANKS: thanks,
            PIN: window.staff.pin_page,
            ADMIN: window.staff.admin_panel,
        }
        self.questions: dict[str, QuestionPage] = {}
        for question in questionnaire.questions:
            page: QuestionPage
            if question.kind == "number":
                # The loss question warns while 0 is entered: the lowest category (§15.4).
                zero = tables.explanation.loss_warning if question.id == LOSS_QUESTION else None
                page = NumberPage(lang, question, zero)
                page.validity_changed.connect(window.validity)
            else:
                page = ChoicePage(lang, question)
            page.answered.connect(window.answered)
            # While the chosen option is highlighted, and then until the next screen settles.
            page.highlighting.connect(window.tap_guard.settle)
            page.speak.connect(
                lambda text, page=page: window.speaker.say(text, lang.lang, page.show_speaking)
            )
            page.hush.connect(lambda: window.speaker.stop())  # noqa: PLW0108 - may be replaced
            page.speaker.setVisible(window.speaker.available)
            self.pages[question.id] = self.questions[question.id] = page


__all__ = ["Screens"]
