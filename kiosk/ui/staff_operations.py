"""What the staff panel's printer buttons do, outside the widgets (issue 13; issue 14
point 4): a test page, a kept sheet printed again, a stopped queue resumed, stuck jobs
cancelled, and the printer as staff see it (state, fault, supplies, jobs).

Every operation here blocks (the spooler, the printer): run it on the devices worker,
never on the GUI thread. Each ends with a StaffOutcome: like the client's Outcome
(kiosk.ui.operations), its message is a function of the language, so the panel shows it
in whichever language staff switch to; `log` is the line for the staff-action log, in
English with the spooler's own words. Staff prints do not ask the printer first
(check_first=False): CUPS keeps a driverless printer's old reasons until its next job,
and a test page after refilling paper is how staff clear them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.printing import (
    ABORTED,
    CANCELED,
    FAILED,
    NO_CUPS,
    NO_PRINTER,
    QUEUE_REJECTING,
    QUEUE_STOPPED,
    Job,
    Marker,
    PrinterStatus,
    PrintingError,
    PrintOutcome,
    cancel_jobs,
    list_jobs,
    print_pdf,
    printer_status,
    resume_printer,
)
from kiosk.storage.outbox import OutboxError
from kiosk.ui.operations import Message, Outcome
from kiosk.wording import printer_cause

if TYPE_CHECKING:
    from kiosk.engine import Questionnaire
    from kiosk.settings import Settings
    from kiosk.ui.texts import Language

Gettext = Callable[[str], str]

TEST_PAGE_JOB = "kiosk-test-page"
"""The test page's job name: what staff and the printer's job list see."""
STAFF_PRINT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class StaffOutcome(Outcome):
    """How a staff operation ended: the message staff read (in either language), whether
    it did what was asked, and the staff-action log's line."""

    ok: bool = False
    log: str = ""


def staff_cause(reason: str, _: Gettext) -> str:
    """Why a printer cannot print or a staff print did not, as staff read it: the client's
    sentence where there is one (kiosk.wording.printer_cause), else staff's own."""
    causes = {
        CANCELED: _("The job was cancelled."),
        ABORTED: _("The printer or the print service gave up the job."),
        QUEUE_STOPPED: _("The printer's queue is stopped."),
        QUEUE_REJECTING: _("The printer's queue does not accept jobs."),
        NO_PRINTER: _("There is no such printer."),
        NO_CUPS: _("The print service (CUPS) is not running."),
        FAILED: _("The printer reports an error."),
    }
    return printer_cause(reason, _) or causes.get(reason, "")


# ------------------------------------------------------------------ prints


def print_test_page(
    settings: Settings, questionnaire: Questionnaire, timeout_s: float = STAFF_PRINT_TIMEOUT_S
) -> StaffOutcome:
    """The test page (never a client's sheet) on the kiosk's printer."""
    from kiosk.issuing import SheetService  # noqa: PLC0415 - reportlab: on first use

    page = SheetService(settings, questionnaire).test_page()
    printer = settings.printing.printer
    outcome = print_pdf(page.pdf, printer, TEST_PAGE_JOB, timeout_s, check_first=False)
    return _printed(outcome, "test page")


def reprint_sheet(
    settings: Settings,
    questionnaire: Questionnaire,
    number: str,
    timeout_s: float = STAFF_PRINT_TIMEOUT_S,
) -> tuple[StaffOutcome, PrintOutcome | None]:
    """A kept sheet printed again, as a job named by its number (SPEC §19). Also gives
    the print's own outcome for the session log (None when the sheet is not kept)."""
    from kiosk.issuing import SheetService  # noqa: PLC0415 - reportlab: on first use

    try:
        sheet = SheetService(settings, questionnaire).reprint(number)
    except OutboxError as exc:
        reason = str(exc)

        def gone(lang: Language) -> str:
            return lang.gettext("Sheet {number} is no longer in the outbox.").format(number=number)

        return StaffOutcome(gone, log=f"{number}: not printed: {reason}"), None
    outcome = print_pdf(sheet.pdf, settings.printing.printer, number, timeout_s, check_first=False)
    done = _printed(outcome, f"sheet {number}")
    return StaffOutcome(_numbered(number, done.message), ok=done.ok, log=done.log), outcome


def _printed(outcome: PrintOutcome, what: str) -> StaffOutcome:
    """A staff print's outcome: printed, or not printed and why, in words."""
    job = f" (job {outcome.job_id})" if outcome.job_id is not None else ""
    if outcome.ok:
        printer = outcome.printer

        def printed(lang: Language) -> str:
            return lang.gettext("Printed on {name}.").format(name=printer)

        return StaffOutcome(printed, ok=True, log=f"{what} printed on {printer}{job}")
    reason, detail = outcome.reason, outcome.detail

    def not_printed(lang: Language) -> str:
        _ = lang.gettext
        return _("Not printed: {detail}").format(detail=staff_cause(reason, _) or detail)

    return StaffOutcome(not_printed, log=f"{what} not printed{job}: {reason}: {detail}")


def _numbered(number: str, message: Message) -> Message:
    return lambda lang: f"{number}: {message(lang)}"


# ------------------------------------------------------------------ the printer


@dataclass(frozen=True)
class PrinterView:
    """What the printer page shows: the printer's status and its jobs not completed."""

    wanted: str
    """The printer in the settings ('' = the system default)."""
    status: PrinterStatus
    jobs: tuple[Job, ...] = ()
    jobs_problem: str = ""
    """A reason code when the jobs could not be listed."""
    at: float = field(default_factory=time.time)
    """When it was asked (for the jobs' ages)."""

    @property
    def can_resume(self) -> bool:
        """A queue that exists and is stopped or not accepting jobs."""
        status = self.status
        known = bool(status.name) and status.reason not in (NO_CUPS, NO_PRINTER)
        return known and status.state != "unknown" and not _ready_queue(status)


def _ready_queue(status: PrinterStatus) -> bool:
    return status.state != "stopped" and status.accepting


def look_at_printer(wanted: str) -> PrinterView:
    """The printer's status and its stuck jobs (jobs never of another queue)."""
    status = printer_status(wanted)
    if not status.name or status.reason in (NO_CUPS, NO_PRINTER):
        return PrinterView(wanted, status)
    try:
        jobs = tuple(list_jobs(status.name))
    except PrintingError as exc:
        return PrinterView(wanted, status, jobs_problem=exc.reason)
    return PrinterView(wanted, status, jobs)


def resume(view: PrinterView) -> StaffOutcome:
    """Start the printer's stopped queue and make it accept jobs (cupsenable + cupsaccept)."""
    name = view.status.name
    try:
        after = resume_printer(name)
    except PrintingError as exc:
        reason, detail = exc.reason, exc.detail
        permission = "lpadmin" in detail

        def refused(lang: Language) -> str:
            _ = lang.gettext
            if permission:
                why = _(
                    "The kiosk's user may not manage printers: it must be root or in "
                    "the group lpadmin."
                )
            else:
                why = _refusal(reason, detail, _)
            return _("Not resumed: {reason}").format(reason=why)

        return StaffOutcome(refused, log=f"{name}: not resumed: {reason}: {detail}")
    fault = after.fault

    def resumed(lang: Language) -> str:
        _ = lang.gettext
        done = _("The printer's queue runs and accepts jobs again.")
        still = staff_cause(fault, _) if fault else ""
        return f"{done}{'' if lang.lang == 'zh_CN' else ' '}{still}" if still else done

    return StaffOutcome(resumed, ok=True, log=f"{name}: resumed; {after.detail}")


def cancel_stuck(view: PrinterView) -> StaffOutcome:
    """Cancel the jobs staff saw as stuck (only those: a client's job sent since is not
    touched)."""
    name = view.status.name
    ids = [job.id for job in view.jobs]
    if not name or not ids:
        return StaffOutcome(lambda lang: lang.gettext("No stuck jobs to cancel."), ok=True)
    try:
        done = cancel_jobs(name, ids)
    except PrintingError as exc:
        reason, detail = exc.reason, exc.detail

        def refused(lang: Language) -> str:
            _ = lang.gettext
            return _("Not cancelled: {reason}").format(reason=_refusal(reason, detail, _))

        return StaffOutcome(refused, log=f"{name}: jobs {ids} not cancelled: {reason}: {detail}")
    count = len(done)

    def cancelled(lang: Language) -> str:
        _ = lang.gettext
        if count == 1:
            return _("One stuck job was cancelled.")
        return _("{count} stuck jobs were cancelled.").format(count=count)

    return StaffOutcome(cancelled, ok=True, log=f"{name}: jobs {done} cancelled")


def _refusal(reason: str, detail: str, _: Gettext) -> str:
    """Why the spooler refused a staff operation: in words where known, else its own."""
    return (staff_cause(reason, _) if reason != FAILED else "") or detail


# ------------------------------------------------------------------ in words


def state_words(view: PrinterView, _: Gettext) -> str:
    """'Printer X: ready', or why there is no printer to speak of."""
    status = view.status
    if status.reason == NO_CUPS:
        return _("No print service: CUPS is not running.")
    if status.reason == NO_PRINTER or not status.name:
        return _("No printer: {name} is not available.").format(
            name=status.name or view.wanted or _("the system default printer")
        )
    rejecting = status.state != "unknown" and not status.accepting
    if status.state == "stopped":
        state = _("stopped, not accepting jobs") if rejecting else _("stopped")
    elif rejecting:
        state = _("not accepting jobs")
    elif status.state == "processing":
        state = _("printing")
    else:
        state = _("ready") if status.can_print else _("cannot print")
    return _("Printer {name}: {state}").format(name=status.name, state=state)


def fault_words(view: PrinterView, _: Gettext) -> str:
    """The printer's own trouble (out of paper, jammed, offline…), '' when none."""
    return staff_cause(view.status.fault, _) if view.status.fault else ""


def technical_words(view: PrinterView, _: Gettext) -> str:
    """The printer's raw reasons and message, for a technician."""
    status = view.status
    if status.reason in (NO_CUPS, NO_PRINTER) or not status.name:
        return status.detail
    line = _("Reasons: {reasons}").format(reasons=", ".join(status.reasons) or _("none"))
    if status.message:
        line += _("; message: {message}").format(message=status.message)
    return line


def supply_words(markers: tuple[Marker, ...], _: Gettext) -> str:
    """'Supplies: Black Toner 75% · Waste 5% (low)'; '' when the printer reports none."""
    if not markers:
        return ""
    parts = []
    for marker in markers:
        level = f"{marker.level}%" if marker.level >= 0 else _("unknown")
        low = _(" (low)") if marker.is_low else ""
        parts.append(f"{marker.name} {level}{low}")
    return _("Supplies: {supplies}").format(supplies=" · ".join(parts))


def job_words(view: PrinterView, _: Gettext, most: int = 2) -> str:
    """The stuck jobs: how many, then the newest `most` of them, each with its sheet
    number (its job name), state and age."""
    if view.jobs_problem:
        return _("The jobs could not be listed: {reason}").format(
            reason=staff_cause(view.jobs_problem, _) or view.jobs_problem
        )
    if not view.status.name or view.status.reason in (NO_CUPS, NO_PRINTER):
        return ""
    if not view.jobs:
        return _("No jobs waiting.")
    states = {
        "pending": _("waiting"),
        "held": _("held"),
        "processing": _("printing"),
        "stopped": _("stopped"),
    }
    lines = []
    for job in view.jobs[:most]:
        name = _("test page") if job.name == TEST_PAGE_JOB else job.name
        name = name or _("job {id}").format(id=job.id)
        state = states.get(job.state, job.state)
        if job.created:
            age = _age(view.at - job.created, _)
            lines.append(_("{name}, {state}, {age}").format(name=name, state=state, age=age))
        else:
            lines.append(_("{name}, {state}").format(name=name, state=state))
    return "\n".join([_("Jobs waiting: {count}").format(count=len(view.jobs)), *lines])


def _age(seconds: float, _: Gettext) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return _("{count} s ago").format(count=seconds)
    if seconds < 3600:
        return _("{count} min ago").format(count=seconds // 60)
    return _("{count} h ago").format(count=seconds // 3600)
