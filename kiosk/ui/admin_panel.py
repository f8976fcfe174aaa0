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
from PySide6.QtCore import QRectF, Qt, Signal, qVersion
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.diagnostics import write_diagnostics
from kiosk.engine import Questionnaire
from kiosk.i18n import language_names
from kiosk.palette import BAND_FILLS, INK
from kiosk.printing import print_pdf, printer_names, queue_state, resolve_printer
from kiosk.settings import Settings
from kiosk.storage.outbox import Outbox
from kiosk.storage.retention import PurgeResult, last_purge, purge_old_records
from kiosk.storage.sessions import SessionLog, Stats
from kiosk.ui.page import Page
from kiosk.ui.pages import touch_scroll
from kiosk.ui.sheets import removable_drives
from kiosk.ui.tasks import Done, Failed, Tasks
from kiosk.ui.texts import Language
from kiosk.ui.widgets import button, label, set_state

log = logging.getLogger("kiosk.ui")

SECTIONS = ("overview", "printer", "reprint", "export", "settings")
COUNTS = ("visits", "completed", "printed", "exported", "print_failed", "abandoned", "declined")


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
        self.notice = label("", "warning", "admin.notice")
        menu.addWidget(self.notice)
        self.menu: dict[str, QPushButton] = {}
        for section in SECTIONS:
            choice = button(f"admin.section.{section}", "quiet")
            choice.clicked.connect(lambda _=False, s=section: self.show_section(s))
            self.menu[section] = choice
            menu.addWidget(choice)
        menu.addStretch(1)
        self.pin_button = button("admin.change_pin", "quiet")
        self.pin_button.clicked.connect(self.change_pin.emit)
        self.back_button = button("admin.back", "primary")
        self.exit_button = button("admin.exit")
        self.back_button.clicked.connect(self.back.emit)
        self.exit_button.clicked.connect(self.exit_requested.emit)
        for widget in (self.pin_button, self.back_button, self.exit_button):
            menu.addWidget(widget)
        outer.addWidget(touch_scroll(menu_box), 1)
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
        self.reprint_button = button("admin.reprint", "primary")
        self.reprint_button.clicked.connect(self._reprint_selected)
        self.reprint_result = label("", "help", "admin.reprint.result")
        return column(self.reprint_help, self.sheet_list, self.reprint_button, self.reprint_result)

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
        box = QWidget()
        form = QGridLayout(box)
        self.field_names: dict[str, QLabel] = {}
        self.branch_name = QLineEdit()
        self.branch_name.setObjectName("admin.settings.branch_name")
        self.printer = QComboBox()
        self.printer.setObjectName("admin.settings.printer")
        self.idle = QSpinBox()
        self.idle.setObjectName("admin.settings.idle_timeout")
        self.idle.setRange(1, 9999)  # the settings check says what is accepted
        self.language = QComboBox()
        self.language.setObjectName("admin.settings.language")
        for lang, name in language_names().items():
            self.language.addItem(name, lang)
        for row, (key, widget) in enumerate(
            (
                ("branch", self.branch_name),
                ("printer", self.printer),
                ("idle", self.idle),
                ("language", self.language),
            )
        ):
            self.field_names[key] = label("", "help")
            form.addWidget(self.field_names[key], row, 0)
            form.addWidget(widget, row, 1)
        self.save_button = button("admin.settings.save", "primary")
        self.save_button.clicked.connect(self._save_settings)
        self.settings_message = label("", "help", "admin.settings.message")
        form.addWidget(self.save_button, 4, 1)
        form.addWidget(self.settings_message, 5, 0, 1, 2)
        form.setRowStretch(6, 1)
        return box

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

    def _run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        """tasks.run, but a result that comes back after the panel was deleted (its window
        closed while the work ran) is dropped instead of touching deleted widgets."""

        def alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                if shiboken6.isValid(self):
                    callback(value)
                else:
                    log.debug("a staff-panel result arrived after the panel was gone")

            return deliver

        self.tasks.run(work, alive(on_done), alive(on_error))

    def _log(self, action: str, detail: str) -> None:
        at = datetime.now()
        self._run(lambda: self.sessions.log_admin(action, detail, at), _ignore, _ignore)

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
        self._run(
            lambda: (resolve_printer(wanted), wanted),
            self._show_printer,
            lambda error: self.printer_status.setText(str(error)),
        )

    def _show_printer(self, found: tuple[str, str]) -> None:
        _ = self.lang.gettext
        name, wanted = found
        if not name:
            self.printer_status.setText(
                _("No printer: {name} is not available.").format(
                    name=wanted or _("the system default printer")
                )
            )
            return
        state = queue_state(name)
        words = {
            "queue_stopped": _("stopped"),
            "queue_rejecting": _("not accepting jobs"),
        }.get(state, _("ready"))
        self.printer_status.setText(_("Printer {name}: {state}").format(name=name, state=words))

    def _test_print(self) -> None:
        from kiosk.ui.sheets import test_page  # noqa: PLC0415

        printer = self.current().printing.printer
        self.printer_result.setText(self.lang.gettext("Printing…"))
        self.test_button.setEnabled(False)
        self._run(
            lambda: print_pdf(
                test_page(self.questionnaire, self.current()), printer, "kiosk-test-page", 60
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

        def work() -> object:
            pdf = Outbox(settings.data_path).load(number)
            outcome = print_pdf(pdf, settings.printing.printer, f"sheet-{number}", 60)
            self.sessions.record_print(
                number, outcome.printer, outcome.reason or "reprinted", datetime.now()
            )
            return outcome

        def done(outcome: object) -> None:
            self.reprint_button.setEnabled(True)
            self.reprint_result.setText(f"{number}: {self._outcome_text(outcome)}")
            self._log("reprint", f"{number}: {self._outcome_text(outcome)}")

        self._run(work, done, self._task_failed(self.reprint_result, self.reprint_button))

    def _export_csv(self) -> None:
        data_path = self.current().data_path
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.export_button.setEnabled(False)

        def work() -> tuple[Path, int]:
            folders = [*removable_drives(), data_path / "exports"]
            last: OSError | None = None
            for folder in folders:
                target = folder / f"kiosk-sessions-{stamp}.csv"
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    return target, self.sessions.export_csv(target)
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

        self._run(work, done, self._task_failed(self.export_result, self.export_button))

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

        self._run(work, done, self._task_failed(self.diagnostics_result, self.diagnostics_button))

    def _fill_settings(self) -> None:
        settings = self.current()
        self.branch_name.setText(settings.branch.name)
        self.printer.clear()
        self.printer.addItem(self.lang.gettext("System default printer"), "")
        for name in printer_names():
            self.printer.addItem(name, name)
        if settings.printing.printer and self.printer.findData(settings.printing.printer) < 0:
            self.printer.addItem(settings.printing.printer, settings.printing.printer)
        self.printer.setCurrentIndex(self.printer.findData(settings.printing.printer))
        self.idle.setValue(settings.kiosk.idle_timeout_s)
        self.language.setCurrentIndex(self.language.findData(settings.kiosk.language))

    def _save_settings(self) -> None:
        changes: dict[str, dict[str, object]] = {
            "branch": {"name": self.branch_name.text()},
            "printing": {"printer": self.printer.currentData() or ""},
            "kiosk": {"idle_timeout_s": self.idle.value(), "language": self.language.currentData()},
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
        }
        set_texts(self.field_names, fields)
        self.save_button.setText(_("Save the settings"))


def _ignore(_value: object) -> None:
    pass


__all__ = ["AdminPanel"]
