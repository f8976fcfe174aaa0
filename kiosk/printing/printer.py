"""Printing a sheet through Qt (QtPdf renders each page onto a QPrinter), and following
the job in the CUPS spooler until it is done.

Runs in a worker thread (kiosk.ui.tasks): it never touches a widget. Every failure comes
back as a PrintOutcome with a reason the screen can explain calmly and a detail for staff.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

log = logging.getLogger("kiosk.printing")

DPI = 300
NO_PRINTER = "no_printer"
QUEUE_STOPPED = "queue_stopped"
QUEUE_REJECTING = "queue_rejecting"
TIMEOUT = "timeout"
FAILED = "failed"


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    printer: str
    reason: str = ""
    """'' when printed, else one of NO_PRINTER, QUEUE_STOPPED, QUEUE_REJECTING, TIMEOUT, FAILED."""
    detail: str = ""
    job: str = ""


def printer_names() -> list[str]:
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def resolve_printer(name: str) -> str:
    """The queue to use: the named one, or the system default; '' when there is none."""
    if name:
        return name if not QPrinterInfo.printerInfo(name).isNull() else ""
    default = QPrinterInfo.defaultPrinter()
    return "" if default.isNull() else default.printerName()


def print_pdf(
    pdf: bytes,
    printer_name: str,
    doc_name: str,
    timeout_s: float,
    sleep: Callable[[float], None] = time.sleep,
) -> PrintOutcome:
    """Print every page of `pdf` on the queue and wait (up to `timeout_s`) until it is done."""
    name = resolve_printer(printer_name)
    if not name:
        wanted = printer_name or "the system default printer"
        return PrintOutcome(False, printer_name, NO_PRINTER, f"{wanted} is not available")
    state = queue_state(name)
    if state in (QUEUE_STOPPED, QUEUE_REJECTING):
        return PrintOutcome(False, name, state, f"queue {name}: {state.replace('_', ' ')}")
    before = cups_jobs(name)
    problem = render_to_printer(pdf, name, doc_name)
    if problem:
        return PrintOutcome(False, name, FAILED, problem)
    if before is None:  # no CUPS command line: Qt has handed the job over; trust it
        return PrintOutcome(True, name)
    return follow_job(name, before, timeout_s, sleep)


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


# ---------------------------------------------------------------------- CUPS


def _lpstat(*args: str) -> str | None:
    """lpstat's output, or None where CUPS's command line is missing or fails."""
    if shutil.which("lpstat") is None:
        return None
    try:
        done = subprocess.run(
            ["lpstat", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "LC_ALL": "C"},  # CUPS translates its messages otherwise
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def queue_state(name: str) -> str:
    """QUEUE_STOPPED, QUEUE_REJECTING, or '' (printing or unknown)."""
    printers = _lpstat("-p", name)
    if printers is not None and " disabled " in f" {printers} ":
        return QUEUE_STOPPED
    accepting = _lpstat("-a", name)
    if accepting is not None and "not accepting" in accepting:
        return QUEUE_REJECTING
    return ""


def cups_jobs(name: str) -> dict[str, str] | None:
    """{job id: 'pending' | 'completed'} for the queue, or None without CUPS's lpstat."""
    pending = _lpstat("-W", "not-completed", "-o", name)
    completed = _lpstat("-W", "completed", "-o", name)
    if pending is None or completed is None:
        return None
    jobs = {line.split()[0]: "completed" for line in completed.splitlines() if line.strip()}
    jobs |= {line.split()[0]: "pending" for line in pending.splitlines() if line.strip()}
    return jobs


def follow_job(
    name: str, before: dict[str, str], timeout_s: float, sleep: Callable[[float], None]
) -> PrintOutcome:
    """Wait for the job this print added to the queue to be completed."""
    deadline = time.monotonic() + timeout_s
    job = ""
    while True:
        now = cups_jobs(name) or {}
        new = [job_id for job_id in now if job_id not in before]
        if new:
            job = new[-1]
            if now[job] == "completed":
                return PrintOutcome(True, name, job=job)
        state = queue_state(name)
        if state == QUEUE_STOPPED:
            cancel_job(job)
            return PrintOutcome(False, name, QUEUE_STOPPED, f"queue {name} stopped", job)
        if time.monotonic() > deadline:
            cancel_job(job)
            detail = f"job {job or '(not seen)'} not done within {timeout_s:.0f} s; cancelled"
            return PrintOutcome(False, name, TIMEOUT, detail, job)
        sleep(0.25)


def cancel_job(job: str) -> None:
    """Withdraw a job the client was told did not print, so a staff reprint is the only copy."""
    if not job or shutil.which("cancel") is None:
        return
    try:
        subprocess.run(["cancel", job], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        log.warning("could not cancel print job %s", job)
