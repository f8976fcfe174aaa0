"""Printing through CUPS in IPP (pycups, OpenPrinting's libcups bindings).

A sheet is sent as its own PDF bytes (vector, never rasterised) in one job with IPP's
standard attributes: media iso_a4_210x297mm, sides one-sided, job-name (the sheet
number), document-format application/pdf. The job id CUPS returns is followed by id until
the job is completed (printed), canceled or aborted (not printed), or the time is up (the
job is cancelled: not printed). Meanwhile the printer is watched: the queue's state and
reasons from CUPS, and for an ipp:// or ipps:// queue the device's own (kiosk.printing.device),
since CUPS only learns them while a job runs and keeps old ones after it.

Runs in a worker thread (never touches a widget; one pycups connection per call). No Qt.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from kiosk.printing import device as ipp_device
from kiosk.printing.attributes import first, job_from, job_words, judge, lists
from kiosk.printing.model import (
    ABORTED,
    CANCELED,
    FAILED,
    FAULTS,
    JOB_STATES,
    NO_CUPS,
    NO_PRINTER,
    OFFLINE,
    QUEUE_REJECTING,
    QUEUE_STOPPED,
    TIMEOUT,
    Job,
    Marker,
    PrinterStatus,
    PrintingError,
    PrintOutcome,
)

try:
    import cups  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Windows, or a machine where pycups could not be built
    cups = None


class _NeverError(Exception):
    """Stands for pycups's exceptions where pycups is missing (then nothing raises them)."""


IPPError: type[Exception] = cups.IPPError if cups is not None else _NeverError
HTTPError: type[Exception] = cups.HTTPError if cups is not None else _NeverError

log = logging.getLogger("kiosk.printing")

MEDIA = "iso_a4_210x297mm"
"""IPP's keyword for A4 (a driverless printer cancels a job with media=A4)."""
CHUNK = 64 * 1024
_PRINTER_ATTRIBUTES = [
    "printer-name",
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "device-uri",
    "marker-names",
    "marker-levels",
    "marker-types",
    "marker-colors",
    "marker-low-levels",
]
_JOB_ATTRIBUTES = [
    "job-id",
    "job-name",
    "job-state",
    "job-state-reasons",
    "job-printer-state-message",
    "job-printer-uri",
    "job-originating-user-name",
    "job-k-octets",
    "time-at-creation",
]


def available() -> bool:
    """Whether libcups's bindings are installed (not whether a CUPS answers)."""
    return cups is not None


class _NoCupsError(Exception):
    """No spooler to talk to (pycups missing, or nothing answers at the server)."""


def _no_password(*_args: object) -> None:
    """Never ask for a password (libcups would prompt on the terminal): refuse instead."""
    return


class IppBackend:
    """The CUPS backend. `server`: a CUPS server ('host', 'host:port' or a socket path);
    None = $CUPS_SERVER, else libcups's default (client.conf, then the local socket)."""

    name = "ipp"

    def __init__(
        self,
        server: str | None = None,
        *,
        poll_s: float = 0.1,
        status_every_s: float = 0.5,
        fault_grace_s: float = 2.0,
        device_timeout_s: float = ipp_device.TIMEOUT_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.server = server
        self.poll_s = poll_s
        self.status_every_s = status_every_s
        self.fault_grace_s = fault_grace_s
        """How long a printer fault must last before the job is given up (CUPS may show
        a queue's old reasons for a moment when a job starts)."""
        self.device_timeout_s = device_timeout_s
        self.sleep = sleep
        self.clock = clock

    # ------------------------------------------------------------ connection
    def server_address(self) -> tuple[str, int]:
        server = self.server or os.environ.get("CUPS_SERVER") or ""
        if not server and cups is not None:
            server = str(cups.getServer())
        server = server or "localhost"
        if server.startswith("/"):
            return server, 631
        host, sep, port = server.rpartition(":")
        if sep and port.isdigit() and not host.endswith(":"):  # not a bare IPv6 address
            return host.strip("[]"), int(port)
        return server.strip("[]"), 631

    def _connect(self) -> Any:
        if cups is None:
            raise _NoCupsError("pycups (libcups's Python bindings) is not installed")
        host, port = self.server_address()
        cups.setPasswordCB2(_no_password)  # per thread in libcups, so set every time
        try:
            return cups.Connection(host=host, port=port)
        except RuntimeError as exc:
            raise _NoCupsError(
                f"no CUPS answers at {host}{'' if host.startswith('/') else f':{port}'}: {exc}"
            ) from None

    # ------------------------------------------------------------ printers
    def printers(self) -> list[str]:
        try:
            return sorted(self._connect().getPrinters())
        except (_NoCupsError, IPPError, HTTPError):
            return []

    def default_printer(self) -> str:
        try:
            return str(self._connect().getDefault() or "")
        except (_NoCupsError, IPPError, HTTPError):
            return ""

    def resolve(self, name: str) -> str:
        """The queue to use: the named one if it exists, or the default; '' when none."""
        if not name:
            return self.default_printer()
        return name if name in self.printers() else ""

    def status(self, printer: str = "", *, device: bool = True) -> PrinterStatus:
        """Can this printer print now, and how is it (reasons, supplies)? Never raises.
        device=False: CUPS's view only, without asking an ipp:// device (fast)."""
        try:
            connection = self._connect()
        except _NoCupsError as exc:
            return PrinterStatus(printer, NO_CUPS, detail=str(exc))
        name = printer or _default(connection)
        if not name:
            return PrinterStatus("", NO_PRINTER, detail="no printer set and no default printer")
        return self._status(connection, name, device=device)

    def _status(self, connection: Any, name: str, *, device: bool = True) -> PrinterStatus:
        try:
            attributes = connection.getPrinterAttributes(
                name, requested_attributes=_PRINTER_ATTRIBUTES
            )
        except IPPError as exc:
            status, text = _ipp_error(exc)
            reason = NO_PRINTER if status == cups.IPP_NOT_FOUND else FAILED
            return PrinterStatus(name, reason, detail=f"{name}: {text}")
        except HTTPError as exc:
            return PrinterStatus(name, NO_CUPS, detail=f"CUPS stopped answering: {exc}")
        attributes = lists(attributes)
        device_uri = str(first(attributes, "device-uri", ""))
        answer = None
        if device and ipp_device.asks_device(device_uri):
            answer = ipp_device.query(device_uri, self.device_timeout_s)
        return judge(name, attributes, answer)

    # ------------------------------------------------------------ printing
    def print_pdf(
        self,
        pdf: bytes,
        printer: str = "",
        job_name: str = "",
        timeout_s: float = 60.0,
        *,
        check_first: bool = True,
    ) -> PrintOutcome:
        """Print the PDF as one job and follow it until it is done or `timeout_s` is up.

        check_first: ask the printer before sending (the client's print); staff prints
        (a test page after refilling paper) may skip it, since CUPS keeps a driverless
        printer's old reasons until its next job."""
        deadline = self.clock() + timeout_s
        try:
            connection = self._connect()
        except _NoCupsError as exc:
            return self._done(printer, NO_CUPS, str(exc))
        name = printer or _default(connection)
        if not name:
            return self._done("", NO_PRINTER, "no printer set and no default printer")
        if check_first:
            status = self._status(connection, name)
            if not status.can_print:
                return self._done(name, status.reason, status.detail, reasons=status.reasons)
        try:
            job_id = self._submit(connection, name, pdf, job_name or "kiosk")
        except IPPError as exc:
            code, text = _ipp_error(exc)
            known = {cups.IPP_NOT_FOUND: NO_PRINTER, cups.IPP_NOT_ACCEPTING: QUEUE_REJECTING}
            return self._done(name, known.get(code, FAILED), f"{name} refused the job: {text}")
        except HTTPError as exc:
            return self._done(name, NO_CUPS, f"CUPS stopped answering: {exc}")
        log.info("job %s on %s: %s (%d bytes)", job_id, name, job_name, len(pdf))
        outcome = self._follow(connection, name, job_id, job_name or "kiosk", deadline)
        if outcome.ok:
            log.info("job %s on %s: completed", job_id, name)
        else:
            log.warning("job %s on %s: %s: %s", job_id, name, outcome.reason, outcome.detail)
        return outcome

    def _submit(self, connection: Any, name: str, pdf: bytes, job_name: str) -> int:
        job_id = int(connection.createJob(name, job_name, {"media": MEDIA, "sides": "one-sided"}))
        try:
            connection.startDocument(name, job_id, job_name, "application/pdf", 1)
            for at in range(0, len(pdf), CHUNK):
                chunk = pdf[at : at + CHUNK]
                connection.writeRequestData(chunk, len(chunk))
            connection.finishDocument(name)
        except (IPPError, HTTPError):
            _quietly_cancel(connection, job_id)
            raise
        return job_id

    def _follow(
        self, connection: Any, name: str, job_id: int, job_name: str, deadline: float
    ) -> PrintOutcome:
        """Poll the job by id; watch its printer. Only this job id decides the outcome: a
        staff print at the same time is another job."""
        started = self.clock()
        fault_since: float | None = None
        next_status = 0.0
        status: PrinterStatus | None = None
        while True:
            try:
                job = replace(self._job(connection, job_id), name=job_name)
            except IPPError as exc:
                text = f"job {job_id} vanished: {_ipp_error(exc)[1]}"
                return self._done(name, FAILED, text, job=Job(job_id, name))
            except HTTPError as exc:
                text = f"CUPS stopped answering during job {job_id}: {exc}"
                return self._done(name, NO_CUPS, text, job=Job(job_id, name))
            if job.state == "completed":
                return self._completed(connection, name, job, job_name)
            if job.state in ("canceled", "aborted"):
                status = self._status(connection, name)
                reason = status.fault or (CANCELED if job.state == "canceled" else ABORTED)
                text = f"{job_words(job)}; {status.detail}"
                return self._done(name, reason, text, job=job, reasons=status.reasons)
            now = self.clock()
            if status is None or now >= next_status:
                status = self._status(connection, name)
                next_status = now + self.status_every_s
            if status.fault in FAULTS:
                fault_since = now if fault_since is None else fault_since
            else:
                fault_since = None
            if job.state == "stopped" or status.state == "stopped":
                return self._give_up(connection, job, status.fault or QUEUE_STOPPED, status)
            if fault_since is not None and now - fault_since >= self.fault_grace_s:
                return self._give_up(connection, job, status.fault, status)
            if now >= deadline:
                status = self._status(connection, name)
                why = f"not completed {now - started:.1f} s after it was sent"
                return self._give_up(connection, job, TIMEOUT, status, why)
            self.sleep(self.poll_s)

    def _give_up(
        self, connection: Any, job: Job, reason: str, status: PrinterStatus, why: str = ""
    ) -> PrintOutcome:
        """Cancel the job (the client is told it did not print, so a staff reprint is the
        only copy) — unless it completed in the meantime."""
        _quietly_cancel(connection, job.id)
        try:
            after = self._job(connection, job.id)
        except (IPPError, HTTPError):
            after = job
        if after.state == "completed":
            return self._completed(connection, job.printer, after, job.name)
        text = f"{job_words(job)}{f' {why}' if why else ''}; cancelled; {status.detail}"
        return self._done(job.printer, reason, text, job=after, reasons=status.reasons)

    def _completed(self, connection: Any, name: str, job: Job, job_name: str) -> PrintOutcome:
        """CUPS says completed; for an ipp:// queue, the printer has the last word: a job it
        canceled or aborted, or a printer that no longer answers, is not printed."""
        try:
            attributes = lists(
                connection.getPrinterAttributes(name, requested_attributes=["device-uri"])
            )
        except (IPPError, HTTPError):
            attributes = {}
        device_uri = str(first(attributes, "device-uri", ""))
        if not (job_name and ipp_device.asks_device(device_uri)):
            return self._done(name, "", job_words(job), job=job)
        reachable, state = ipp_device.finished_job_state(
            device_uri, job_name, self.device_timeout_s
        )
        if reachable and state not in (7, 8):  # completed, or the printer keeps no history
            return self._done(name, "", job_words(job), job=job)
        status = self._status(connection, name)
        if not reachable:
            reason, said = OFFLINE, "the printer no longer answers"
        else:
            reason = status.fault or (CANCELED if state == 7 else ABORTED)
            said = f"the printer {JOB_STATES[state]} it"
        text = f"{job_words(job)} in CUPS, but {said}; {status.detail}"
        printer_said = replace(job, state=JOB_STATES.get(state, "unknown"))
        return self._done(name, reason, text, job=printer_said, reasons=status.reasons)

    def _job(self, connection: Any, job_id: int) -> Job:
        attributes = connection.getJobAttributes(job_id, requested_attributes=_JOB_ATTRIBUTES)
        return job_from(job_id, lists(attributes))

    def _done(
        self,
        printer: str,
        reason: str,
        detail: str,
        *,
        job: Job | None = None,
        reasons: Iterable[str] = (),
    ) -> PrintOutcome:
        """The outcome: printed exactly when reason is ''."""
        return PrintOutcome(
            ok=not reason,
            printer=printer,
            reason=reason,
            detail=detail,
            job_id=job.id if job else None,
            job_state=job.state if job else "",
            printer_reasons=tuple(reasons),
            backend=self.name,
        )

    # ------------------------------------------------------------ staff operations
    def job(self, job_id: int) -> Job:
        """One job by id (raises PrintingError)."""
        with _staff_errors(f"job {job_id}"):
            return self._job(self._connect(), job_id)

    def jobs(self, printer: str = "", which: str = "not-completed") -> list[Job]:
        """The jobs of one queue (all queues when printer is ''), newest first.
        which: 'not-completed', 'completed' or 'all'. Raises PrintingError."""
        with _staff_errors("the job list"):
            connection = self._connect()
            found = connection.getJobs(which_jobs=which, requested_attributes=_JOB_ATTRIBUTES)
            # CUPS shows a job's name and user only to its owner (JobPrivateValues), and
            # only a request that names its user (my_jobs) is taken as the owner's.
            found |= connection.getJobs(
                which_jobs=which, my_jobs=True, requested_attributes=_JOB_ATTRIBUTES
            )
            jobs = [job_from(int(job_id), lists(a)) for job_id, a in found.items()]
        if printer:
            jobs = [job for job in jobs if job.printer == printer]
        return sorted(jobs, key=lambda job: job.id, reverse=True)

    def cancel_jobs(self, printer: str = "", job_ids: Iterable[int] | None = None) -> list[int]:
        """Cancel the given jobs, or every job of the queue not yet completed (stuck jobs).
        Returns the ids cancelled. Raises PrintingError when none could be."""
        ids = list(job_ids) if job_ids is not None else [j.id for j in self.jobs(printer)]
        done: list[int] = []
        problems: list[str] = []
        with _staff_errors("cancelling jobs"):
            connection = self._connect()
            for job_id in ids:
                try:
                    connection.cancelJob(job_id)
                    done.append(job_id)
                except IPPError as exc:
                    problems.append(f"job {job_id}: {_ipp_error(exc)[1]}")
        if problems and not done:
            raise PrintingError(FAILED, "; ".join(problems))
        for problem in problems:
            log.warning("could not cancel %s", problem)
        return done

    def resume(self, printer: str = "") -> PrinterStatus:
        """Start a stopped queue and make it accept jobs again (cupsenable + cupsaccept).
        Needs a CUPS administrator (root or the lpadmin group). Raises PrintingError."""
        with _staff_errors(f"resuming {printer or 'the default printer'}"):
            connection = self._connect()
            name = printer or _default(connection)
            if not name:
                raise PrintingError(NO_PRINTER, "no printer set and no default printer")
            connection.enablePrinter(name)
            connection.acceptJobs(name)
            return self._status(connection, name)


@contextmanager
def _staff_errors(what: str) -> Iterator[None]:
    """Turns pycups's exceptions into PrintingError with a reason code."""
    try:
        yield
    except _NoCupsError as exc:
        raise PrintingError(NO_CUPS, str(exc)) from exc
    except IPPError as exc:
        status, text = _ipp_error(exc)
        reason = NO_PRINTER if status == cups.IPP_NOT_FOUND else FAILED
        if status in (cups.IPP_NOT_AUTHORIZED, cups.IPP_FORBIDDEN):
            text += " (the kiosk's user must be a CUPS administrator: group lpadmin)"
        raise PrintingError(reason, f"{what}: {text}") from exc
    except HTTPError as exc:
        raise PrintingError(NO_CUPS, f"{what}: CUPS stopped answering ({exc})") from exc


# ------------------------------------------------------------ helpers
def _default(connection: Any) -> str:
    """The default queue ('' when none, or when CUPS cannot say)."""
    try:
        return str(connection.getDefault() or "")
    except (IPPError, HTTPError):
        return ""


def _quietly_cancel(connection: Any, job_id: int) -> None:
    try:
        connection.cancelJob(job_id)
    except (IPPError, HTTPError) as exc:
        log.info("job %s not cancelled: %s", job_id, exc)


def _ipp_error(exc: BaseException) -> tuple[int, str]:
    args = exc.args
    if len(args) >= 2 and isinstance(args[0], int):
        return args[0], f"{args[1]} (IPP 0x{args[0]:04x})"
    return -1, str(exc)


__all__ = ["MEDIA", "IppBackend", "Marker", "available"]
