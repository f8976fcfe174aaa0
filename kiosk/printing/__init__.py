"""Printing through the system spooler (QtPrintSupport + QtPdf) and export to drives."""

from kiosk.printing.printer import (
    FAILED,
    NO_PRINTER,
    QUEUE_REJECTING,
    QUEUE_STOPPED,
    TIMEOUT,
    PrintOutcome,
    print_pdf,
    printer_names,
    queue_state,
    resolve_printer,
)

__all__ = [
    "FAILED",
    "NO_PRINTER",
    "QUEUE_REJECTING",
    "QUEUE_STOPPED",
    "TIMEOUT",
    "PrintOutcome",
    "print_pdf",
    "printer_names",
    "queue_state",
    "resolve_printer",
]
