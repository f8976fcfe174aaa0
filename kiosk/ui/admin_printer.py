"""The staff panel's printer section: the printer's state and a test page."""

from __future__ import annotations

from kiosk.printing import print_pdf, queue_state, resolve_printer
from kiosk.ui.admin_section import Section, StaffContext, column
from kiosk.ui.widgets import button, label


class PrinterSection(Section):
    """The printer in use, its queue's state, and a test page to print."""

    def __init__(self, staff: StaffContext) -> None:
        super().__init__(staff)
        self.printer_status = label("", "level", "admin.printer.status")
        self.test_button = button("admin.test_print", "primary")
        self.test_button.clicked.connect(self._test_print)
        self.printer_result = label("", "help", "admin.printer.result")
        column(self, self.printer_status, self.test_button, self.printer_result)

    def refresh(self) -> None:
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
        self.refresh()

    def retranslate(self) -> None:
        _ = self.lang.gettext
        self.test_button.setText(_("Print a test page"))
