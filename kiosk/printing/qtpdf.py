"""Printing where there is no CUPS (Windows): QtPdf renders each page at 300 dpi onto a
QPrinter, and the system spooler takes it from there.

Nothing follows the job here: Qt hands it to the spooler and cannot tell what the printer
did, so an outcome is "printed" once the spooler accepted every page (backend 'qt', no job
id). Where CUPS exists, kiosk.printing.ipp is used instead (vector PDF, job followed).

Runs in a worker thread (kiosk.ui.tasks): it never touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.printing.model import (
    FAILED,
    NO_PRINTER,
    Job,
    PrinterStatus,
    PrintingError,
    PrintOutcome,
)

DPI = 300
_NOT_HERE = "not possible without CUPS: use the printer's own panel or the system's print queue"


class QtBackend:
    name = "qt"

    def printers(self) -> list[str]:
        return [info.printerName() for info in QPrinterInfo.availablePrinters()]

    def default_printer(self) -> str:
        default = QPrinterInfo.defaultPrinter()
        return "" if default.isNull() else default.printerName()

    def resolve(self, name: str) -> str:
        if name:
            return name if not QPrinterInfo.printerInfo(name).isNull() else ""
        return self.default_printer()

    def status(self, printer: str = "", *, device: bool = True) -> PrinterStatus:
        del device
        name = self.resolve(printer)
        if not name:
            wanted = printer or "the system default printer"
            return PrinterStatus(printer, NO_PRINTER, detail=f"{wanted} is not available")
        state = QPrinterInfo.printerInfo(name).state()
        words = {
            QPrinter.PrinterState.Idle: "idle",
            QPrinter.PrinterState.Active: "processing",
            QPrinter.PrinterState.Aborted: "stopped",
            QPrinter.PrinterState.Error: "error",
        }.get(state, "unknown")
        reason = FAILED if words in ("stopped", "error") else ""
        return PrinterStatus(
            name,
            reason,
            fault=reason,
            state=words,
            accepting=True,
            detail=f"{name}: {words} (as Qt's print support reports it; no reasons)",
        )

    def print_pdf(
        self,
        pdf: bytes,
        printer: str = "",
        job_name: str = "",
        timeout_s: float = 60.0,
        *,
        check_first: bool = True,
    ) -> PrintOutcome:
        """Render and hand over; timeout_s is unused (nothing to follow)."""
        del timeout_s, check_first
        name = self.resolve(printer)
        if not name:
            wanted = printer or "the system default printer"
            return PrintOutcome(
                False, printer, NO_PRINTER, f"{wanted} is not available", backend="qt"
            )
        problem = render_to_printer(pdf, name, job_name or "kiosk")
        if problem:
            return PrintOutcome(False, name, FAILED, problem, backend="qt")
        return PrintOutcome(True, name, detail="handed to the system spooler", backend="qt")

    def job(self, job_id: int) -> Job:
        raise PrintingError(FAILED, f"job {job_id}: {_NOT_HERE}")

    def jobs(self, printer: str = "", which: str = "not-completed") -> list[Job]:
        del printer, which
        return []

    def cancel_jobs(self, printer: str = "", job_ids: Iterable[int] | None = None) -> list[int]:
        del printer, job_ids
        raise PrintingError(FAILED, f"cancelling jobs: {_NOT_HERE}")

    def resume(self, printer: str = "") -> PrinterStatus:
        raise PrintingError(FAILED, f"resuming {printer or 'the printer'}: {_NOT_HERE}")


_local = threading.local()


def _document() -> QPdfDocument:
    """One QPdfDocument per thread, loaded again for each sheet: a new document per job
    kept about 0.2 MB each (measured in benchmarks/soak.py --print), a reused one does not."""
    document: QPdfDocument | None = getattr(_local, "document", None)
    if document is None:
        document = QPdfDocument()
        _local.document = document
    return document


def render_to_printer(pdf: bytes, printer_name: str, doc_name: str) -> str:
    """Draw each page at 300 dpi onto the printer; returns '' or what went wrong."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = _document()
    document.load(buffer)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            return f"the sheet's PDF could not be read ({document.error().name})"
        return _draw(document, printer_name, doc_name)
    finally:
        document.close()
        buffer.close()


def _draw(document: QPdfDocument, printer_name: str, doc_name: str) -> str:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    if printer.printerName() != printer_name:  # Qt falls back to another queue silently
        return f"printer {printer_name} could not be selected"
    printer.setDocName(doc_name)
    printer.setResolution(DPI)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            printer.pageLayout().margins(),
        )
    )
    if not printer.isValid():
        return f"printer {printer_name} is not valid"
    painter = QPainter()
    if not painter.begin(printer):
        return f"printer {printer_name} refused the job"
    try:
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * DPI / 72), round(points.height() * DPI / 72))
            image = document.render(page, size)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return ""
