"""The staff panel's reprint section: the sheets in the outbox, newest first, to print again."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QScroller,
    QVBoxLayout,
)

from kiosk.printing import PrintOutcome
from kiosk.storage.outbox import Outbox
from kiosk.ui.admin_section import Section, StaffContext
from kiosk.ui.staff_operations import StaffOutcome, reprint_sheet
from kiosk.ui.widgets import button, label


class ReprintSection(Section):
    """The outbox's sheets as a list a finger scrolls; the chosen one is printed again."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__(staff)
        self.last: StaffOutcome | None = None
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.reprint_help)
        layout.addWidget(self.sheet_list, 1)  # the list takes the room there is
        layout.addWidget(self.reprint_button)
        layout.addWidget(self.reprint_result)

    def refresh(self) -> None:
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
        settings, questionnaire = self.current(), self.questionnaire
        self.reprint_button.setEnabled(False)
        self.last = None
        self.reprint_result.setText(self.lang.gettext("Printing…"))

        def done(result: tuple[StaffOutcome, PrintOutcome | None]) -> None:
            staff, outcome = result
            if outcome is not None:
                at, sessions = datetime.now(), self.sessions
                printer, said = outcome.printer, outcome.reason or "reprinted"
                self.tasks.log.write(lambda: sessions.record_print(number, printer, said, at))
            self.reprint_button.setEnabled(True)
            self.last = staff
            self.reprint_result.setText(staff.message(self.lang))
            self._log("reprint", staff.log)

        self._run(
            self.tasks.devices,
            lambda: reprint_sheet(settings, questionnaire, number),
            done,
            self._task_failed(self.reprint_result, self.reprint_button),
        )

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.reprint_help.setText(
            _("Sheets in the outbox, newest first. Choose one to print again.")
        )
        self.reprint_button.setText(_("Print the chosen sheet"))
        if self.last is not None:
            self.reprint_result.setText(self.last.message(self.lang))
