"""The staff panel behind the PIN: the day's numbers, the printer, reprints, the session log
as CSV, the main settings, the PIN, and the way out. Slow work runs in the task worker."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import PySide6
import shiboken6
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.diagnostics import write_diagnostics
from kiosk.engine import Questionnaire
from kiosk.i18n import language_names
from kiosk.palette import BAND_FILLS, INK
from kiosk.printing import PrintOutcome, print_pdf, printer_names, queue_state, resolve_printer
from kiosk.settings import Settings
from kiosk.storage.outbox import Outbox
from kiosk.storage.retention import PurgeResult, last_purge, purge_old_records
from kiosk.storage.sessions import SessionLog, Stats
from kiosk.ui.keyboard import Keyboard
from kiosk.ui.page import Page
from kiosk.ui.pages import touch_scroll
from kiosk.ui.sheets import removable_drives
from kiosk.ui.tasks import Done, Failed, Tasks, Worker
from kiosk.ui.texts import Language
from kiosk.ui.widgets import Label, button, label, set_state

log = logging.getLogger("kiosk.ui")

SECTIONS = ("overview", "printer", "reprint", "export", "settings")
COUNTS = ("visits", "completed", "printed", "exported", "print_failed", "abandoned", "declined")
IDLE_STEPS = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600)
"""What − and + step through: the settings accept 5–3600 seconds (a value between two
steps, set in the settings file, moves to the next step either way)."""


def set_texts(
    widgets: Mapping[str, QLabel] | Mapping[str, QPushButton], texts: Mapping[str, str]
) -> None:
    """Give each widget the text under its key."""
    for key, widget in widgets.items():
        widget.setText(texts[key])


def column(*widgets: QWidget) -> QWidget:
    """A section: its widgets one under the other, packed at the top."""
    box = QWidget()
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box


class Notice(Label):
    """A warning that takes no room while it has nothing to say (the menu must fit)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", "warning")
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))


class TapField(QLineEdit):
    """A field that shows a value; a tap on it asks for the on-screen keyboard (it takes
    no typing itself, so no system keyboard ever pops up over the kiosk)."""

    tapped = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        self.tapped.emit()


class LevelChart(QWidget):
    """How many clients reached each capacity and attitude level (two bars a level)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("admin.chart")
        self.setMinimumHeight(180)
        self.bars: list[tuple[str, int, int]] = []

    def set_bars(self, bars: list[tuple[str, int, int]]) -> None:
        self.bars = bars
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.end()
            return
        top = max(1, *(max(a, b) for _, a, b in self.bars))
        slot = self.width() / len(self.bars)
        base = self.height() - 30
        for index, (name, capacity, attitude) in enumerate(self.bars):
            x = index * slot + slot * 0.15
            width = slot * 0.33
            for offset, count, fill in (
                (0, capacity, BAND_FILLS[4]),
                (width, attitude, BAND_FILLS[2]),
            ):
                height = (base - 20) * count / top
                painter.fillRect(QRectF(x + offset, base - height, width - 2, height), QColor(fill))
                painter.setPen(QColor(INK))
                painter.drawText(
                    QRectF(x + offset, base - height - 22, width, 20),
                    Qt.AlignmentFlag.AlignCenter,
                    str(count),
                )
            painter.drawText(
                QRectF(index * slot, base + 4, slot, 24), Qt.AlignmentFlag.AlignCenter, name
            )
        painter.end()


class AdminPanel(Page):
    """Staff screen. The window gives it what it works on; it reports back by signals."""

    back = Signal()
    exit_requested = Signal()
    change_pin = Signal()
    settings_saved = Signal(object)
    """The new Settings, once validated and written."""

    def __init__(
        self,
        lang: Language,
        questionnaire: Questionnaire,
        *,
        tasks: Tasks,
        sessions: SessionLog,
        settings: Callable[[], Settings],
        save: Callable[[dict[str, dict[str, object]]], Settings],
    ) -> None:
        super().__init__(lang)
        self.questionnaire = questionnaire
        self.tasks = tasks
        self.sessions = sessions
        self.current = settings
        self.save = save
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 20)
        outer.setSpacing(24)
        menu_box = QWidget()
        menu = QVBoxLayout(menu_box)
        menu.setContentsMargins(0, 0, 0, 0)
        self.title = label("", "title", "admin.title")
        menu.addWidget(self.title)
        menu.addSpacing(12)
        self.notice = Notice("admin.notice")
        menu.addWidget(self.notice)
        self.menu: dict[str, QPushButton] = {}
        for section in SECTIONS:
            choice = button(f"admin.section.{section}", "quiet")
            choice.clicked.connect(lambda _=False, s=section: self.show_section(s))
            self.menu[section] = choice
            menu.addWidget(choice)
        menu.addStretch(1)
        self.back_button = button("admin.back", "primary")
        self.exit_button = button("admin.exit")
        self.back_button.clicked.connect(self.back.emit)
        self.exit_button.clicked.connect(self.exit_requested.emit)
        for widget in (self.back_button, self.exit_button):
            menu.addWidget(widget)
        self.menu_box = menu_box
        self.menu_area = touch_scroll(menu_box)
        outer.addWidget(self.menu_area, 1)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 3)
        self.sections: dict[str, QWidget] = {
            "overview": self._overview(),
            "printer": self._printer(),
            "reprint": self._reprint(),
            "export": self._export(),
            "settings": self._settings(),
        }
        for content in self.sections.values():
            self.stack.addWidget(touch_scroll(content))
        self.section = "overview"

    # ------------------------------------------------------------------ building

    def _overview(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        # What staff should know about the session log: a purge refused for the clock,
        # a log file that was deleted or replaced while the kiosk ran.
        self.storage_notice = label("", "warning", "admin.storage_notice")
        self.storage_notice.hide()
        layout.addWidget(self.storage_notice)
        self.clock_button = button("admin.clock_ok")
        self.clock_button.clicked.connect(self._confirm_clock)
        self.clock_button.hide()
        layout.addWidget(self.clock_button)
        self.storage_state: tuple[PurgeResult | None, dict[str, str] | None] = (None, None)
        self.counts_title = label("", "level")
        layout.addWidget(self.counts_title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        self.count_labels: dict[tuple[str, str], QLabel] = {}
        self.count_names: dict[str, QLabel] = {}
        self.period_names: dict[str, QLabel] = {}
        for column, period in enumerate(("today", "7", "30"), start=1):
            self.period_names[period] = label("", "help", wrap=False)
            grid.addWidget(self.period_names[period], 0, column)
        for row, name in enumerate(COUNTS, start=1):
            self.count_names[name] = label("", "help")
            grid.addWidget(self.count_names[name], row, 0)
            for column, period in enumerate(("today", "7", "30"), start=1):
                value = label("–", "", f"admin.count.{name}.{period}", wrap=False)
                grid.addWidget(value, row, column)
                self.count_labels[(name, period)] = value
        layout.addLayout(grid)
        self.abandoned = label("", "help", "admin.abandoned_where")
        layout.addWidget(self.abandoned)
        self.chart_title = label("", "help")
        layout.addWidget(self.chart_title)
        self.chart = LevelChart()
        layout.addWidget(self.chart)
        self.allocations = label("", "help", "admin.allocations")
        layout.addWidget(self.allocations)
        layout.addStretch(1)
        return box

    def _printer(self) -> QWidget:
        self.printer_status = label("", "level", "admin.printer.status")
        self.test_button = button("admin.test_print", "primary")
        self.test_button.clicked.connect(self._test_print)
        self.printer_result = label("", "help", "admin.printer.result")
        return column(self.printer_status, self.test_button, self.printer_result)

    def _reprint(self) -> QWidget:
        self.reprint_help = label("", "help")
        self.sheet_list = QListWidget()
        self.sheet_list.setObjectName("admin.sheets")
        self.sheet_list.setMinimumHeight(300)
        # Big rows a finger drags through (no thin scroll bar to aim at).
        self.sheet_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        QScroller.grabGesture(
            self.sheet_list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )
        self.reprint_button = button("admin.reprint", "primary")
        self.reprint_button.clicked.connect(self._reprint_selected)
        self.reprint_result = label("", "help", "admin.reprint.result")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.reprint_help)
        layout.addWidget(self.sheet_list, 1)  # the list takes the room there is
        layout.addWidget(self.reprint_button)
        layout.addWidget(self.reprint_result)
        return box

    def _export(self) -> QWidget:
        self.export_help = label("", "help")
        self.export_button = button("admin.export_csv", "primary")
        self.export_button.clicked.connect(self._export_csv)
        self.export_result = label("", "help", "admin.export.result")
        self.diagnostics_button = button("admin.diagnostics")
        self.diagnostics_button.clicked.connect(self._diagnostics)
        self.diagnostics_result = label("", "help", "admin.diagnostics.result")
        return column(
            self.export_help,
            self.export_button,
            self.export_result,
            self.diagnostics_button,
            self.diagnostics_result,
        )

    def _settings(self) -> QWidget:
        """The settings as touch controls: the branch name through the on-screen keyboard,
        choices as big toggle buttons, the idle timeout with − and + beside its value; and
        the staff PIN (changed on the PIN pad at once, not saved with the rest)."""
        box = QWidget()
        form = QGridLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(32)  # a label never touches its field
        form.setVerticalSpacing(14)
        form.setColumnStretch(0, 1)  # names wrap rather than squeeze their fields
        form.setColumnStretch(1, 3)
        self.field_names: dict[str, QLabel] = {}
        self.branch_name = TapField("admin.settings.branch_name")
        self.branch_name.tapped.connect(self._open_keyboard)
        self.branch_edit = button("admin.settings.branch_name.edit")
        self.branch_edit.clicked.connect(self._open_keyboard)
        branch = QHBoxLayout()
        branch.setSpacing(16)
        branch.addWidget(self.branch_name, 1)
        branch.addWidget(self.branch_edit)
        self.printer = QWidget()
        self.printer.setObjectName("admin.settings.printer")
        self.printer_list = QVBoxLayout(self.printer)
        self.printer_list.setContentsMargins(0, 0, 0, 0)
        self.printer_list.setSpacing(12)
        self.printer_buttons: dict[str, QPushButton] = {}
        self.printer_choice = ""
        self.idle_seconds = IDLE_STEPS[0]
        self.idle_less = button("admin.settings.idle_timeout.less", "key", "−")
        self.idle_more = button("admin.settings.idle_timeout.more", "key", "+")
        self.idle_less.clicked.connect(lambda: self._step_idle(-1))
        self.idle_more.clicked.connect(lambda: self._step_idle(+1))
        self.idle = label("", "level", "admin.settings.idle_timeout", wrap=False)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle.setMinimumWidth(self.idle.fontMetrics().horizontalAdvance("0000") * 2)
        idle = QHBoxLayout()
        idle.setSpacing(16)
        for widget in (self.idle_less, self.idle, self.idle_more):
            idle.addWidget(widget)
        idle.addStretch(1)
        self.language = QWidget()
        self.language.setObjectName("admin.settings.language")
        languages = QHBoxLayout(self.language)
        languages.setContentsMargins(0, 0, 0, 0)
        languages.setSpacing(16)
        self.language_buttons: dict[str, QPushButton] = {}
        self.language_choice = ""
        for lang, name in language_names().items():
            choice = button(f"admin.settings.language.{lang}", "quiet", name)
            choice.clicked.connect(lambda _=False, lang=lang: self._choose_language(lang))
            self.language_buttons[lang] = choice
            languages.addWidget(choice, 1)
        fields: list[tuple[str, QWidget | QLayout]] = [
            ("branch", branch),
            ("printer", self.printer),
            ("idle", idle),
            ("language", self.language),
        ]
        for row, (key, field) in enumerate(fields):
            self._field_name(form, key, row)
            if isinstance(field, QWidget):
                form.addWidget(field, row, 1)
            else:
                form.addLayout(field, row, 1)
        self.save_button = button("admin.settings.save", "primary")
        self.save_button.clicked.connect(self._save_settings)
        self.settings_message = label("", "help", "admin.settings.message")
        form.addWidget(self.save_button, 4, 1)
        form.addWidget(self.settings_message, 5, 0, 1, 2)
        self._field_name(form, "pin", 6)
        self.pin_button = button("admin.change_pin", "quiet")
        self.pin_button.clicked.connect(self.change_pin.emit)
        form.addWidget(self.pin_button, 6, 1)
        form.setRowStretch(7, 1)
        # The keyboard takes the form's place while the branch name is typed.
        settings = QWidget()
        pages = QVBoxLayout(settings)
        pages.setContentsMargins(0, 0, 0, 0)
        typing = QWidget()
        typing_layout = QVBoxLayout(typing)
        typing_layout.setContentsMargins(0, 0, 0, 0)
        typing_layout.setSpacing(12)
        self.keyboard_title = label("", "level", wrap=False)
        self.keyboard = Keyboard("admin.keyboard")
        self.keyboard.done.connect(self._keyboard_done)
        self.keyboard.cancelled.connect(self._close_keyboard)
        self.keyboard_note = label("", "help", "admin.keyboard.note")
        typing_layout.addWidget(self.keyboard_title)
        typing_layout.addWidget(self.keyboard)
        typing_layout.addWidget(self.keyboard_note)
        typing_layout.addStretch(1)
        # One shown, the other hidden (and so given no room: the section scrolls only
        # when the page on screen does not fit).
        self.settings_pages = (box, typing)
        for page in self.settings_pages:
            pages.addWidget(page)
        typing.hide()
        return settings

    def _field_name(self, form: QGridLayout, key: str, row: int) -> None:
        """A field's name, left of it, as high as one button and centred on it (beside
        the first of a list of printers)."""
        name = label("", "help")
        name.setProperty("field", "true")
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.field_names[key] = name
        form.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)

    # ------------------------------------------------------------------ behaviour

    def load(self, visit: object) -> None:
        super().load(visit)  # type: ignore[arg-type]
        self.show_section(self.section)

    def show_section(self, section: str) -> None:
        self.section = section
        self.stack.setCurrentIndex(SECTIONS.index(section))
        for name, choice in self.menu.items():
            set_state(choice, "current", name == section)
        refresh = {
            "overview": self._refresh_counts,
            "printer": self._refresh_printer,
            "reprint": self._refresh_sheets,
            "settings": self._fill_settings,
        }.get(section)
        if refresh is not None:
            refresh()

    def _run(
        self, worker: Worker, work: Callable[[], Any], on_done: Done, on_error: Failed
    ) -> None:
        """worker.run, but a result that comes back after the panel was deleted (its window
        closed while the work ran) is dropped instead of touching deleted widgets.

        `self.tasks.log` for the session log (after every write asked before),
        `self.tasks.devices` for printers, USB drives and files: never the GUI thread."""

        def alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                if shiboken6.isValid(self):
                    callback(value)
                else:
                    log.debug("a staff-panel result arrived after the panel was gone")

            return deliver

        worker.run(work, alive(on_done), alive(on_error))

    def _log(self, action: str, detail: str) -> None:
        at = datetime.now()
        self._run(
            self.tasks.log, lambda: self.sessions.log_admin(action, detail, at), _ignore, _ignore
        )

    def _refresh_counts(self) -> None:
        now = datetime.now()
        since = {
            "today": now.replace(hour=0, minute=0, second=0, microsecond=0),
            "7": now - timedelta(days=7),
            "30": now - timedelta(days=30),
        }
        sessions = self.sessions

        def work() -> tuple[dict[str, Stats], PurgeResult | None, dict[str, str] | None]:
            # Up to now: a visit dated in the future (a clock that was ahead) is not today's.
            stats = {period: sessions.stats(start, now) for period, start in since.items()}
            return stats, last_purge(sessions), sessions.reopened()

        self._run(
            self.tasks.log,
            work,
            self._show_overview,
            lambda error: self.abandoned.setText(str(error)),
        )

    def _show_overview(
        self, found: tuple[dict[str, Stats], PurgeResult | None, dict[str, str] | None]
    ) -> None:
        stats, purge, reopened = found
        self.storage_state = (purge, reopened)
        self._show_storage()
        self._show_counts(stats)

    def _show_storage(self) -> None:
        _ = self.lang.gettext
        purge, reopened = self.storage_state
        notes = []
        if purge is not None and purge.refused is not None:
            words = {
                "clock": f"{purge.at:%Y-%m-%d %H:%M}",
                "trusted": f"{purge.trusted:%Y-%m-%d %H:%M}" if purge.trusted else "–",
            }
            if purge.refused == "behind":
                notes.append(
                    _(
                        "Old records are not being deleted: the clock ({clock}) is earlier "
                        "than the newest record ({trusted}). Check the date and time; if "
                        "they are right, tap the button below."
                    ).format(**words)
                )
            else:
                notes.append(
                    _(
                        "Old records are not being deleted: the clock ({clock}) is more than "
                        "a day later than when the kiosk last ran ({trusted}). If the kiosk "
                        "was switched off and the date and time are right, tap the button "
                        "below."
                    ).format(**words)
                )
        if reopened is not None and self._recent(reopened.get("at", "")):
            notes.append(
                _(
                    "The session log was deleted or replaced while the kiosk was running "
                    "(noticed at {at}); visits recorded before that are not in it. The "
                    "kiosk now writes to {path}."
                ).format(at=reopened["at"].replace("T", " ")[:16], path=reopened.get("path", ""))
            )
        self.storage_notice.setText("\n\n".join(notes))
        self.storage_notice.setVisible(bool(notes))
        self.clock_button.setText(_("The date and time are right: delete old records"))
        self.clock_button.setVisible(purge is not None and purge.refused is not None)

    def _recent(self, at: str) -> bool:
        """Whether a note dated `at` is within the retention (older records are gone)."""
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            return True
        return when > datetime.now() - timedelta(days=self.current().storage.retention_days)

    def _confirm_clock(self) -> None:
        """Staff say the clock is right: it becomes the trusted time and the purge runs."""
        settings, sessions, now = self.current(), self.sessions, datetime.now()
        self.clock_button.setEnabled(False)

        def done(result: PurgeResult) -> None:
            self.clock_button.setEnabled(True)
            self._log(
                "clock_confirmed",
                f"{now:%Y-%m-%d %H:%M:%S} (was held against {result.trusted}); "
                f"purged {result.visits} visits, {result.sheets} sheets, {result.files} files",
            )
            self._refresh_counts()

        self._run(
            self.tasks.log,
            lambda: purge_old_records(
                sessions, settings.data_path, settings.storage.retention_days, now, confirmed=True
            ),
            done,
            self._task_failed(self.storage_notice, self.clock_button),
        )

    def _show_counts(self, stats: dict[str, Stats]) -> None:
        for (name, period), widget in self.count_labels.items():
            widget.setText(str(getattr(stats[period], name)))
        month = stats["30"]
        _ = self.lang.gettext
        where = ", ".join(
            f"{self._screen_name(screen)} {count}"
            for screen, count in sorted(month.abandoned_where.items(), key=lambda kv: -kv[1])
        )
        self.abandoned.setText(_("Abandoned at (30 days): {where}").format(where=where or "–"))
        levels = self.questionnaire.tables.levels
        self.chart.set_bars(
            [
                (
                    self.lang.data(level.name),
                    month.capacity_levels.get(level.id, 0),
                    month.attitude_levels.get(level.id, 0),
                )
                for level in levels
            ]
        )
        shares = ", ".join(f"{mix} × {count}" for mix, count in sorted(month.allocations.items()))
        self.allocations.setText(
            _("Allocations (low/medium/high %, 30 days): {shares}").format(shares=shares or "–")
        )

    def _screen_name(self, screen: str) -> str:
        if screen in self.questionnaire.question_id_set:
            return self.lang.data(self.questionnaire.question(screen).text)
        return screen

    def _refresh_printer(self) -> None:
        wanted = self.current().printing.printer

        def work() -> tuple[str, str, str]:
            name = resolve_printer(wanted)
            return name, wanted, queue_state(name) if name else ""

        self._run(
            self.tasks.devices,
            work,
            self._show_printer,
            lambda error: self.printer_status.setText(str(error)),
        )

    def _show_printer(self, found: tuple[str, str, str]) -> None:
        _ = self.lang.gettext
        name, wanted, state = found
        if not name:
            self.printer_status.setText(
                _("No printer: {name} is not available.").format(
                    name=wanted or _("the system default printer")
                )
            )
            return
        words = {
            "queue_stopped": _("stopped"),
            "queue_rejecting": _("not accepting jobs"),
        }.get(state, _("ready"))
        self.printer_status.setText(_("Printer {name}: {state}").format(name=name, state=words))

    def _test_print(self) -> None:
        from kiosk.issuing import SheetService  # noqa: PLC0415 - reportlab: on first use

        settings = self.current()
        printer = settings.printing.printer
        self.printer_result.setText(self.lang.gettext("Printing…"))
        self.test_button.setEnabled(False)
        self._run(
            self.tasks.devices,
            lambda: print_pdf(
                SheetService(settings, self.questionnaire).test_page().pdf,
                printer,
                "kiosk-test-page",
                60,
            ),
            self._tested,
            self._task_failed(self.printer_result, self.test_button),
        )

    def _tested(self, outcome: object) -> None:
        self.test_button.setEnabled(True)
        self.printer_result.setText(self._outcome_text(outcome))
        self._log("test_print", self._outcome_text(outcome))
        self._refresh_printer()

    def _outcome_text(self, outcome: object) -> str:
        _ = self.lang.gettext
        ok = getattr(outcome, "ok", False)
        if ok:
            return _("Printed on {name}.").format(name=getattr(outcome, "printer", ""))
        return _("Not printed: {detail}").format(detail=getattr(outcome, "detail", ""))

    def _task_failed(self, target: QLabel, again: QPushButton) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            again.setEnabled(True)
            target.setText(str(error))

        return failed

    def _refresh_sheets(self) -> None:
        self.sheet_list.clear()
        self.sheet_list.addItems(Outbox(self.current().data_path).numbers()[:200])
        if self.sheet_list.count():
            self.sheet_list.setCurrentRow(0)
        self.reprint_button.setEnabled(self.sheet_list.count() > 0)

    def _reprint_selected(self) -> None:
        item = self.sheet_list.currentItem()
        if item is None:
            return
        number = item.text()
        settings = self.current()
        self.reprint_button.setEnabled(False)
        self.reprint_result.setText(self.lang.gettext("Printing…"))

        def work() -> PrintOutcome:
            pdf = Outbox(settings.data_path).load(number)
            return print_pdf(pdf, settings.printing.printer, f"sheet-{number}", 60)

        def done(outcome: PrintOutcome) -> None:
            at, sessions = datetime.now(), self.sessions
            result = outcome.reason or "reprinted"
            self.tasks.log.write(lambda: sessions.record_print(number, outcome.printer, result, at))
            self.reprint_button.setEnabled(True)
            self.reprint_result.setText(f"{number}: {self._outcome_text(outcome)}")
            self._log("reprint", f"{number}: {self._outcome_text(outcome)}")

        self._run(
            self.tasks.devices,
            work,
            done,
            self._task_failed(self.reprint_result, self.reprint_button),
        )

    def _export_csv(self) -> None:
        data_path, sessions = self.current().data_path, self.sessions
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.export_button.setEnabled(False)

        def work() -> tuple[Path, int]:
            folders = [*removable_drives(), data_path / "exports"]
            last: OSError | None = None
            for folder in folders:
                target = folder / f"kiosk-sessions-{stamp}.csv"
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    return target, sessions.export_csv(target)
                except OSError as exc:
                    last = exc
            raise last or OSError("no folder to export to")

        def done(result: tuple[Path, int]) -> None:
            path, rows = result
            self.export_button.setEnabled(True)
            self.export_result.setText(
                self.lang.gettext("{rows} visits exported to {path}").format(rows=rows, path=path)
            )
            self._log("export_csv", str(path))

        failed = self._task_failed(self.export_result, self.export_button)
        # Every visit recorded before the tap is in the file: the log worker first writes
        # what it was asked to; then the file (on a USB drive, maybe slow) is written on
        # the devices worker while the session log goes on writing.
        self._run(
            self.tasks.log,
            lambda: None,
            lambda _written: self._run(self.tasks.devices, work, done, failed),
            failed,
        )

    def _diagnostics(self) -> None:
        settings = self.current()
        versions = {"PySide6": PySide6.__version__, "Qt": qVersion()}
        self.diagnostics_button.setEnabled(False)

        def work() -> Path:
            for folder in [*removable_drives(), settings.data_path / "exports"]:
                try:
                    return write_diagnostics(folder, settings, versions)
                except OSError:
                    continue
            raise OSError("no folder to write the diagnostics to")

        def done(path: Path) -> None:
            self.diagnostics_button.setEnabled(True)
            self.diagnostics_result.setText(
                self.lang.gettext("Diagnostics saved to {path}").format(path=path)
            )
            self._log("diagnostics", str(path))

        self._run(
            self.tasks.devices,
            work,
            done,
            self._task_failed(self.diagnostics_result, self.diagnostics_button),
        )

    def _fill_settings(self) -> None:
        settings = self.current()
        self._settings_page(0)
        self.branch_name.setText(settings.branch.name)
        self.branch_name.home(False)  # a long name shows its beginning
        self._fill_printers(settings.printing.printer)
        self.idle_seconds = settings.kiosk.idle_timeout_s
        self._show_idle()
        self._choose_language(settings.kiosk.language)

    def _fill_printers(self, wanted: str) -> None:
        """One big button a printer: the system default, every queue, and the chosen one
        even when it is gone (so that saving other settings keeps it). The queues come
        from CUPS on the devices worker; until they do, the default and the chosen one."""
        self._show_printers([], wanted, wanted)
        self._run(
            self.tasks.devices,
            printer_names,
            lambda queues: self._show_printers(queues, wanted, self.printer_choice),
            lambda error: log.error("cannot list the printers: %s", error),
        )

    def _show_printers(self, queues: list[str], wanted: str, chosen: str) -> None:
        names = ["", *queues]
        names += [name for name in dict.fromkeys((wanted, chosen)) if name not in names]
        if list(self.printer_buttons) == names:
            self._choose_printer(chosen)
            return
        for old in self.printer_buttons.values():
            old.hide()
            old.deleteLater()
        self.printer_buttons = {}
        for name in names:
            key = f"queue.{name}" if name else "default"
            choice = button(f"admin.settings.printer.{key}", "quiet", name)
            choice.clicked.connect(lambda _=False, name=name: self._choose_printer(name))
            self.printer_buttons[name] = choice
            self.printer_list.addWidget(choice)
        self.printer_buttons[""].setText(self.lang.gettext("System default printer"))
        self._choose_printer(chosen)

    def _choose_printer(self, name: str) -> None:
        self.printer_choice = name
        for queue, choice in self.printer_buttons.items():
            set_state(choice, "current", queue == name)

    def _choose_language(self, lang: str) -> None:
        self.language_choice = lang
        for code, choice in self.language_buttons.items():
            set_state(choice, "current", code == lang)

    def _step_idle(self, direction: int) -> None:
        """The next step up or down, never beyond what the settings accept."""
        value = self.idle_seconds
        if direction > 0:
            self.idle_seconds = min((s for s in IDLE_STEPS if s > value), default=IDLE_STEPS[-1])
        else:
            self.idle_seconds = max((s for s in IDLE_STEPS if s < value), default=IDLE_STEPS[0])
        self._show_idle()

    def _show_idle(self) -> None:
        self.idle.setText(str(self.idle_seconds))
        self.idle_less.setEnabled(self.idle_seconds > IDLE_STEPS[0])
        self.idle_more.setEnabled(self.idle_seconds < IDLE_STEPS[-1])

    def _settings_page(self, index: int) -> None:
        """Show the form (0) or the keyboard (1) in the settings section."""
        for number, page in enumerate(self.settings_pages):
            page.setVisible(number == index)

    def _open_keyboard(self) -> None:
        self.keyboard.open(self.branch_name.text())
        self._settings_page(1)

    def _keyboard_done(self, text: str) -> None:
        self.branch_name.setText(text.strip())
        self.branch_name.home(False)
        self._close_keyboard()

    def _close_keyboard(self) -> None:
        self.keyboard.field.clearFocus()  # (a scroll area would keep scrolling to it)
        self._settings_page(0)

    def _save_settings(self) -> None:
        changes: dict[str, dict[str, object]] = {
            "branch": {"name": self.branch_name.text()},
            "printing": {"printer": self.printer_choice},
            "kiosk": {"idle_timeout_s": self.idle_seconds, "language": self.language_choice},
        }
        try:
            saved = self.save(changes)
        except Exception as exc:  # SettingsError or OSError: say it, keep the old settings
            self.settings_message.setText(
                self.lang.gettext("Not saved: {reason}").format(reason=exc)
            )
            return
        self.settings_message.setText(self.lang.gettext("Saved."))
        self._log("settings", repr(changes))
        self.settings_saved.emit(saved)

    def _fit_menu(self) -> None:
        """The menu as wide as its widest button: its scroll area scrolls up and down only,
        and would cut off a long name (English, large text, a small screen)."""
        bar = self.menu_area.verticalScrollBar()
        extra = bar.sizeHint().width() if bar.isVisible() else 0
        self.menu_area.setMinimumWidth(self.menu_box.minimumSizeHint().width() + extra)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_menu()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # (event.Type, not the module's QEvent: this also runs while Python shuts down)
        if event.type() == event.Type.StyleChange:  # a new text size or screen size
            QTimer.singleShot(0, self, self._fit_menu)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.title.setText(_("Staff"))
        names = {
            "overview": _("Today's numbers"),
            "printer": _("Printer"),
            "reprint": _("Reprint a sheet"),
            "export": _("Export the session log"),
            "settings": _("Settings"),
        }
        set_texts(self.menu, names)
        self.pin_button.setText(_("Change the PIN"))
        self.back_button.setText(_("Back to the kiosk"))
        self.exit_button.setText(_("Exit to the desktop"))
        self.counts_title.setText(_("Visits") + f" · kiosk {__version__}")
        self._show_storage()
        periods = {"today": _("Today"), "7": _("7 days"), "30": _("30 days")}
        set_texts(self.period_names, periods)
        words = {
            "visits": _("Visits"),
            "completed": _("Reached the result"),
            "printed": _("Printed"),
            "exported": _("Saved as a file"),
            "print_failed": _("Print failed"),
            "abandoned": _("Abandoned"),
            "declined": _("Declined"),
        }
        set_texts(self.count_names, words)
        self.chart_title.setText(_("Clients by level, 30 days (dark: capacity, light: attitude)"))
        self.test_button.setText(_("Print a test page"))
        self.reprint_help.setText(
            _("Sheets in the outbox, newest first. Choose one to print again.")
        )
        self.reprint_button.setText(_("Print the chosen sheet"))
        self.export_help.setText(
            _("The session log as CSV (opens in Excel), to a USB drive if one is plugged in.")
        )
        self.export_button.setText(_("Export as CSV"))
        self.diagnostics_button.setText(_("Save a diagnostics file for support"))
        fields = {
            "branch": _("Branch name"),
            "printer": _("Printer"),
            "idle": _("Idle timeout (seconds)"),
            "language": _("Default language"),
            "pin": _("Staff PIN"),
        }
        set_texts(self.field_names, fields)
        if "" in self.printer_buttons:
            self.printer_buttons[""].setText(_("System default printer"))
        self.branch_edit.setText(_("Change…"))
        self.keyboard_title.setText(_("Branch name"))
        self.keyboard.set_texts(
            clear=_("Clear"), space=_("Space"), cancel=_("Cancel"), done=_("Done")
        )
        self.keyboard.set_names(
            delete=_("Delete"), shift=_("Shift"), left=_("Cursor left"), right=_("Cursor right")
        )
        self.idle_less.setAccessibleName(_("Shorter"))
        self.idle_more.setAccessibleName(_("Longer"))
        path = self.current().path
        self.keyboard_note.setText(
            _(
                "Latin letters and digits only. A Chinese name is set as branch.name in "
                "the settings file {path} on the kiosk's computer (usually at installation)."
            ).format(path=path or "settings.toml")
        )
        self.save_button.setText(_("Save the settings"))
        self._fit_menu()


def _ignore(_value: object) -> None:
    pass


__all__ = ["AdminPanel"]
