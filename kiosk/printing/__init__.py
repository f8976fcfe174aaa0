"""Printing a sheet and knowing what the printer did (SPEC §19); export lives in the UI.

Two backends behind one interface (`PrintBackend`), picked by `pick_backend()`:

- **ipp** (kiosk.printing.ipp, every system with CUPS): the sheet's own PDF bytes go to
  CUPS in IPP (pycups) as one job — media iso_a4_210x297mm, one-sided, job-name the sheet
  number, application/pdf, never rasterised — and that job is followed *by its id* until
  CUPS reports it completed. Canceled, aborted, a printer fault, a stopped queue or the
  timeout is "not printed"; a job not completed in time is cancelled.
- **qt** (kiosk.printing.qtpdf, Windows): QtPdf renders each page onto a QPrinter; the
  job is handed to the system spooler and not followed. KIOSK_PRINT_BACKEND=qt|ipp
  overrides the choice (tests, diagnosis).

For the screens (call everything here from a worker thread: each call may wait for the
spooler or the printer; none touches a widget or raises, except the staff operations,
which raise PrintingError):

    outcome = print_pdf(pdf, printer, job_name=sheet_number, timeout_s=60)
        → PrintOutcome: ok only when the job completed. Otherwise `reason` is one of
          REASONS (media_empty, media_jam, door_open, toner_empty, offline, canceled,
          aborted, queue_stopped, queue_rejecting, no_printer, no_cups, timeout, failed):
          one calm sentence each for the client; `detail` (the spooler's and the
          printer's words) and `printer_reasons` (raw printer-state-reasons) for staff
          and the log; `job_id` is the spooler's id. A staff print at the same time is
          another job id and never decides this outcome.
        The client's print checks the printer first (check_first=True) and sends nothing
        when it cannot print. Staff prints (test page after refilling paper, reprint)
        pass check_first=False, since CUPS keeps a driverless printer's old reasons
        until its next job.
    status = printer_status(printer)
        → PrinterStatus: "can it print now?" (`can_print`, `reason` as above, `fault`
          the printer's own trouble even on a stopped queue), `state`, `accepting`,
          raw `reasons`, `message`, supplies `markers` (Marker: name, level 0–100 or
          negative = unknown, kind, color, is_low), `detail`. Ask it in the background
          when the visit reaches review, so the result screen knows before it offers
          printing; it may take up to ~2 s when a network printer does not answer.
    Staff panel: printer_status(printer) for state, reasons in words and supplies;
        resume_printer(printer) (cupsenable + cupsaccept; needs a CUPS administrator:
        root or group lpadmin) → PrinterStatus; list_jobs(printer) → [Job] (id, name =
        sheet number, state, reasons, message, user, size_kb, created);
        cancel_jobs(printer, job_ids=None) (None = every job not completed) → ids.
    printer_names(), resolve_printer(name), queue_state(name): as before (queue_state is
        CUPS's view only: '', QUEUE_STOPPED or QUEUE_REJECTING; fast, no device asked).

`printer` '' means the system default printer everywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Protocol

from kiosk.printing.model import (
    ABORTED,
    CANCELED,
    DOOR_OPEN,
    FAILED,
    FAULTS,
    MEDIA_EMPTY,
    MEDIA_JAM,
    NO_CUPS,
    NO_PRINTER,
    OFFLINE,
    QUEUE_REJECTING,
    QUEUE_STOPPED,
    REASONS,
    TIMEOUT,
    TONER_EMPTY,
    Job,
    Marker,
    PrinterStatus,
    PrintingError,
    PrintOutcome,
)


class PrintBackend(Protocol):
    """What both backends offer (kiosk.printing.ipp.IppBackend, kiosk.printing.qtpdf.QtBackend)."""

    name: str

    def printers(self) -> list[str]: ...
    def default_printer(self) -> str: ...
    def resolve(self, name: str) -> str: ...
    def status(self, printer: str = "", *, device: bool = True) -> PrinterStatus: ...
    def print_pdf(
        self,
        pdf: bytes,
        printer: str = "",
        job_name: str = "",
        timeout_s: float = 60.0,
        *,
        check_first: bool = True,
    ) -> PrintOutcome: ...
    def job(self, job_id: int) -> Job: ...
    def jobs(self, printer: str = "", which: str = "not-completed") -> list[Job]: ...
    def cancel_jobs(self, printer: str = "", job_ids: Iterable[int] | None = None) -> list[int]: ...
    def resume(self, printer: str = "") -> PrinterStatus: ...


def pick_backend(server: str | None = None) -> PrintBackend:
    """IPP through CUPS wherever CUPS can exist; QtPdf → QPrinter on Windows.
    server: a CUPS server for the IPP backend (None = $CUPS_SERVER or libcups's default)."""
    choice = os.environ.get("KIOSK_PRINT_BACKEND", "")
    if choice == "qt" or (choice != "ipp" and sys.platform == "win32"):
        from kiosk.printing.qtpdf import QtBackend  # noqa: PLC0415 - Qt only when chosen

        return QtBackend()
    from kiosk.printing.ipp import IppBackend  # noqa: PLC0415

    return IppBackend(server)


def print_pdf(
    pdf: bytes,
    printer_name: str = "",
    job_name: str = "",
    timeout_s: float = 60.0,
    *,
    check_first: bool = True,
) -> PrintOutcome:
    """Print the PDF on the queue (''= default) and wait until the spooler says what became
    of it (at most timeout_s; a job not completed by then is cancelled)."""
    return pick_backend().print_pdf(pdf, printer_name, job_name, timeout_s, check_first=check_first)


def printer_status(printer: str = "") -> PrinterStatus:
    """Can the printer print now, and its state, reasons and supplies."""
    return pick_backend().status(printer)


def resume_printer(printer: str = "") -> PrinterStatus:
    """Staff: start a stopped queue and make it accept jobs. Raises PrintingError."""
    return pick_backend().resume(printer)


def list_jobs(printer: str = "", which: str = "not-completed") -> list[Job]:
    """Staff: the queue's jobs, newest first. Raises PrintingError."""
    return pick_backend().jobs(printer, which)


def cancel_jobs(printer: str = "", job_ids: Iterable[int] | None = None) -> list[int]:
    """Staff: cancel these jobs, or all the queue's jobs not completed. Raises PrintingError."""
    return pick_backend().cancel_jobs(printer, job_ids)


def printer_names() -> list[str]:
    return pick_backend().printers()


def resolve_printer(name: str) -> str:
    """The queue to use: the named one, or the system default; '' when there is none."""
    return pick_backend().resolve(name)


def queue_state(name: str) -> str:
    """QUEUE_STOPPED, QUEUE_REJECTING, or '' (printing or unknown): the spooler's view."""
    status = pick_backend().status(name, device=False)
    if status.state == "stopped":
        return QUEUE_STOPPED
    if status.state != "unknown" and not status.accepting:
        return QUEUE_REJECTING
    return ""


__all__ = [
    "ABORTED",
    "CANCELED",
    "DOOR_OPEN",
    "FAILED",
    "FAULTS",
    "MEDIA_EMPTY",
    "MEDIA_JAM",
    "NO_CUPS",
    "NO_PRINTER",
    "OFFLINE",
    "QUEUE_REJECTING",
    "QUEUE_STOPPED",
    "REASONS",
    "TIMEOUT",
    "TONER_EMPTY",
    "Job",
    "Marker",
    "PrintBackend",
    "PrintOutcome",
    "PrinterStatus",
    "PrintingError",
    "cancel_jobs",
    "list_jobs",
    "pick_backend",
    "print_pdf",
    "printer_names",
    "printer_status",
    "queue_state",
    "resolve_printer",
    "resume_printer",
]
