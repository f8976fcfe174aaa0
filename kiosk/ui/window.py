"""The kiosk window: header, one screen at a time, the back/next bar, idle and staff.

The window owns the visit (kiosk.flow.Visit) and shows the screen kiosk.flow's Flow says
comes next; pages only show the visit and report what the client did; the engine computes
the result; kiosk.ui.operations prints, exports and keeps the session log's record;
kiosk.ui.staff decides who reaches the PIN pad and the staff panel. `build_window()`
reads the questionnaire and opens the session log first (kiosk.ui.boot shows the attract
screen while it does).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk import engine
from kiosk.engine import Questionnaire
from kiosk.engine.errors import AnswerError, DataError
from kiosk.flow import (
    ADMIN,
    ATTRACT,
    END,
    OPTIONAL_INTRO,
    PIN,
    PRINTING,
    RESULT,
    REVIEW,
    THANKS,
    Event,
    Visit,
)
from kiosk.settings import Settings
from kiosk.storage.sessions import DB_FILE, SessionLog, StorageError
from kiosk.ui import operations
from kiosk.ui.access import announce_screen, listening
from kiosk.ui.app import apply_locale, screen_scale, style_sheet
from kiosk.ui.attract import AttractPage
from kiosk.ui.chrome import CORNER_SIZE, Footer, Header
from kiosk.ui.idle import CountdownOverlay, IdleWatcher
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.screens import Screens
from kiosk.ui.speech import Speaker
from kiosk.ui.staff import StaffAccess
from kiosk.ui.startup_error import StartupErrorWindow
from kiosk.ui.taps import TapGuard
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import Language
from kiosk.ui.visit import visit_flow
from kiosk.ui.widgets import button

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QResizeEvent

    from kiosk.ui.operations import Outcome

log = logging.getLogger("kiosk.ui")

THANKS_MS = 6000


def build_window(settings: Settings, *, lockdown: bool | Lockdown) -> QWidget:
    """The kiosk window (not shown), or the staff-facing error window naming what keeps
    the kiosk from working (the questionnaire's data, the session log)."""
    try:
        questionnaire = engine.load_questionnaire()
        sessions = SessionLog(settings.data_path / DB_FILE)
    except DataError as exc:
        return _cannot_start(list(exc.problems))
    except StorageError as exc:
        return _cannot_start([str(exc)])
    if isinstance(lockdown, Lockdown):  # the boot screen's: it guards its own window
        return KioskWindow(settings, questionnaire, sessions, lockdown)
    guard = Lockdown(lockdown)
    window = KioskWindow(settings, questionnaire, sessions, guard)
    guard.guard(window)
    return window


def _cannot_start(problems: list[str]) -> StartupErrorWindow:
    log.error("the kiosk cannot start: %s", "; ".join(problems))
    return StartupErrorWindow(problems)


class KioskWindow(QWidget):
    def __init__(
        self,
        settings: Settings,
        questionnaire: Questionnaire,
        sessions: SessionLog,
        lockdown: Lockdown,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.settings = settings
        self.questionnaire = questionnaire
        self.sessions = sessions
        self.lockdown = lockdown
        self.tasks = Tasks(self)  # results for a window deleted meanwhile are dropped
        self.speaker = Speaker()
        self.navigation = visit_flow(questionnaire)
        self.print_timeout_s: float | None = None
        """How long a client's sheet may take to print; None: kiosk.ui.sheets' default."""
        self.lang = Language(settings.kiosk.language)
        self.scale = 1.0
        self.sized = False
        self.look: tuple[bool, float] | None = None
        self.setWindowTitle("风险测评 · Risk profile")
        self._build_chrome()
        self.tap_guard = TapGuard([self.stack, self.footer])
        self.visit = self._new_visit()
        self.staff = StaffAccess(self)
        self.corner.clicked.connect(self.staff.corner_tapped)
        screens = Screens(self)
        self.pages, self.question_pages = screens.pages, screens.questions
        self.result_page, self.message, self.printing_page = (
            screens.result,
            screens.message,
            screens.printing,
        )
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.corner.raise_()
        # Idle time counts only off the attract screen, so it starts with the visits.
        self.overlay = CountdownOverlay(self, self.lang)
        self.idle = IdleWatcher(
            self.overlay,
            settings.kiosk.idle_timeout_s,
            settings.kiosk.idle_countdown_s,
            # The PIN pad and the staff panel too: staff who walk away are logged out.
            active=lambda: self.navigation.timed(self.visit.screen),
        )
        self.idle.expired.connect(lambda: self.go(Event.IDLE))
        app = QApplication.instance()
        for watcher in (self.idle, self.tap_guard):
            watcher.setParent(self)  # leaves the application's filters when the window goes
            if app is not None:
                app.installEventFilter(watcher)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(lambda: self.go(Event.THANKS_DONE))
        self.wipe()

    # ------------------------------------------------------------------ building

    def _build_chrome(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(self.settings.branch.name)
        self.branch_label, self.progress = self.header.branch_label, self.header.progress
        self.large_button, self.lang_buttons = self.header.large_button, self.header.lang_buttons
        self.large_button.clicked.connect(self.toggle_large_text)
        for code, choice in self.lang_buttons.items():
            choice.clicked.connect(lambda _=False, code=code: self.set_language(code))
        self.footer = Footer()
        self.back_button, self.next_button = self.footer.back_button, self.footer.next_button
        self.back_button.clicked.connect(lambda: self.go(Event.BACK))
        self.next_button.clicked.connect(self.go_next)
        self.stack = QStackedWidget()
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
        self.corner = button("admin.corner")
        self.corner.setParent(self)
        self.corner.setFixedSize(CORNER_SIZE, CORNER_SIZE)
        self.lang.changed.connect(lambda _lang: self._retranslate_chrome())

    @property
    def highlight_ms(self) -> int | None:
        """How long a tapped option stays highlighted before the next screen, in ms;
        None: kiosk.ui.question_pages' default (tests set 0, so that options move on at once)."""
        return next(iter(self.question_pages.values())).highlight_ms

    @highlight_ms.setter
    def highlight_ms(self, value: int | None) -> None:
        for page in self.question_pages.values():
            page.highlight_ms = value

    @property
    def flow(self) -> tuple[str, ...]:
        """The screens of a visit in order."""
        return self.navigation.screens

    @property
    def scored(self) -> tuple[str, ...]:
        return self.navigation.scored

    @property
    def optional(self) -> tuple[str, ...]:
        return self.navigation.optional

    # ------------------------------------------------------------------ the visit

    def _new_visit(self) -> Visit:
        kiosk = self.settings.kiosk
        return Visit(lang=kiosk.language, large_text=kiosk.large_text)

    def wipe(self) -> None:
        """End the visit: nothing of it survives (answers, language, text size, pages);
        the session log keeps its record (ids, scores, outcome; nothing about the person)."""
        self.idle.stop()
        self.staff.pin_page.close_pad()
        operations.record_visit(self.visit, self.sessions, self.tasks)
        self.visit = self._new_visit()
        self.lang.set(self.visit.lang)
        self._apply_text_size()
        for page in self.pages.values():
            page.load(self.visit)
        self.show_screen(ATTRACT)

    def show_screen(self, screen: str) -> None:
        self.speaker.stop()
        if screen == ADMIN:
            self.staff.pin_page.close_pad()
        if screen != PRINTING:
            self.printing_page.stop()
        self.navigation.enter(self.visit, screen)
        self._prepare(screen)
        page = self.pages[screen]
        if screen == PIN:
            self.staff.pin_page.open()
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

    def go(self, event: Event, question: str = "") -> None:
        """Show the screen the flow says follows `event` (END: record the visit, wipe)."""
        screen = self.navigation.after(self.visit, event, question)
        if screen == END:
            self.wipe()
        elif screen != self.visit.screen or event is Event.EDIT:
            self.show_screen(screen)

    def start_visit(self, lang: str) -> None:
        """A client tapped the start screen (lang: the language button they chose, or '')."""
        if lang:
            self.set_language(lang)
        self.visit.started_at = datetime.now()
        self.speaker.prepare()  # connecting takes seconds: done before the first question
        self.go(Event.START)

    def answered(self, question_id: str, value: object) -> None:
        if value is None:
            self.visit.answers.pop(question_id, None)
        elif isinstance(value, int | str):
            self.visit.answers[question_id] = value
        if self.visit.screen == question_id:
            self.go(Event.ANSWERED)

    def confirm(self) -> None:
        try:
            self.visit.profile = engine.score(self.questionnaire, self.visit.answers)
        except AnswerError as exc:
            # Cannot happen through the screens; if it does, ask that question again.
            log.error("review could not be scored: %s", exc)
            questions = self.navigation.questions
            self.go(Event.NOT_SCORED, exc.key if exc.key in questions else self.scored[0])
            return
        self.go(Event.CONFIRM)

    def rated(self, value: object) -> None:
        self.visit.rating = value if isinstance(value, int) else None
        self.go(Event.RATED)

    def print_sheet(self) -> None:
        visit = self.visit
        self.printing_page.start("print")
        self.go(Event.PRINT)
        operations.print_visit(
            visit,
            questionnaire=self.questionnaire,
            settings=self.settings,
            sessions=self.sessions,
            tasks=self.tasks,
            done=lambda outcome: self._sheet_done(visit, outcome),
            timeout_s=self.print_timeout_s,
        )

    def export_sheet(self) -> None:
        visit = self.visit
        self.printing_page.start("export")
        self.go(Event.EXPORT)
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
        self.go(Event.SHEET_DONE)

    def go_next(self) -> None:
        page = self.question_pages.get(self.visit.screen)
        if page is None:
            self.go(Event.NEXT)
            return
        value = page.valid_value()
        if value is not None:
            self.answered(page.question.id, value)

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

    def validity(self, valid: bool) -> None:
        page = self.question_pages.get(self.visit.screen)
        if page is not None and page.question.kind == "number":
            self.next_button.setEnabled(valid)

    def _update_chrome(self) -> None:
        screen = self.visit.screen
        page = self.question_pages.get(screen)
        back, forward = self.navigation.has_back_and_next(screen)
        self.header.setVisible(screen != ATTRACT)
        enabled = page.valid_value() is not None if page is not None else screen == OPTIONAL_INTRO
        self.footer.show_buttons(back, forward, enabled)
        self._retranslate_chrome()  # also marks the current language's button
        self.corner.raise_()

    def _retranslate_chrome(self) -> None:
        progress = self.navigation.progress(self.visit.screen)
        self.header.show_state(self.lang, progress, self.visit.large_text)
        self.footer.retranslate(self.lang)
        self.corner.setAccessibleName(self.lang.gettext("Staff only"))
        if listening():  # the language a screen reader is told (~15 ms: only for one)
            apply_locale(self.lang.lang, self)

    def settings_saved(self, settings: Settings) -> None:
        """Staff saved new settings in the panel: what the kiosk shows follows them."""
        self.settings = settings
        self.branch_label.setText(settings.branch.name)
        self.idle.timer.setInterval(settings.kiosk.idle_timeout_s * 1000)
        attract = self.pages[ATTRACT]
        assert isinstance(attract, AttractPage)
        attract.branch.setText(settings.branch.name)

    # ------------------------------------------------------------------ the end

    @property
    def allow_close(self) -> bool:
        """Whether the window may close (a locked-down kiosk: only once staff exit)."""
        return self.lockdown.released

    @allow_close.setter
    def allow_close(self, value: bool) -> None:
        self.lockdown.released = value

    def recover(self) -> None:
        """After an unexpected error: end the visit (its record kept) and show the start."""
        self.idle.stop()
        self.printing_page.stop()
        self.wipe()

    def exit_to_desktop(self) -> None:
        self.allow_close = True
        if not self.tasks.closed:
            self.staff.log("exit", "")
        self.idle.stop()
        self.window().close()  # the boot screen around this window, when there is one

    def shutdown(self) -> None:
        """Record the visit in progress and finish every pending write (on exit)."""
        if self.tasks.closed:
            return
        self._release_app()
        operations.record_visit(self.visit, self.sessions, self.tasks)
        self.visit = self._new_visit()
        self.staff.stop_sync()  # the fleet pusher, before the session log closes
        self.tasks.shutdown()
        self.sessions.close()

    def _release_app(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.tap_guard)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Reached only when the lockdown guard let the close through.
        self._release_app()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.sized = True
        self.scale = screen_scale(self.width(), self.height())
        self._apply_text_size()
        self.corner.move(0, 0)
        self.corner.raise_()
        self.footer.fit(self.width())
        if self.overlay.isVisible():
            self.overlay.cover()


__all__ = ["KioskWindow", "StartupErrorWindow", "build_window"]
