"""The staff panel's printer section: the printer's state and fault in words, its raw
reasons for a technician, its supplies, its stuck jobs; resume a stopped queue, cancel
the stuck jobs, print a test page (issue 14 point 4). What the buttons do is in
kiosk.ui.staff_operations; everything that asks the spooler runs on the devices worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.admin_section import Section, StaffContext
from kiosk.ui.staff_operations import (
    PrinterView,
    StaffOutcome,
    cancel_stuck,
    fault_words,
    job_words,
    look_at_printer,
    print_test_page,
    resume,
    state_words,
    supply_words,
    technical_words,
)
from kiosk.ui.widgets import Label, button, label


class Note(Label):
    """A line that takes no room while it has nothing to say (the page must fit)."""

    def __init__(self, role: str, name: str) -> None:
        super().__init__()
        self.setProperty("role", role)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))


class ButtonRow(QWidget):
    """Buttons side by side, in as many columns as fit (all of them on a wide screen; two,
    then one, on a narrow portrait screen or in English in large text)."""

    def __init__(self, *buttons: QPushButton) -> None:
        super().__init__()
        self.buttons = buttons
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.columns = 0
        self._place(len(buttons))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Never wider than its widest button: it takes fewer columns instead.
        hint = super().minimumSizeHint()
        return QSize(max(b.minimumSizeHint().width() for b in self.buttons), hint.height())

    def _fitting(self) -> int:
        """The most columns whose buttons fit side by side in the row's width."""
        spacing = self.grid.horizontalSpacing()
        widest = max(b.sizeHint().width() for b in self.buttons)
        for columns in range(len(self.buttons), 1, -1):
            if columns * widest + (columns - 1) * spacing <= self.width():
                return columns
        return 1

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for widget in self.buttons:
            self.grid.removeWidget(widget)
        for at, widget in enumerate(self.buttons):
            self.grid.addWidget(widget, at // columns, at % columns)
        for column in range(len(self.buttons)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place(self._fitting())


class PrinterSection(Section):
    """The printer in use as staff need to see it, and what they can do about it."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__(staff)
        self.view: PrinterView | None = None
        self.last: StaffOutcome | None = None
        self.busy = False
        self.printer_status = label("", "level", "admin.printer.status")
        self.printer_fault = Note("warning", "admin.printer.fault")
        self.printer_reasons = label("", "small", "admin.printer.reasons")
        self.supplies = Note("help", "admin.printer.supplies")
        self.jobs = Note("help", "admin.printer.jobs")
        self.resume_button = button("admin.printer.resume", "primary")
        self.cancel_button = button("admin.printer.cancel_jobs")
        self.test_button = button("admin.test_print")
        self.resume_button.clicked.connect(self._resume)
        self.cancel_button.clicked.connect(self._cancel_jobs)
        self.test_button.clicked.connect(self._test_print)
        self.action_row = ButtonRow(self.resume_button, self.cancel_button, self.test_button)
        self.printer_result = label("", "help", "admin.printer.result")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(11, 0, 11, 0)  # (the page must fit: no scrolling)
        for widget in (
            self.printer_status,
            self.printer_fault,
            self.printer_reasons,
            self.supplies,
            self.jobs,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.action_row)
        layout.addWidget(self.printer_result)
        layout.addStretch(1)
        self._enable()

    # ------------------------------------------------------------------ the printer

    def refresh(self) -> None:
        wanted = self.current().printing.printer
        self._run(
            self.tasks.devices,
            lambda: look_at_printer(wanted),
            self._show_printer,
            lambda error: self.printer_status.setText(self._failed_words(error)),
        )

    def _show_printer(self, view: PrinterView) -> None:
        self.view = view
        self._show_texts()
        self._enable()

    def _show_texts(self) -> None:
        _ = self.lang.gettext
        view = self.view
        if view is not None:
            self.printer_status.setText(state_words(view, _))
            self.printer_fault.setText(fault_words(view, _))
            self.printer_reasons.setText(technical_words(view, _))
            self.supplies.setText(supply_words(view.status.markers, _))
            self.jobs.setText(job_words(view, _))
        if self.last is not None:
            self.printer_result.setText(self.last.message(self.lang))

    def _enable(self) -> None:
        view = self.view
        idle = not self.busy
        self.resume_button.setEnabled(idle and view is not None and view.can_resume)
        self.cancel_button.setEnabled(idle and view is not None and bool(view.jobs))
        self.test_button.setEnabled(idle)

    # ------------------------------------------------------------------ actions

    def _resume(self) -> None:
        view = self.view
        if view is not None:
            self._act("printer_resume", lambda: resume(view), self.lang.gettext("Resuming…"))

    def _cancel_jobs(self) -> None:
        view = self.view
        if view is not None:
            self._act(
                "printer_cancel_jobs", lambda: cancel_stuck(view), self.lang.gettext("Cancelling…")
            )

    def _test_print(self) -> None:
        settings, questionnaire = self.current(), self.questionnaire
        self._act(
            "test_print",
            lambda: print_test_page(settings, questionnaire),
            self.lang.gettext("Printing…"),
        )

    def _act(self, action: str, work: Callable[[], StaffOutcome], doing: str) -> None:
        """Run one staff operation on the devices worker; show and log its outcome, then
        look at the printer again."""
        self.busy = True
        self._enable()
        self.last = None
        self.printer_result.setText(doing)

        def done(outcome: StaffOutcome) -> None:
            self.busy = False
            self.last = outcome
            self._log(action, outcome.log)
            self._show_texts()
            self._enable()
            self.refresh()

        def failed(error: BaseException) -> None:
            self.busy = False
            self._log(action, f"failed: {error}")
            self.printer_result.setText(self._failed_words(error))
            self._enable()
            self.refresh()

        self._run(self.tasks.devices, work, done, failed)

    def _failed_words(self, error: BaseException) -> str:
        """A staff operation that broke (not a printer's answer: a bug, a missing file)."""
        return self.lang.gettext("Could not be done: {error}").format(error=error)

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.resume_button.setText(_("Resume printer"))
        self.cancel_button.setText(_("Cancel stuck jobs"))
        self.test_button.setText(_("Print a test page"))
        self._show_texts()
