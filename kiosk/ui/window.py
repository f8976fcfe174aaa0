"""The kiosk window: header, one screen at a time, the back/next bar, idle and admin.

The window owns the visit (kiosk.flow.Visit) and shows the screen kiosk.flow's Flow says
comes next; pages only show the visit and report what the client did; the engine computes
the result; kiosk.ui.operations prints, exports and keeps the session log's record.

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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import engine
from kiosk.engine.errors import AnswerError, DataError
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
    Visit,
)
from kiosk.settings import Settings, SettingsError, load_settings, save_settings
from kiosk.ui.access import announce_screen, listening
from kiosk.ui.app import apply_locale, screen_scale, style_sheet
from kiosk.ui.attract import AttractPage
from kiosk.ui.chrome import CORNER_SIZE, Footer, Header
from kiosk.ui.page import Page
from kiosk.ui.startup_error import StartupErrorWindow
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button

if TYPE_CHECKING:
    # Only annotations here: PySide6 builds these classes (and QEvent's enums, ~1.7 ms)
    # on first use, and the first screen does not wait for that.
    from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent, QResizeEvent

    from kiosk.engine import Questionnaire
    from kiosk.storage.sessions import SessionLog
    from kiosk.ui.admin import CornerTaps, PinGuard, PinPage
    from kiosk.ui.admin_panel import AdminPanel
    from kiosk.ui.operations import Outcome
    from kiosk.ui.pages import MessagePage, PrintingPage, QuestionPage
    from kiosk.ui.speech import Speaker
    from kiosk.ui.taps import TapGuard
    from kiosk.ui.tasks import Tasks

log = logging.getLogger("kiosk.ui")

THANKS_MS = 6000
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
        self._highlight_ms: int | None = None
        self.print_timeout_s: float | None = None
        """How long a client's sheet may take to print; None: kiosk.ui.sheets' default."""
        self.question_pages: dict[str, QuestionPage] = {}
        self.lang = Language(settings.kiosk.language)
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
        self.header = Header(settings.branch.name)
        self.branch_label, self.progress = self.header.branch_label, self.header.progress
        self.large_button, self.lang_buttons = self.header.large_button, self.header.lang_buttons
        self.large_button.clicked.connect(self.toggle_large_text)
        for code, choice in self.lang_buttons.items():
            choice.clicked.connect(lambda _=False, code=code: self.set_language(code))
        self.footer = Footer()
        self.back_button, self.next_button = self.footer.back_button, self.footer.next_button
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.stack = QStackedWidget()
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
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
        from kiosk.ui.visit import visit_flow  # noqa: PLC0415

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
        self.navigation: Flow = visit_flow(questionnaire)
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
            active=lambda: self.navigation.timed(self.visit.screen),
        )
        self.idle.expired.connect(lambda: self._go(Event.IDLE))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.tap_guard)
        # Old session records go now (on the log worker, before any visit's write) and daily.
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(lambda: self._go(Event.THANKS_DONE))
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
        consent.accepted.connect(lambda: self._go(Event.ACCEPT))
        consent.declined.connect(lambda: self._go(Event.DECLINE))
        intro = OptionalIntroPage(self.lang)
        intro.skipped_all.connect(lambda: self._go(Event.SKIP_OPTIONAL))
        review = ReviewPage(self.lang, self.questionnaire)
        review.edit.connect(lambda question: self._go(Event.EDIT, question))
        review.confirmed.connect(self._confirm)
        result = self.result_page = ResultPage(self.lang, self.questionnaire)
        result.printing.connect(self._print)
        result.exporting.connect(self._export)
        result.finished.connect(lambda: self._go(Event.FINISH))
        self.message: MessagePage = MessagePage(self.lang)
        self.message.done.connect(lambda: self._go(Event.MESSAGE_DONE))
        self.message.retried.connect(self._print)
        self.printing_page: PrintingPage = PrintingPage(self.lang)
        rating = RatingPage(self.lang)
        rating.rated.connect(self._rated)
        thanks = ThanksPage(self.lang)
        thanks.done.connect(lambda: self._go(Event.THANKS_DONE))
        self.pin_page: PinPage = PinPage(self.lang, self.pin_guard)
        self.pin_page.unlocked.connect(self._unlocked)
        self.pin_page.cancelled.connect(lambda: self._go(Event.PIN_CANCEL))
        self.pin_page.pin_set.connect(self._save_pin)
        self.admin_panel: AdminPanel = AdminPanel(
            self.lang,
            self.questionnaire,
            tasks=self.tasks,
            sessions=self.sessions,
            settings=lambda: self.settings,
            save=lambda changes: save_settings(self.settings, changes),
        )
        self.admin_panel.back.connect(lambda: self._go(Event.STAFF_DONE))
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
        None: kiosk.ui.question_pages' default (tests set 0, so that options move on at once)."""
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
        self.navigation.enter(self.visit, screen)
        self._prepare(screen)
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

    def _prepare(self, screen: str) -> None:
        """Work for what comes next, in the background: at review, whether the printer
        can print (the result screen says so before it offers printing); at the result,
        a warm sheet builder (a tap on Print waits only for the sheet and the printer)."""
        from kiosk.ui import operations  # noqa: PLC0415 - second stage

        visit = self.visit
        if screen == REVIEW:
            operations.check_printer(
                visit, self.settings, self.tasks, lambda: self._printer_known(visit)
            )
        elif screen == RESULT:
            operations.prepare_sheets(self.questionnaire, self.settings, self.tasks)

    def _printer_known(self, visit: Visit) -> None:
        if visit is self.visit and visit.screen == RESULT:
            self.result_page.show_printer()

    def _go(self, event: Event, question: str = "") -> None:
        """Show the screen the flow says follows `event` (END: record the visit, wipe)."""
        screen = self.navigation.after(self.visit, event, question)
        if screen == END:
            self.wipe()
        elif screen != self.visit.screen or event is Event.EDIT:
            self.show_screen(screen)

    @property
    def flow(self) -> tuple[str, ...]:
        """The screens of a visit in order (only the attract screen until complete())."""
        return self.navigation.screens if self.ready else (ATTRACT,)

    @property
    def scored(self) -> tuple[str, ...]:
        return self.navigation.scored if self.ready else ()

    @property
    def optional(self) -> tuple[str, ...]:
        return self.navigation.optional if self.ready else ()

    def _start(self, lang: str) -> None:
        if not self.ensure_ready():
            return
        if lang:
            self.set_language(lang)
        self.visit.started_at = datetime.now()
        self.speaker.prepare()  # connecting takes seconds: done before the first question
        self._go(Event.START)

    def _answered(self, question_id: str, value: object) -> None:
        if value is None:
            self.visit.answers.pop(question_id, None)
        elif isinstance(value, int | str):
            self.visit.answers[question_id] = value
        if self.visit.screen == question_id:
            self._go(Event.ANSWERED)

    def _confirm(self) -> None:
        try:
            self.visit.profile = engine.score(self.questionnaire, self.visit.answers)
        except AnswerError as exc:
            # Cannot happen through the screens; if it does, ask that question again.
            log.error("review could not be scored: %s", exc)
            questions = self.navigation.questions
            self._go(Event.NOT_SCORED, exc.key if exc.key in questions else self.scored[0])
            return
        self._go(Event.CONFIRM)

    def _rated(self, value: object) -> None:
        self.visit.rating = value if isinstance(value, int) else None
        self._go(Event.RATED)

    def _print(self) -> None:
        from kiosk.ui import operations  # noqa: PLC0415 - second stage

        visit = self.visit
        self.printing_page.start("print")
        self._go(Event.PRINT)
        operations.print_visit(
            visit,
            questionnaire=self.questionnaire,
            settings=self.settings,
            sessions=self.sessions,
            tasks=self.tasks,
            done=lambda outcome: self._sheet_done(visit, outcome),
            timeout_s=self.print_timeout_s,
        )

    def _export(self) -> None:
        from kiosk.ui import operations  # noqa: PLC0415 - second stage

        visit = self.visit
        self.printing_page.start("export")
        self._go(Event.EXPORT)
        operations.export_visit(
            visit,
            questionnaire=self.questionnaire,
            settings=self.settings,
            tasks=self.tasks,
            done=lambda outcome: self._sheet_done(visit, outcome),
        )

    def _sheet_done(self, visit: Visit, outcome: Outcome) -> None:
        if visit is not self.visit:
            return  # that visit is over; its client has gone
        self.message.show_message(outcome.message, retry=outcome.retry)
        self._go(Event.SHEET_DONE)

    def _record(self, visit: Visit) -> None:
        from kiosk.ui import operations  # noqa: PLC0415 - second stage

        operations.record_visit(visit, self.sessions, self.tasks)

    def go_back(self) -> None:
        self._go(Event.BACK)

    def go_next(self) -> None:
        page = self.question_pages.get(self.visit.screen)
        if page is None:
            self._go(Event.NEXT)
            return
        value = page.valid_value()
        if value is not None:
            self._answered(page.question.id, value)

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
        back, forward = self.navigation.has_back_and_next(screen) if self.ready else (False, False)
        self.header.setVisible(screen != ATTRACT)
        enabled = page.valid_value() is not None if page is not None else screen == OPTIONAL_INTRO
        self.footer.show_buttons(back, forward, enabled)
        self._retranslate_chrome()  # also marks the current language's button
        self.corner.raise_()

    def _retranslate_chrome(self) -> None:
        progress = self.navigation.progress(self.visit.screen) if self.ready else None
        self.header.show_state(self.lang, progress, self.visit.large_text)
        self.footer.retranslate(self.lang)
        self.corner.setAccessibleName(self.lang.gettext("Staff only"))
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
        self._go(Event.CORNER)

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
        self._go(Event.UNLOCKED)

    def _change_pin(self) -> None:
        self._go(Event.CHANGE_PIN)  # Cancel on the pad goes back to the staff panel
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
        self.footer.fit(self.width())
        if self.ready and self.overlay.isVisible():
            self.overlay.cover()


__all__ = ["KioskWindow", "StartupErrorWindow"]
