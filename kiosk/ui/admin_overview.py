"""The staff panel's overview: the day's, week's and month's visits, clients by level as a
bar chart, the allocations given, and what staff should know about the session log (a
purge refused for the clock, a log file replaced while the kiosk ran)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.palette import BAND_FILLS, INK
from kiosk.storage.retention import PurgeResult, last_purge, purge_old_records
from kiosk.storage.sessions import Stats
from kiosk.storage.sync_queue import SyncState
from kiosk.ui.admin_section import Section, StaffContext, set_texts
from kiosk.ui.widgets import button, label

COUNTS = ("visits", "completed", "printed", "exported", "print_failed", "abandoned", "declined")


class LevelChart(QWidget):
    """How many clients reached each capacity and attitude level (two bars a level)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("admin.chart")
        self.setMinimumHeight(140)  # taller where there is room (the section never scrolls)
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


class OverviewSection(Section):
    """The visits in numbers, the level chart and the session log's notices."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__(staff)
        layout = QVBoxLayout(self)
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
        self.sync_line = label("", "help", "admin.sync")  # the fleet database (SPEC §18)
        self.sync_line.hide()
        layout.addWidget(self.sync_line)
        self.sync_state: SyncState | None = None
        self.stats: dict[str, Stats] | None = None
        """The last counts shown, worded again when staff switch the language."""
        layout.addStretch(1)

    def refresh(self) -> None:
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
        if self.current().sync.url:
            self._run(self.tasks.log, sessions.sync_state, self._show_sync, self._sync_failed)

    def _show_sync(self, state: SyncState | None) -> None:
        self.sync_state = state
        if state is None:
            return
        _ = self.lang.gettext
        last = f"{state.last_success:%Y-%m-%d %H:%M}" if state.last_success else _("never")
        line = _("Fleet database: last sync {last}; {waiting} records waiting").format(
            last=last, waiting=state.waiting
        )
        if state.error:
            line += " · " + _("the last try failed: {reason}").format(reason=state.error)
        self.sync_line.setText(line)
        self.sync_line.show()

    def _sync_failed(self, error: BaseException) -> None:
        self.sync_line.setText(str(error))
        self.sync_line.show()

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
            self.refresh()

        self._run(
            self.tasks.log,
            lambda: purge_old_records(
                sessions,
                settings.data_path,
                settings.storage.retention_days,
                now,
                confirmed=True,
                keep_unsynced=bool(settings.sync.url),
            ),
            done,
            self._task_failed(self.storage_notice, self.clock_button),
        )

    def _show_counts(self, stats: dict[str, Stats]) -> None:
        self.stats = stats
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

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.counts_title.setText(_("Visits") + f" · kiosk {__version__}")
        self._show_storage()
        self._show_sync(self.sync_state)
        if self.stats is not None:
            self._show_counts(self.stats)
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
