"""From IPP attributes (CUPS's, through pycups, and a device's own) to the model: a
printer's status, a job. Pure: the backend asks, this reads what it was told."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.printing.device import DeviceState, markers_from
from kiosk.printing.model import (
    FAILED,
    JOB_STATES,
    OFFLINE,
    PRINTER_STATES,
    QUEUE_REJECTING,
    QUEUE_STOPPED,
    Job,
    PrinterStatus,
    fault_of,
    split_reason,
)


def lists(attributes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """pycups gives one value bare and several as a list: always a list here."""
    return {k: v if isinstance(v, list) else [v] for k, v in attributes.items()}


def first(attributes: Mapping[str, list[Any]], name: str, default: Any) -> Any:
    values = attributes.get(name)
    return values[0] if values else default


def judge(
    name: str, attributes: Mapping[str, list[Any]], answer: DeviceState | None
) -> PrinterStatus:
    """The status of a queue from CUPS's printer attributes and, when its device was
    asked (answer not None), the device's own answer, which wins: CUPS keeps a driverless
    printer's reasons from its last job, the device tells how it is now."""
    state = PRINTER_STATES.get(first(attributes, "printer-state", 0), "unknown")
    accepting = bool(first(attributes, "printer-is-accepting-jobs", False))
    reasons = [str(r) for r in attributes.get("printer-state-reasons", []) if r != "none"]
    message = str(first(attributes, "printer-state-message", ""))
    device_uri = str(first(attributes, "device-uri", ""))
    markers = markers_from(dict(attributes))
    fault = fault_of(reasons, reports_count=False)
    asked = note = ""
    if answer is not None and not answer.reachable:
        asked, fault = "unreachable", OFFLINE
        note = f"; device {device_uri} unreachable ({answer.error})"
    elif answer is not None and not answer.answered:
        asked = "no answer"
        note = f"; device {device_uri} did not answer ({answer.error})"
    elif answer is not None:
        asked = "ok"
        mine = [r for r in reasons if not _from_device(r)]
        reasons = list(dict.fromkeys([*mine, *answer.reasons]))
        fault = fault_of(answer.reasons, reports_count=True)
        if not fault and answer.state == 5:  # stopped, for no reason we know
            fault = FAILED
        message = answer.message or message
        markers = answer.markers or markers
        note = f"; device {device_uri} {PRINTER_STATES.get(answer.state, '?')}"
    reason = fault
    if not reason and state == "stopped":
        reason = QUEUE_STOPPED
    if not reason and not accepting:
        reason = QUEUE_REJECTING
    detail = (
        f"{name}: {state}, {'accepting' if accepting else 'not accepting'} jobs; "
        f"reasons: {', '.join(reasons) or 'none'}"
        + (f"; message: {message}" if message else "")
        + note
    )
    return PrinterStatus(
        name,
        reason,
        fault=fault,
        state=state,
        accepting=accepting,
        reasons=tuple(reasons),
        message=message,
        markers=markers,
        device_uri=device_uri,
        device=asked,
        detail=detail,
    )


def _from_device(reason: str) -> bool:
    """Whether a queue's reason is a copy of the device's (CUPS's own start with cups-)."""
    base, _ = split_reason(reason)
    return not base.startswith("cups-") and base not in ("paused", "connecting-to-device")


def job_from(job_id: int, attributes: Mapping[str, list[Any]]) -> Job:
    uri = str(first(attributes, "job-printer-uri", ""))
    return Job(
        id=job_id,
        printer=uri.rstrip("/").rsplit("/", 1)[-1] if uri else "",
        name=str(first(attributes, "job-name", "")),
        state=JOB_STATES.get(first(attributes, "job-state", 0), "unknown"),
        reasons=tuple(str(r) for r in attributes.get("job-state-reasons", []) if r != "none"),
        message=str(first(attributes, "job-printer-state-message", "") or ""),
        user=str(first(attributes, "job-originating-user-name", "")),
        size_kb=int(first(attributes, "job-k-octets", 0) or 0),
        created=int(first(attributes, "time-at-creation", 0) or 0),
    )


def job_words(job: Job) -> str:
    """'job 12 canceled (job-canceled-by-user): message', for staff and the log."""
    words = f"job {job.id} {job.state}"
    if job.reasons:
        words += f" ({', '.join(job.reasons)})"
    if job.message:
        words += f": {job.message}"
    return words
