"""The kiosk window: header, one screen at a time, the back/next bar, idle and admin.

The window owns the visit (kiosk.ui.visit.Visit) and the flow between screens; pages only
show the visit and report what the client did; the engine computes the result.

It is built in two stages so that the lobby sees the attract screen as soon as possible
(issue 5's cold-start goal): the constructor builds the chrome and the attract screen from
the settings alone, and `complete()` loads the questionnaire and the session log and
builds every other screen. This module therefore imports at module level only what the
first stage needs; the modules of the second stage are imported by `complete()` and by
the few handlers that can only run after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import engine
from kiosk.engine.errors import AnswerError, DataError
from kiosk.i18n import in_every_language, language_names
from kiosk.settings import Settings, SettingsError, load_settings, save_settings
from kiosk.ui.access import announce_screen, listening
from kiosk.ui.app import apply_locale, screen_scale, style_sheet
from kiosk.ui.attract import AttractPage
from kiosk.ui.page import Page
from kiosk.ui.texts import Language
from kiosk.ui.visit import (
    ATTRACT,
    CONSENT,
    MESSAGE,
    OPTIONAL_INTRO,
    PRINTING,
    RATING,
    RESULT,
    REVIEW,
    THANKS,
    Visit,
    flow,
)
from kiosk.ui.widgets import ElidedLabel, button, label, set_state
from kiosk.wording import printer_cause

if TYPE_CHECKING:
    # Only annotations here: PySide6 builds these classes (and QEvent's enums, ~1.7 ms)
    # on first use, and the first screen does not wait for that.
    from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent, QResizeEvent

    from kiosk.engine import Questionnaire
    from kiosk.issuing import Sheet
    from kiosk.storage.sessions import SessionLog
    from kiosk.ui.admin import CornerTaps, PinGuard, PinPage
    from kiosk.ui.admin_panel import AdminPanel
    from kiosk.ui.pages import MessagePage, PrintingPage, QuestionPage
    from kiosk.ui.sheets import ExportResult, PrintResult
    from kiosk.ui.speech import Speaker
    from kiosk.ui.taps import TapGuard
    from kiosk.ui.tasks import Tasks

log = logging.getLogger("kiosk.ui")

PIN = "pin"
ADMIN = "admin"
THANKS_MS = 6000
CORNER_SIZE = 96
CORNER_PAUSE_MS = 600
"""A tap on the hidden corner not followed by another this soon was a client's."""
PURGE_EVERY_MS = 24 * 3600 * 1000


class KioskWindow(QWidget):
    def __init__(self, settings: Settings, *, lockdown: bool) -> None:
        """The first stage: the chrome and the attract screen, from the settings alone.

        `complete()` must follow before a visit can start (tapping the attract screen or
        the admin corner calls it if it has not run yet)."""
        super().__init__()
        self.setObjectName("kiosk")
        self.settings = settings
        self.lockdown = lockdown
        self.allow_close = not lockdown
        self.ready = False
        self.on_first_paint: Callable[[], object] | None = None
        """Called once, after the window's first paint (the staged start runs complete())."""
        self.startup_error: QWidget | None = None
        # Until complete(): no questions; the attract screen is the whole flow.
        self.flow: tuple[str, ...] = (ATTRACT,)
        self._highlight_ms: int | None = None
        self.print_timeout_s: float | None = None
        """How long a client's sheet may take to print; None: kiosk.ui.sheets' default."""
        self.scored: list[str] = []
        self.optional: list[str] = []
        self.question_pages: dict[str, QuestionPage] = {}
        self.lang = Language(settings.kiosk.language)
        self.before_admin = ATTRACT
        self.scale = 1.0
        self.sized = False
        self.look: tuple[bool, float] | None = None
        self.setWindowTitle("风险测评 · Risk profile")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        if lockdown:
            self.setWindowFlags(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._footer())
        self.attract = AttractPage(self.lang, settings.branch.name)
        self.attract.started.connect(self._start)
        self.pages: dict[str, Page] = {ATTRACT: self.attract}
        self.stack.addWidget(self.attract)
        self.corner = button("admin.corner")
        self.corner.setParent(self)
        self.corner.setFixedSize(CORNER_SIZE, CORNER_SIZE)
        self.corner.clicked.connect(self._corner_tapped)
        self.lang.changed.connect(lambda _lang: self._retranslate_chrome())
        self.visit = self._new_visit()
        self.attract.load(self.visit)
        # The chrome is laid out by the first resize (always before the first paint).

    # ------------------------------------------------------------------ building

    def complete(self) -> list[str]:
        """The second stage: load the questionnaire and the session log, build every other
        screen and start a visit at the attract screen. Runs once; returns the problems
        that keep the kiosk from working (the window is then unusable), else []."""
        if self.ready:
            return []
        from kiosk.storage.sessions import DB_FILE, SessionLog, StorageError  # noqa: PLC0415 - 2nd stage
        from kiosk.ui.idle import CountdownOverlay, IdleWatcher  # noqa: PLC0415
        from kiosk.ui.speech import Speaker  # noqa: PLC0415
        from kiosk.ui.taps import TapGuard  # noqa: PLC0415
        from kiosk.ui.tasks import Tasks  # noqa: PLC0415

        try:
            questionnaire = engine.load_questionnaire()
            sessions = SessionLog(self.settings.data_path / DB_FILE)
        except DataError as exc:
            return list(exc.problems)
        except StorageError as exc:
            return [str(exc)]
        self.questionnaire: Questionnaire = questionnaire
        self.sessions: SessionLog = sessions
        self.tasks: Tasks = Tasks()
        self.speaker: Speaker = Speaker()
        self.flow = flow(questionnaire)
        self.scored = [q.id for q in questionnaire.questions if q.scored]
        self.optional = [q.id for q in questionnaire.questions if not q.scored]
        self.tap_guard: TapGuard = TapGuard([self.stack, self.footer])
        self._build_screens()
        self.highlight_ms = self._highlight_ms
        # Idle time counts only off the attract screen, so it starts with the visits.
        self.overlay = CountdownOverlay(self, self.lang)
        self.idle = IdleWatcher(
            self.overlay,
            self.settings.kiosk.idle_timeout_s,
            self.settings.kiosk.idle_countdown_s,
            # The PIN pad and the staff panel too: staff who walk away are logged out.
            active=lambda: self.visit.screen not in (ATTRACT, PRINTING),
        )
        self.idle.expired.connect(self.wipe)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.tap_guard)
        # Old session records go now (on the log worker, before any visit's write) and daily.
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(self._thanks_over)
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_EVERY_MS)
        self.purge_timer.timeout.connect(self.purge)
        self.purge_timer.start()
        self.purge()
        self.ready = True
        self.wipe()
        return []

    def _build_screens(self) -> None:
        from kiosk.ui.admin import CornerTaps, PinGuard, PinPage  # noqa: PLC0415 - second stage
        from kiosk.ui.admin_panel import AdminPanel  # noqa: PLC0415
        from kiosk.ui.pages import (  # noqa: PLC0415
            ChoicePage,
            ConsentPage,
            MessagePage,
            NumberPage,
            OptionalIntroPage,
            PrintingPage,
            RatingPage,
            ResultPage,
            ReviewPage,
            ThanksPage,
        )

        self.corner_taps: CornerTaps = CornerTaps()
        self.corner_pause = QTimer(self)
        self.corner_pause.setSingleShot(True)
        self.corner_pause.setInterval(CORNER_PAUSE_MS)
        self.corner_pause.timeout.connect(self._lone_corner_tap)
        failures, locked_until = self.sessions.pin_state()
        self.pin_guard: PinGuard = PinGuard(
            self.settings.admin.pin_hash,
            failures=failures,
            locked_until=locked_until.timestamp() if locked_until else 0.0,
            journal=self._pin_event,
        )
        consent = ConsentPage(self.lang)
        consent.accepted.connect(lambda: self.show_screen(self.scored[0]))
        consent.declined.connect(self._declined)
        intro = OptionalIntroPage(self.lang)
        intro.skipped_all.connect(lambda: self.show_screen(REVIEW))
        review = ReviewPage(self.lang, self.questionnaire)
        review.edit.connect(self._edit)
        review.confirmed.connect(self._confirm)
        result = ResultPage(self.lang, self.questionnaire)
        result.printing.connect(self._print)
        result.exporting.connect(self._export)
        result.finished.connect(lambda: self.show_screen(RATING))
        self.message: MessagePage = MessagePage(self.lang)
        self.message.done.connect(lambda: self.show_screen(RESULT))
        self.message.retried.connect(self._print)
        self.printing_page: PrintingPage = PrintingPage(self.lang)
        rating = RatingPage(self.lang)
        rating.rated.connect(self._rated)
        thanks = ThanksPage(self.lang)
        thanks.done.connect(self.wipe)
        self.pin_page: PinPage = PinPage(self.lang, self.pin_guard)
        self.pin_page.unlocked.connect(self._unlocked)
        self.pin_page.cancelled.connect(lambda: self.show_screen(self.before_admin))
        self.pin_page.pin_set.connect(self._save_pin)
        self.admin_panel: AdminPanel = AdminPanel(
            self.lang,
            self.questionnaire,
            tasks=self.tasks,
            sessions=self.sessions,
            settings=lambda: self.settings,
            save=lambda changes: save_settings(self.settings, changes),
        )
        self.admin_panel.back.connect(self.wipe)
        self.admin_panel.exit_requested.connect(self.exit_to_desktop)
        self.admin_panel.change_pin.connect(self._change_pin)
        self.admin_panel.settings_saved.connect(self._settings_saved)
        screens: dict[str, Page] = {
            CONSENT: consent,
            OPTIONAL_INTRO: intro,
            REVIEW: review,
            RESULT: result,
            MESSAGE: self.message,
            PRINTING: self.printing_page,
            RATING: rating,
            THANKS: thanks,
            PIN: self.pin_page,
            ADMIN: self.admin_panel,
        }
        for question in self.questionnaire.questions:
            question_page: QuestionPage
            if question.kind == "number":
                question_page = NumberPage(self.lang, question)
                question_page.validity_changed.connect(self._validity)
            else:
                question_page = ChoicePage(self.lang, question)
            question_page.answered.connect(self._answered)
            # While the chosen option is highlighted, and then until the next screen settles.
            question_page.highlighting.connect(self.tap_guard.settle)
            question_page.speak.connect(
                lambda text, page=question_page: self.speaker.say(
                    text, self.lang.lang, page.show_speaking
                )
            )
            question_page.hush.connect(lambda: self.speaker.stop())  # noqa: PLW0108 - self.speaker may be replaced
            question_page.speaker.setVisible(self.speaker.available)
            screens[question.id] = question_page
            self.question_pages[question.id] = question_page
        for name, page in screens.items():
            self.pages[name] = page
            self.stack.addWidget(page)
        self.corner.raise_()

    @property
    def highlight_ms(self) -> int | None:
        """How long a tapped option stays highlighted before the next screen, in ms;
        None: kiosk.ui.pages' default (tests set 0, so that options move on at once)."""
        return self._highlight_ms

    @highlight_ms.setter
    def highlight_ms(self, value: int | None) -> None:
        self._highlight_ms = value
        for page in self.question_pages.values():
            page.highlight_ms = value

    def ensure_ready(self) -> bool:
        """complete() if it has not run. On problems the staff-facing error window takes
        this window's place (the staged start painted the attract screen before the data
        was read)."""
        if self.ready:
            return True
        problems = self.complete()
        if problems:
            self._give_up(problems)
        return not problems

    def _give_up(self, problems: list[str]) -> None:
        """Close this window for good; `startup_error` names the problems, shown where
        this window was if it was on screen (else for the caller to show)."""
        log.error("the kiosk cannot start: %s", "; ".join(problems))
        error = StartupErrorWindow(problems)
        self.startup_error = error
        if self.isVisible():
            error.setWindowFlags(self.windowFlags())
            error.setGeometry(self.geometry())
            if self.isFullScreen():
                error.showFullScreen()
            else:
                error.show()
        self.allow_close = True
        self.close()

    def _header(self) -> QFrame:
        self.header = QFrame()
        self.header.setObjectName("header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self.header)
        row.setContentsMargins(CORNER_SIZE + 12, 10, 24, 10)
        row.setSpacing(12)
        # Shortened with "…" when the header is narrow (portrait, large text, English).
        self.branch_label = ElidedLabel(self.settings.branch.name, "header.branch")
        self.progress = label("", "", "header.progress", wrap=False)
        row.addWidget(self.branch_label)
        row.addStretch(1)
        row.addWidget(self.progress)
        row.addStretch(1)
        self.large_button = button("text.large", "lang")
        self.large_button.clicked.connect(self.toggle_large_text)
        row.addWidget(self.large_button)
        self.lang_buttons: dict[str, QPushButton] = {}
        for code, text in language_names().items():
            choice = button(f"lang.{code}", "lang", text)
            choice.clicked.connect(lambda _=False, code=code: self.set_language(code))
            self.lang_buttons[code] = choice
            row.addWidget(choice)
        return self.header

    def _footer(self) -> QFrame:
        self.footer = QFrame()
        row = QHBoxLayout(self.footer)
        row.setContentsMargins(100, 8, 100, 24)  # at 1920×1080; resizeEvent follows the screen
        self.back_button = button("nav.back")
        self.next_button = button("nav.next", "primary")
        self.back_button.setMinimumWidth(260)
        self.next_button.setMinimumWidth(320)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.next_button)
        return self.footer

    # ------------------------------------------------------------------ the visit

    def _new_visit(self) -> Visit:
        kiosk = self.settings.kiosk
        return Visit(lang=kiosk.language, large_text=kiosk.large_text)

    def wipe(self) -> None:
        """End the visit: nothing of it survives (answers, language, text size, pages);
        the session log keeps its record (ids, scores, outcome; nothing about the person)."""
        if not self.ready:
            return  # nothing to end: no visit can start before complete()
        self.idle.stop()
        self.pin_page.close_pad()
        self._record(self.visit)
        self.visit = self._new_visit()
        self.lang.set(self.visit.lang)
        self._apply_text_size()
        for page in self.pages.values():
            page.load(self.visit)
        self.show_screen(ATTRACT)

    def show_screen(self, screen: str) -> None:
        self.speaker.stop()
        if screen == ADMIN:
            self.pin_page.close_pad()
        if screen != PRINTING:
            self.printing_page.stop()
        self.visit.screen = screen
        if screen in self.flow and screen != ATTRACT:
            self.visit.at = screen
        page = self.pages[screen]
        if screen == PIN:
            self.pin_page.open()
        else:
            page.load(self.visit)
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()  # no stray focus on the chrome while the page changes
        self.stack.setCurrentWidget(page)
        if screen != ATTRACT:  # the start screen takes the next client's tap at once
            self.tap_guard.settle()  # the client sees a new screen before it takes a tap
        self._update_chrome()
        announce_screen(page, self.progress.text())  # to a screen reader, if one listens
        if screen == THANKS:
            self.thanks_timer.start()  # restarted: an earlier visit's timer cannot end this one
        else:
            self.thanks_timer.stop()
        self.idle.poke()

    def _thanks_over(self) -> None:
        if self.visit.screen == THANKS:
            self.wipe()

    def _start(self, lang: str) -> None:
        if not self.ensure_ready():
            return
        if lang:
            self.set_language(lang)
        self.visit.started_at = datetime.now()
        self.speaker.prepare()  # connecting takes seconds: done before the first question
        self.show_screen(CONSENT)

    def _answered(self, question_id: str, value: object) -> None:
        if value is None:
            self.visit.answers.pop(question_id, None)
        elif isinstance(value, int | str):
            self.visit.answers[question_id] = value
        if self.visit.editing:
            self.visit.editing = False
            self.show_screen(REVIEW)
        else:
            self.show_screen(self._step(question_id, +1))

    def _edit(self, question_id: str) -> None:
        self.visit.editing = True
        self.show_screen(question_id)

    def _confirm(self) -> None:
        try:
            self.visit.profile = engine.score(self.questionnaire, self.visit.answers)
        except AnswerError as exc:
            # Cannot happen through the screens; if it does, ask that question again.
            log.error("review could not be scored: %s", exc)
            self.show_screen(exc.key if exc.key in self.pages else self.scored[0])
            return
        self.show_screen(RESULT)

    def _rated(self, value: object) -> None:
        self.visit.rating = value if isinstance(value, int) else None
        self.show_screen(THANKS)

    def _declined(self) -> None:
        self.visit.declined = True
        self.wipe()

    def _sheet_work(self) -> Callable[[], Sheet]:
        """The visit's sheet, made on the devices worker from what the screen holds now."""
        from kiosk.ui.sheets import make_sheet  # noqa: PLC0415 - second stage

        visit, settings, questionnaire = self.visit, self.settings, self.questionnaire
        profile, lang, existing = visit.profile, visit.lang, visit.sheet
        assert profile is not None
        return lambda: make_sheet(questionnaire, profile, settings, lang, existing)

    def _print(self) -> None:
        from kiosk.ui.sheets import PRINT_TIMEOUT_S, print_sheet  # noqa: PLC0415 - 2nd stage

        visit, make = self.visit, self._sheet_work()
        printer = self.settings.printing.printer
        visit.print_tries += 1
        self.printing_page.start("print")
        self.show_screen(PRINTING)
        timeout = PRINT_TIMEOUT_S if self.print_timeout_s is None else self.print_timeout_s
        self.tasks.devices.run(
            lambda: print_sheet(make(), printer, timeout),
            lambda result: self._printed(visit, result),
            lambda error: self._sheet_failed(visit, error),
        )

    def _printed(self, visit: Visit, result: PrintResult) -> None:
        visit.sheet = result.sheet
        number, outcome = result.sheet.number, result.outcome
        at = datetime.now()
        self.tasks.log.write(
            lambda: self.sessions.record_print(
                number, outcome.printer, outcome.reason or "printed", at
            )
        )
        if visit is not self.visit:
            return
        if outcome.ok:
            visit.outcome = "printed"
            self.message.show_message(
                lambda lang: lang.gettext(
                    "Please take your sheet from the printer. Its number is {number}."
                ).format(number=number)
            )
        else:
            visit.outcome = "print_failed" if visit.outcome != "exported" else visit.outcome
            retry = self.settings.printing.on_failure == "retry" and visit.print_tries < 2
            cause = outcome.reason
            self.message.show_message(self._failure_text(result.sheet, retry, cause), retry=retry)
        self.show_screen(MESSAGE)

    def _failure_text(
        self, sheet: Sheet, retry: bool, cause: str = ""
    ) -> Callable[[Language], str]:
        """The client's sentence: the cause in their words where it is known (SPEC §19),
        then what happens next."""

        def text(lang: Language) -> str:
            _ = lang.gettext
            if retry:
                then = _("The printer did not finish your sheet. Would you like to try again?")
            elif sheet.kept is None:
                then = _(
                    "Sorry, your sheet could not be printed or saved. "
                    "Please ask our staff for help."
                )
            else:
                then = _(
                    "The printer is not available right now. Your sheet is saved under number "
                    "{number}; our staff will print it for you."
                ).format(number=sheet.number)
            space = "" if lang.lang == "zh_CN" else " "  # Chinese sentences run on
            return space.join(part for part in (printer_cause(cause, _), then) if part)

        return text

    def _sheet_failed(self, visit: Visit, error: BaseException) -> None:
        from kiosk.storage.sheet_numbers import SheetNumberError  # noqa: PLC0415 - 2nd stage

        log.error("the sheet could not be made: %s", error, exc_info=error)
        visit.outcome = visit.outcome or "print_failed"
        if visit is not self.visit:
            return
        numbers_used_up = isinstance(error, SheetNumberError)

        def text(lang: Language) -> str:
            if numbers_used_up:  # never a reused number: staff see why in the log
                return lang.gettext(
                    "This kiosk cannot number any more sheets today. Please show this "
                    "screen to our staff: they will print your result at the counter."
                )
            return lang.gettext(
                "Sorry, your sheet could not be made just now. Please ask our staff for help."
            )

        self.message.show_message(text)
        self.show_screen(MESSAGE)

    def _export(self) -> None:
        from kiosk.ui.sheets import export_sheet, removable_drives  # noqa: PLC0415

        visit, make = self.visit, self._sheet_work()
        self.printing_page.start("export")
        self.show_screen(PRINTING)
        self.tasks.devices.run(
            lambda: export_sheet(make(), removable_drives()),
            lambda result: self._exported(visit, result),
            lambda error: self._sheet_failed(visit, error),
        )

    def _exported(self, visit: Visit, result: ExportResult) -> None:
        visit.sheet = result.sheet
        if visit is not self.visit:
            return
        if result.path is None:
            self.message.show_message(self._failure_text(result.sheet, retry=False))
        else:
            visit.outcome = visit.outcome if visit.outcome == "printed" else "exported"
            name = result.path.name
            if result.on_drive:
                self.message.show_message(
                    lambda lang: lang.gettext(
                        "Your sheet was saved to the USB drive as {name}."
                    ).format(name=name)
                )
            else:
                self.message.show_message(
                    lambda lang: lang.gettext(
                        "Your sheet is saved as {name}. Our staff can print it or send it to you."
                    ).format(name=name)
                )
        self.show_screen(MESSAGE)

    def _record(self, visit: Visit) -> None:
        """Keep the ended visit in the session log (on the log worker, like every write)."""
        from kiosk.storage.sessions import VisitRecord  # noqa: PLC0415 - second stage

        if visit.at == ATTRACT and not visit.declined:
            return  # nobody started
        if visit.outcome:
            outcome = visit.outcome
        elif visit.profile is not None:
            outcome = "completed"
        else:
            outcome = "declined" if visit.declined else "abandoned"
        record = VisitRecord(
            started_at=visit.started_at,
            ended_at=datetime.now(),
            language=visit.lang,
            outcome=outcome,
            answers=dict(visit.answers),
            profile=visit.profile,
            sheet_number=visit.sheet.number if visit.sheet else None,
            abandoned_at=visit.at if outcome == "abandoned" else None,
            rating=visit.rating,
        )
        self.tasks.log.write(lambda: self.sessions.record(record))

    def _step(self, screen: str, direction: int) -> str:
        index = self.flow.index(screen) + direction
        return self.flow[max(0, min(index, len(self.flow) - 1))]

    def go_back(self) -> None:
        screen = self.visit.screen
        if self.visit.editing:
            self.visit.editing = False
            self.show_screen(REVIEW)
        elif screen == self.scored[0]:
            self.show_screen(CONSENT)
        else:
            self.show_screen(self._step(screen, -1))

    def go_next(self) -> None:
        screen = self.visit.screen
        page = self.question_pages.get(screen)
        if page is not None:
            value = page.valid_value()
            if value is None:
                return
            self._answered(screen, value)
        elif screen == OPTIONAL_INTRO:
            self.show_screen(self.optional[0])

    # ------------------------------------------------------------------ chrome

    def set_language(self, lang: str) -> None:
        self.visit.lang = lang
        self.lang.set(lang)

    def toggle_large_text(self) -> None:
        self.visit.large_text = not self.visit.large_text
        self._apply_text_size()

    def _apply_text_size(self) -> None:
        look = (self.visit.large_text, self.scale)
        # Before the first resize the size is unknown: style once, then, not twice.
        if look != self.look and self.sized:
            self.look = look
            self.setStyleSheet(style_sheet(*look))
        self._update_chrome()

    def _validity(self, valid: bool) -> None:
        page = self.question_pages.get(self.visit.screen)
        if page is not None and page.question.kind == "number":
            self.next_button.setEnabled(valid)

    def _update_chrome(self) -> None:
        screen = self.visit.screen
        page = self.question_pages.get(screen)
        in_questions = page is not None or screen in (OPTIONAL_INTRO, REVIEW)
        self.header.setVisible(screen != ATTRACT)
        self.footer.setVisible(in_questions)
        self.back_button.setVisible(in_questions)
        self.next_button.setVisible(in_questions and screen != REVIEW)
        if page is not None:
            self.next_button.setEnabled(page.valid_value() is not None)
        else:
            self.next_button.setEnabled(screen == OPTIONAL_INTRO)
        set_state(self.large_button, "current", self.visit.large_text)
        self._retranslate_chrome()  # also marks the current language's button
        self.corner.raise_()

    def _retranslate_chrome(self) -> None:
        _ = self.lang.gettext
        screen = self.visit.screen
        if screen in self.scored:
            self.progress.setText(
                _("Question {number} of {total}").format(
                    number=self.scored.index(screen) + 1, total=len(self.scored)
                )
            )
        elif screen in self.optional:
            self.progress.setText(
                _("Optional {number} of {total}").format(
                    number=self.optional.index(screen) + 1, total=len(self.optional)
                )
            )
        else:
            self.progress.setText("")
        self.back_button.setText(_("‹ Back"))
        self.next_button.setText(_("Next ›"))
        self.large_button.setText(_("Larger text"))
        # Names for assistive technology where the text is not one (arrows, nothing).
        self.back_button.setAccessibleName(_("Back"))
        self.next_button.setAccessibleName(_("Next"))
        self.corner.setAccessibleName(_("Staff only"))
        for code, choice in self.lang_buttons.items():
            set_state(choice, "current", code == self.lang.lang)
        if listening():  # the language a screen reader is told (~15 ms: only for one)
            apply_locale(self.lang.lang, self)

    # ------------------------------------------------------------------ staff

    def _corner_tapped(self) -> None:
        """Five taps on the start screen open the PIN pad; never during a client's visit.

        Without a PIN (set by the installer or `kiosk set-pin`) a locked-down kiosk has no
        staff access at all; a kiosk in a window asks for one to be set on the pad."""
        if not self.ensure_ready() or self.visit.screen != ATTRACT:
            return
        if not self.corner_taps.tap():
            # The corner lies over the start screen: a lone tap there starts a visit too.
            self.corner_pause.start()
            return
        self.corner_pause.stop()
        if not self.pin_guard.stored:
            self._reload_pin_hash()
        if self.lockdown and not self.pin_guard.stored:
            log.warning("staff corner tapped, but no staff PIN is set (kiosk set-pin)")
            return
        self.before_admin = self.visit.screen
        self.show_screen(PIN)

    def _lone_corner_tap(self) -> None:
        if self.visit.screen == ATTRACT and len(self.corner_taps.taps) == 1:
            self.corner_taps.taps = []
            self._start("")

    def _reload_pin_hash(self) -> None:
        """Take the PIN hash in the settings file now (`kiosk set-pin` may have set it
        since the start), so that the staff panel's saves keep it too."""
        if self.settings.path is None:
            return
        try:
            admin = load_settings(self.settings.path).admin
        except SettingsError as exc:
            log.error("cannot read the staff PIN from the settings: %s", exc)
            return
        self.settings = self.settings._replace(admin=admin)
        self.pin_guard.stored = admin.pin_hash

    def _pin_event(self, action: str, detail: str) -> None:
        log.warning("staff PIN pad: %s %s", action, detail)
        self._log_admin(action, detail)

    def _save_pin(self, pin_hash: str) -> None:
        try:
            self.settings = save_settings(self.settings, {"admin": {"pin_hash": pin_hash}})
            self._log_admin("pin_set", "")
        except (OSError, SettingsError) as exc:
            # The PIN still works until the kiosk restarts; staff see why it was not kept.
            log.error("could not save the PIN hash: %s", exc)
            self.admin_panel.notice.setText(
                self.lang.gettext("The new PIN could not be saved: {reason}").format(reason=exc)
            )

    def _unlocked(self) -> None:
        self._log_admin("unlock", "")
        self.show_screen(ADMIN)

    def _change_pin(self) -> None:
        self.before_admin = ADMIN  # Cancel on the pad goes back to the staff panel
        self.show_screen(PIN)
        self.pin_page.open(setup=True)

    def _settings_saved(self, settings: Settings) -> None:
        self.settings = settings
        self.branch_label.setText(settings.branch.name)
        self.idle.timer.setInterval(settings.kiosk.idle_timeout_s * 1000)
        self.attract.branch.setText(settings.branch.name)

    def purge(self) -> None:
        """Delete session records, their sheets and the staff's exports older than
        storage.retention_days, if the clock can be trusted (kiosk.storage.retention; in
        the log worker; a refusal is logged and shown in the staff panel)."""
        from kiosk.storage.retention import purge_old_records  # noqa: PLC0415 - second stage

        sessions, data = self.sessions, self.settings.data_path
        days, now = self.settings.storage.retention_days, datetime.now()
        self.tasks.log.write(lambda: purge_old_records(sessions, data, days, now))

    def _log_admin(self, action: str, detail: str) -> None:
        at = datetime.now()
        self.tasks.log.write(lambda: self.sessions.log_admin(action, detail, at))

    def recover(self) -> None:
        """After an unexpected error: end the visit (its record kept) and show the start."""
        if not self.ready:
            return
        self.idle.stop()
        self.printing_page.stop()
        self.wipe()

    def exit_to_desktop(self) -> None:
        self.allow_close = True
        if self.ready:
            self._log_admin("exit", "")
            self.idle.stop()
        self.close()

    def shutdown(self) -> None:
        """Record the visit in progress and finish every pending write (on exit)."""
        if not self.ready or self.tasks.closed:
            return
        self._record(self.visit)
        self.visit = self._new_visit()
        self.tasks.shutdown()
        self.sessions.close()

    # ------------------------------------------------------------------ Qt events

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.allow_close:
            app = QApplication.instance()
            if app is not None and self.ready:
                app.removeEventFilter(self.idle)
                app.removeEventFilter(self.tap_guard)
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.lockdown:
            event.accept()  # Esc, Alt+F4 and every other key do nothing in lockdown
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if (
            self.lockdown
            and event.type() == QEvent.Type.ActivationChange
            and not self.isActiveWindow()
            and self.isVisible()
            and self.startup_error is None
        ):
            # A desktop's window manager may still switch away (cage, the deployment, has
            # nothing to switch to): come back on top at once.
            QTimer.singleShot(0, self._back_on_top)

    def _back_on_top(self) -> None:
        if self.isVisible() and not self.allow_close:
            self.raise_()
            self.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        then, self.on_first_paint = self.on_first_paint, None
        if then is not None:
            # After this paint has reached the screen, not inside it.
            QTimer.singleShot(0, then)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.sized = True
        self.scale = screen_scale(self.width(), self.height())
        self._apply_text_size()
        self.corner.move(0, 0)
        self.corner.raise_()
        # The same side margins as the question pages (kiosk.ui.pages.QuestionPage).
        side = max(24, round(self.width() * 0.052))
        footer = self.footer.layout()
        if footer is not None:
            footer.setContentsMargins(side, 8, side, side * 24 // 100)
        if self.ready and self.overlay.isVisible():
            self.overlay.cover()


def _(message: str) -> str:
    """Marks a text for the catalogue; in_every_language translates it."""
    return message


class StartupErrorWindow(QWidget):
    """Shown to staff instead of the kiosk when its settings or data cannot be used."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.setStyleSheet(style_sheet(False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.setSpacing(20)
        title = label(in_every_language(_("The kiosk cannot start"), " · "), "title", "error.title")
        body = label(
            in_every_language(
                _(
                    "Staff: fix the problems below, then restart the kiosk. "
                    "The command kiosk check-config lists them all."
                )
            ),
            "help",
        )
        details = label("\n".join(problems), "", "error.problems")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        exit_button = button("error.exit", "primary", in_every_language(_("Exit"), " · "))
        exit_button.clicked.connect(self.close)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(details, 1)
        layout.addWidget(exit_button)


__all__ = ["KioskWindow", "StartupErrorWindow"]
