"""What printing reports, as data: reason codes, the outcome of a print, a printer's status.

Pure Python (no Qt, no libcups), shared by every backend. The reason codes are stable: the
screens turn each into one calm sentence, the session log stores them, staff see the
printer's own words (`detail`, `printer_reasons`) next to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# -------------------------------------------------------------- reason codes
# '' means printed / can print. Every other code means: not printed (or cannot print now).
MEDIA_EMPTY = "media_empty"
"""The printer is out of paper (media-empty, media-needed, input-tray-missing)."""
MEDIA_JAM = "media_jam"
"""Paper is jammed (media-jam)."""
DOOR_OPEN = "door_open"
"""A door or cover is open (door-open, cover-open, interlock-open)."""
TONER_EMPTY = "toner_empty"
"""Toner or ink is used up (toner-empty, marker-supply-empty)."""
OFFLINE = "offline"
"""The printer does not answer (offline, shutdown, timed-out, or its address refuses us)."""
CANCELED = "canceled"
"""The job was canceled (by the printer, the spooler or staff) and the printer gave no cause."""
ABORTED = "aborted"
"""The job was aborted by the system (a filter or the printer failed) with no known cause."""
QUEUE_STOPPED = "queue_stopped"
"""The CUPS queue is stopped (cupsdisable, or CUPS stopped it after an error)."""
QUEUE_REJECTING = "queue_rejecting"
"""The CUPS queue does not accept jobs (cupsreject)."""
NO_PRINTER = "no_printer"
"""The configured queue does not exist, or there is no default printer."""
NO_CUPS = "no_cups"
"""No spooler answers (CUPS not running, or its client library missing)."""
TIMEOUT = "timeout"
"""The job was not completed in time; it has been cancelled."""
FAILED = "failed"
"""Anything else: the spooler refused the job, the printer reports an error we have no
words for, the sheet's PDF could not be read (Qt path)."""

REASONS: tuple[str, ...] = (
    MEDIA_EMPTY,
    MEDIA_JAM,
    DOOR_OPEN,
    TONER_EMPTY,
    OFFLINE,
    CANCELED,
    ABORTED,
    QUEUE_STOPPED,
    QUEUE_REJECTING,
    NO_PRINTER,
    NO_CUPS,
    TIMEOUT,
    FAILED,
)
"""Every reason code, for the screens' sentence table (a test can check it is complete)."""

# printer-state-reasons keywords (RFC 8011 5.4.12, PWG 5100.x) → our codes, by priority:
# a printer that does not answer may keep reporting an old jam, so offline comes first.
_FAULTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (OFFLINE, ("offline", "printer-offline", "shutdown", "timed-out")),
    (DOOR_OPEN, ("door-open", "cover-open", "interlock-open")),
    (MEDIA_JAM, ("media-jam",)),
    (MEDIA_EMPTY, ("media-empty", "media-needed", "input-tray-missing")),
    (TONER_EMPTY, ("toner-empty", "marker-supply-empty")),
)
_SEVERITIES = ("-report", "-warning", "-error")
FAULTS: tuple[str, ...] = (*(code for code, _ in _FAULTS), FAILED)
"""The codes a printer's own state can give (FAILED: an '-error' reason we have no words for)."""

# IPP enums, as names.
JOB_STATES = {
    3: "pending",
    4: "held",
    5: "processing",
    6: "stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}
PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}


def split_reason(reason: str) -> tuple[str, str]:
    """('media-empty', '-warning') for 'media-empty-warning'; the suffix is '' when absent
    (which RFC 8011 says means an error)."""
    for suffix in _SEVERITIES:
        if reason.endswith(suffix):
            return reason[: -len(suffix)], suffix
    return reason, ""


def fault_of(reasons: Iterable[str], *, reports_count: bool = True) -> str:
    """The reason code for the worst fault among printer-state-reasons, or ''.

    reports_count: whether a '-report' reason counts. A printer asked directly tells the
    truth in any severity (ippeveprinter says 'media-empty-report' while idle with an empty
    tray); the copy of those reasons that CUPS keeps for a queue is only refreshed during a
    job, so its '-report' ones may be stale and do not count. An unknown reason counts only
    as an '-error' (code FAILED); 'connecting-to-device' is never a fault by itself."""
    bases = set()
    unknown_error = False
    for reason in reasons:
        base, suffix = split_reason(reason)
        if suffix == "-report" and not reports_count:
            continue
        bases.add(base)
        if suffix == "-error" and not any(base in names for _, names in _FAULTS):
            unknown_error = True
    for code, names in _FAULTS:
        if bases.intersection(names):
            return code
    return FAILED if unknown_error else ""


# -------------------------------------------------------------- data
@dataclass(frozen=True)
class Marker:
    """One supply (toner, ink, waste) as the printer reports it (marker-* attributes)."""

    name: str
    level: int
    """0-100 %, or -1 unknown, -2 unknown but not empty, -3 unknown but not full."""
    kind: str = ""
    """marker-types: toner, ink, waste-toner, …"""
    color: str = ""
    low: int = -1
    """marker-low-levels: at or below this the supply is low (-1 unknown)."""

    @property
    def is_low(self) -> bool:
        return self.level >= 0 and (self.level <= self.low if self.low >= 0 else self.level <= 10)


@dataclass(frozen=True)
class PrinterStatus:
    """A printer as the spooler (and, for an IPP device, the device itself) reports it now."""

    name: str
    reason: str = ""
    """'' when it can print now, else a reason code (NO_CUPS, NO_PRINTER, a fault,
    QUEUE_STOPPED, QUEUE_REJECTING, FAILED)."""
    fault: str = ""
    """The printer's own fault alone (MEDIA_EMPTY, MEDIA_JAM, DOOR_OPEN, TONER_EMPTY,
    OFFLINE, FAILED) or '': a stopped queue may also have one."""
    state: str = "unknown"
    """The queue's printer-state: idle, processing, stopped (unknown without CUPS)."""
    accepting: bool = False
    reasons: tuple[str, ...] = ()
    """printer-state-reasons, raw: the queue's, then the device's (without 'none')."""
    message: str = ""
    """printer-state-message (the queue's; the device's when it has one)."""
    markers: tuple[Marker, ...] = ()
    device_uri: str = ""
    device: str = ""
    """'' when the device was not asked (not an ipp:// queue), 'ok', 'unreachable' or
    'no answer' (it refused the IPP request: CUPS's reasons were used instead)."""
    detail: str = ""
    """One line for staff and the log."""

    @property
    def can_print(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class Job:
    """One job in the spooler, followed by its id."""

    id: int
    printer: str
    name: str = ""
    state: str = "unknown"
    """pending, held, processing, stopped, canceled, aborted, completed."""
    reasons: tuple[str, ...] = ()
    """job-state-reasons."""
    message: str = ""
    """job-printer-state-message."""
    user: str = ""
    size_kb: int = 0
    created: int = 0
    """time-at-creation (seconds since the epoch), 0 if unknown."""

    @property
    def finished(self) -> bool:
        return self.state in ("canceled", "aborted", "completed")


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print. ok only when the spooler reported the job completed."""

    ok: bool
    printer: str
    reason: str = ""
    """'' when printed, else one of REASONS."""
    detail: str = ""
    """The spooler's and the printer's words, for staff and the log."""
    job_id: int | None = None
    """The spooler's job id; None when no job was made (or the backend cannot know it)."""
    job_state: str = ""
    """The job's last state (completed, canceled, …); '' when there was no job."""
    printer_reasons: tuple[str, ...] = field(default=())
    """printer-state-reasons when the outcome was decided."""
    backend: str = ""
    """'ipp' (CUPS) or 'qt' (QtPdf → QPrinter, not followed)."""

    @property
    def job(self) -> str:
        """The job id as text ('' when none): the name the first version had."""
        return "" if self.job_id is None else str(self.job_id)


class PrintingError(Exception):
    """A staff operation (resume, cancel, list) could not be done; `reason` is a code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
