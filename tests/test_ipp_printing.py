"""The printing backend against a real IPP printer: CUPS's IPP Everywhere simulator
`ippeveprinter` behind a driverless CUPS queue (`lpadmin -m everywhere`), one private
printer per test (its own port, spool folder and queue), steered through the job command
scripts/ipp-job.sh.

Needs root, a running CUPS, pycups, `ippeveprinter` (cups-ipp-utils) and a running
avahi-daemon (scripts/test sets all of it up when root on Debian); elsewhere the printer
tests skip and say why. The pure parts (reasons, the IPP decoder) run everywhere.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kiosk import printing
from kiosk.engine import Questionnaire, score
from kiosk.printing import device, ipp
from kiosk.printing.ipp import IppBackend
from kiosk.printing.model import (
    ABORTED,
    CANCELED,
    DOOR_OPEN,
    FAILED,
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
    PrintingError,
    PrintOutcome,
    fault_of,
)
from kiosk.report import SheetHeader, build_sheet
from tests.conftest import WORKED_EXAMPLE
from tests.helpers.ipp import A4, WHY, Printer, free_port, run_cups

NUMBER = "0000-20261202-0042"

# A real spooler and printer: CUPS looks at a job's state about once a second and learns a
# driverless printer's attributes when a queue is made, so a timing can miss now and then
# on a loaded machine (seen once in about ten full runs). A test that fails is run again,
# up to twice; a real fault fails every time.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=1)


@pytest.fixture(scope="module")
def sheet(questionnaire: Questionnaire) -> bytes:
    """The worked example's sheet, as the kiosk builds it (the same builder as kiosk report)."""
    profile = score(questionnaire, json.loads(WORKED_EXAMPLE.read_text("utf-8")))
    header = SheetHeader("示例证券 示例营业部", NUMBER, datetime(2026, 12, 2, 9, 30))
    return build_sheet(questionnaire, profile, header, lang="zh_CN")


@pytest.fixture(scope="module")
def staff_page(questionnaire: Questionnaire) -> bytes:
    profile = score(questionnaire, json.loads(WORKED_EXAMPLE.read_text("utf-8")))
    header = SheetHeader("示例证券 示例营业部", "TEST", datetime(2026, 12, 2, 9, 31))
    return build_sheet(questionnaire, profile, header, lang="en", watermark=["TEST"])


def backend() -> IppBackend:
    return IppBackend()


def in_background(
    work: Callable[[], PrintOutcome],
) -> tuple[ThreadPoolExecutor, Future[PrintOutcome]]:
    pool = ThreadPoolExecutor(1)
    return pool, pool.submit(work)


def wait_until(condition: Callable[[], object], timeout_s: float = 15, what: str = "") -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def job_of(queue: str, name: str, state: str = "") -> int:
    """The id of the queue's job with this name (and state), once it exists."""

    def find() -> int:
        for job in backend().jobs(queue, "all"):
            if job.name == name and (not state or job.state == state):
                return job.id
        return 0

    return int(wait_until(find, what=f"job {name} {state} on {queue}"))


def cups_job_state(job_id: int) -> str:
    return backend().job(job_id).state


def page_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def largest_image(path: Path) -> int:
    """The pixel count of the largest image on any page, in Form XObjects too (CUPS's
    pdftopdf wraps each page in one); 0 when there is none."""

    def largest_in(resources: Any) -> int:
        largest = 0
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                largest = max(largest, int(xobject["/Width"]) * int(xobject["/Height"]))
            elif xobject.get("/Subtype") == "/Form":
                largest = max(largest, largest_in(xobject.get("/Resources") or {}))
        return largest

    return max(largest_in(page.get("/Resources") or {}) for page in PdfReader(path).pages)


# ------------------------------------------------------------------ printed


def test_a_sheet_prints_as_its_own_vector_pdf_with_ipp_attributes(
    printer: Printer, sheet: bytes
) -> None:
    # The job command notes the job's IPP attributes that ippeveprinter hands it.
    printer.steer(f"env | grep -E '^(IPP_|CONTENT_TYPE)' > '{printer.spool}/job.env'\n")
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30)
    assert outcome.ok, outcome
    assert (outcome.reason, outcome.job_state, outcome.backend) == ("", "completed", "ipp")
    assert isinstance(outcome.job_id, int)
    assert outcome.job == str(outcome.job_id)
    [received] = printer.received()
    assert NUMBER in received.name  # job-name is the sheet number
    text = page_text(received)
    assert NUMBER in text
    assert "67" in text
    assert "58" in text
    assert len(PdfReader(received).pages) == 1
    assert largest_image(received) < 1000 * 1000  # vector: no page-sized raster
    assert received.stat().st_size <= 100 * 1024
    attributes = (printer.spool / "job.env").read_text("utf-8")
    assert "CONTENT_TYPE=application/pdf" in attributes
    # A4 as the driverless queue passes it on: media-col's size in hundredths of a mm
    # (in whatever order CUPS writes the members), or the media keyword itself.
    media = [line for line in attributes.splitlines() if line.startswith("IPP_MEDIA")]
    assert any(
        ("x-dimension=21000" in line and "y-dimension=29700" in line) or A4 in line
        for line in media
    ), attributes
    assert f"IPP_JOB_NAME={NUMBER}" in attributes
    assert "IPP_SIDES=one-sided" in attributes
    # The spooler knows the job by the sheet number, as completed.
    [job] = [job for job in backend().jobs(printer.queue, "completed") if job.id == outcome.job_id]
    assert (job.name, job.state) == (NUMBER, "completed")


def test_the_printer_reports_its_state_and_supplies(printer: Printer) -> None:
    status = printing.printer_status(printer.queue)
    assert status.can_print, status
    assert (status.state, status.accepting, status.device) == ("idle", True, "ok")
    assert status.device_uri == printer.uri
    levels = {marker.name: marker.level for marker in status.markers}
    assert levels == {"Toner Waste Tank": 25, "Black Toner": 75}
    printer.web("supplies", supply0=25, supply1=0)  # the toner runs out
    status = printing.printer_status(printer.queue)
    assert (status.can_print, status.reason) == (False, TONER_EMPTY)
    assert any(reason.startswith("toner-empty") for reason in status.reasons)
    assert [m.level for m in status.markers if m.kind == "toner"] == [0]
    assert printer.queue in status.detail


# ------------------------------------------------------------------ the printer's faults


def test_out_of_paper_is_known_before_anything_is_sent(printer: Printer, sheet: bytes) -> None:
    printer.set_paper(0)
    status = printing.printer_status(printer.queue)
    assert (status.can_print, status.reason, status.fault) == (False, MEDIA_EMPTY, MEDIA_EMPTY)
    assert any(reason.startswith("media-empty") for reason in status.reasons)
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30)
    assert (outcome.ok, outcome.reason, outcome.job_id) == (False, MEDIA_EMPTY, None)
    assert "media-empty" in outcome.detail
    assert printer.received() == []
    # Paper again: the printer says so at once (CUPS alone would only learn it at a job).
    printer.set_paper(250)
    assert printing.printer_status(printer.queue).can_print
    assert backend().print_pdf(sheet, printer.queue, NUMBER, 30).ok


@pytest.mark.expected_log("kiosk.printing", ": media_empty:")
def test_paper_running_out_during_the_job_cancels_it(printer: Printer, sheet: bytes) -> None:
    printer.set_paper(0)
    started = time.monotonic()
    # A staff print does not ask first: the printer holds the job, waiting for paper.
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30, check_first=False)
    assert (outcome.ok, outcome.reason) == (False, MEDIA_EMPTY)
    assert time.monotonic() - started < 10  # not the whole timeout
    assert outcome.job_id is not None
    assert cups_job_state(outcome.job_id) == "canceled"
    assert any(r.startswith(("media-empty", "media-needed")) for r in outcome.printer_reasons)


@pytest.mark.parametrize(
    ("reason", "code"),
    [("media-jam", MEDIA_JAM), ("cover-open", DOOR_OPEN), ("toner-empty", TONER_EMPTY)],
)
@pytest.mark.expected_log("kiosk.printing", "; cancelled;")
def test_a_fault_the_printer_reports_mid_job(
    printer: Printer, sheet: bytes, reason: str, code: str
) -> None:
    printer.steer(f"echo 'STATE: +{reason}-error' >&2\nsleep 20\n")
    started = time.monotonic()
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30)
    assert (outcome.ok, outcome.reason) == (False, code), outcome
    assert time.monotonic() - started < 15
    assert outcome.job_id is not None
    assert cups_job_state(outcome.job_id) == "canceled"
    assert reason in outcome.detail


@pytest.mark.expected_log("kiosk.printing", ": offline:")
def test_a_printer_that_disappears_mid_job(printer: Printer, sheet: bytes) -> None:
    printer.steer("sleep 60\n")
    pool, future = in_background(lambda: backend().print_pdf(sheet, printer.queue, NUMBER, 40))
    with pool:
        wait_until(printer.received, what="the printer has the job")
        printer.kill()
        outcome = future.result(timeout=40)
    assert (outcome.ok, outcome.reason) == (False, OFFLINE), outcome
    # Seen by the kiosk asking the printer, or (CUPS's ipp backend may take a vanished
    # printer's job for completed) when it confirms the job with the printer.
    assert re.search(r"unreachable|no longer answers", outcome.detail)
    assert outcome.job_id is not None
    assert backend().job(outcome.job_id).finished  # nothing left to print later
    status = printing.printer_status(printer.queue)
    assert (status.can_print, status.reason, status.device) == (False, OFFLINE, "unreachable")


# ------------------------------------------------------------------ canceled, aborted


@pytest.mark.expected_log("kiosk.printing", ": canceled:")
def test_a_job_canceled_in_the_spooler(printer: Printer, sheet: bytes) -> None:
    printer.steer("sleep 60\n")
    pool, future = in_background(lambda: backend().print_pdf(sheet, printer.queue, NUMBER, 40))
    with pool:
        job_id = job_of(printer.queue, NUMBER, "processing")
        run_cups("cancel", str(job_id))
        outcome = future.result(timeout=40)
    assert (outcome.ok, outcome.reason, outcome.job_state) == (False, CANCELED, "canceled")
    assert outcome.job_id == job_id


@pytest.mark.expected_log("kiosk.printing", ": canceled:")
def test_a_job_canceled_by_the_printer(printer: Printer, sheet: bytes) -> None:
    printer.steer("sleep 2\n")
    pool, future = in_background(lambda: backend().print_pdf(sheet, printer.queue, NUMBER, 40))
    with pool:
        wait_until(printer.received, what="the printer has the job")
        run_cups("ipptool", "-T", "5", printer.uri, "cancel-current-job.test")
        outcome = future.result(timeout=40)
    assert (outcome.ok, outcome.reason, outcome.job_state) == (False, CANCELED, "canceled")
    # CUPS says "canceled at printer", or (a race in its ipp backend) "completed", which
    # the printer's own job history corrects.
    assert re.search(r"canceled at printer|the printer canceled it", outcome.detail)


@pytest.mark.expected_log("kiosk.printing", ": canceled:")
@pytest.mark.expected_log("kiosk.printing", ": aborted:")
def test_a_job_the_printer_fails(printer: Printer, sheet: bytes) -> None:
    printer.steer("exit 1\n")  # ippeveprinter aborts the job
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30)
    assert not outcome.ok
    assert outcome.reason in (CANCELED, ABORTED), outcome
    assert outcome.job_state in ("canceled", "aborted")


@pytest.mark.expected_log("kiosk.printing", ": timeout:")
def test_a_job_not_done_in_time_is_cancelled(printer: Printer, sheet: bytes) -> None:
    printer.steer("sleep 60\n")
    started = time.monotonic()
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 2.0)
    assert (outcome.ok, outcome.reason) == (False, TIMEOUT), outcome
    assert 2.0 <= time.monotonic() - started < 8
    assert outcome.job_id is not None
    assert cups_job_state(outcome.job_id) == "canceled"
    assert backend().jobs(printer.queue) == []


# ------------------------------------------------------------------ the queue


@pytest.mark.parametrize(
    ("breakage", "code"), [("cupsdisable", QUEUE_STOPPED), ("cupsreject", QUEUE_REJECTING)]
)
def test_a_stopped_or_rejecting_queue_and_staff_resume_it(
    printer: Printer, sheet: bytes, breakage: str, code: str
) -> None:
    run_cups(breakage, printer.queue)
    status = printing.printer_status(printer.queue)
    assert (status.can_print, status.reason, status.fault) == (False, code, "")
    assert printing.queue_state(printer.queue) == code
    outcome = backend().print_pdf(sheet, printer.queue, NUMBER, 30)
    assert (outcome.ok, outcome.reason, outcome.job_id) == (False, code, None)
    assert printer.received() == []
    resumed = printing.resume_printer(printer.queue)
    assert resumed.can_print, resumed
    assert printing.queue_state(printer.queue) == ""
    assert backend().print_pdf(sheet, printer.queue, NUMBER, 30).ok


@pytest.mark.expected_log("kiosk.printing", ": queue_stopped:")
def test_a_queue_stopped_mid_job(printer: Printer, sheet: bytes) -> None:
    printer.steer("sleep 60\n")
    pool, future = in_background(lambda: backend().print_pdf(sheet, printer.queue, NUMBER, 40))
    with pool:
        job_id = job_of(printer.queue, NUMBER, "processing")
        run_cups("cupsdisable", printer.queue)
        outcome = future.result(timeout=40)
    assert (outcome.ok, outcome.reason, outcome.job_id) == (False, QUEUE_STOPPED, job_id)
    assert cups_job_state(job_id) == "canceled"


def test_no_such_printer(sheet: bytes) -> None:
    if WHY:
        pytest.skip(WHY)
    outcome = printing.print_pdf(sheet, "kiosk-no-such-printer", NUMBER, 5)
    assert (outcome.ok, outcome.reason, outcome.job_id) == (False, NO_PRINTER, None)
    assert printing.printer_status("kiosk-no-such-printer").reason == NO_PRINTER
    assert printing.resolve_printer("kiosk-no-such-printer") == ""
    with pytest.raises(PrintingError) as raised:
        printing.resume_printer("kiosk-no-such-printer")
    assert raised.value.reason == NO_PRINTER


@pytest.mark.skipif(not ipp.available(), reason="pycups is not installed")
@pytest.mark.parametrize("server", ["socket", "port"])
def test_no_cups_at_all(
    sheet: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: str
) -> None:
    dead = str(tmp_path / "cups.sock") if server == "socket" else f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("CUPS_SERVER", dead)
    monkeypatch.delenv("KIOSK_PRINT_BACKEND", raising=False)
    outcome = printing.print_pdf(sheet, "kiosk-ipp", NUMBER, 5)
    assert (outcome.ok, outcome.reason, outcome.backend) == (False, NO_CUPS, "ipp")
    assert dead.split(":")[0] in outcome.detail
    assert printing.printer_status("kiosk-ipp").reason == NO_CUPS
    assert printing.printer_names() == []
    assert printing.resolve_printer("") == ""
    assert printing.queue_state("kiosk-ipp") == ""
    with pytest.raises(PrintingError) as raised:
        printing.list_jobs("kiosk-ipp")
    assert raised.value.reason == NO_CUPS


# ------------------------------------------------------------------ staff prints


def test_a_staff_test_page_during_a_client_print_is_its_own_job(
    printer: Printer, sheet: bytes, staff_page: bytes
) -> None:
    printer.steer("sleep 1\n")
    with ThreadPoolExecutor(2) as pool:
        client = pool.submit(backend().print_pdf, sheet, printer.queue, NUMBER, 30)
        job_of(printer.queue, NUMBER)
        staff = pool.submit(
            backend().print_pdf, staff_page, printer.queue, "TEST", 30, check_first=False
        )
        client_outcome, staff_outcome = client.result(60), staff.result(60)
    assert client_outcome.ok
    assert staff_outcome.ok
    assert client_outcome.job_id != staff_outcome.job_id
    # ippeveprinter names each kept file "<its job id>-<job-name, lower case>.pdf".
    by_name = {path.name.split("-", 1)[1]: path for path in printer.received()}
    assert set(by_name) == {f"{NUMBER}.pdf", "test.pdf"}
    assert NUMBER in page_text(by_name[f"{NUMBER}.pdf"])
    assert NUMBER not in page_text(by_name["test.pdf"])


@pytest.mark.expected_log("kiosk.printing", ": canceled:")
def test_a_staff_job_canceled_during_a_client_print_is_not_the_clients(
    printer: Printer, sheet: bytes, staff_page: bytes
) -> None:
    printer.steer("sleep 2\n")
    with ThreadPoolExecutor(2) as pool:
        client = pool.submit(backend().print_pdf, sheet, printer.queue, NUMBER, 30)
        client_job = job_of(printer.queue, NUMBER, "processing")
        staff = pool.submit(
            backend().print_pdf, staff_page, printer.queue, "TEST", 30, check_first=False
        )
        staff_job = job_of(printer.queue, "TEST")
        assert printing.cancel_jobs(printer.queue, [staff_job]) == [staff_job]
        client_outcome, staff_outcome = client.result(60), staff.result(60)
    assert (client_outcome.ok, client_outcome.job_id) == (True, client_job)
    assert (staff_outcome.ok, staff_outcome.reason, staff_outcome.job_id) == (
        False,
        CANCELED,
        staff_job,
    )


@pytest.mark.expected_log("kiosk.printing", ": queue_stopped:")
# Within 0.3 s CUPS may not have marked the disabled queue yet: then it is a timeout.
@pytest.mark.expected_log("kiosk.printing", ": timeout:")
def test_staff_list_and_cancel_stuck_jobs(printer: Printer, sheet: bytes) -> None:
    run_cups("cupsdisable", printer.queue)  # nothing leaves the queue
    ids = [
        backend().print_pdf(sheet, printer.queue, f"stuck-{n}", 0.3, check_first=False).job_id
        for n in range(2)
    ]
    # Given up by print_pdf already (stopped queue): cancelled, so nothing is stuck.
    assert printing.list_jobs(printer.queue) == []
    for job_id in ids:
        assert job_id is not None
        assert cups_job_state(job_id) == "canceled"
    subprocess.run(
        ["lp", "-d", printer.queue, "-t", "stuck-by-hand", "-"],
        input=sheet,
        capture_output=True,
        check=True,
    )
    [stuck] = printing.list_jobs(printer.queue)
    assert (stuck.name, stuck.printer) == ("stuck-by-hand", printer.queue)
    assert not stuck.finished
    assert printing.cancel_jobs(printer.queue) == [stuck.id]
    assert printing.list_jobs(printer.queue) == []


# ------------------------------------------------------------------ the Qt path


def test_the_qt_path_is_only_picked_without_cups(
    printer: Printer, sheet: bytes, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    assert printing.pick_backend().name == "ipp"
    monkeypatch.setenv("KIOSK_PRINT_BACKEND", "qt")
    chosen = printing.pick_backend()
    assert chosen.name == "qt"
    outcome = chosen.print_pdf(sheet, printer.queue, NUMBER, 30)
    assert (outcome.ok, outcome.backend, outcome.job_id) == (True, "qt", None)
    [received] = wait_until(printer.received, what="the Qt job reaches the printer")
    # What the IPP backend avoids: a page-sized raster, far larger than the sheet.
    assert largest_image(received) >= 2000 * 2000
    assert received.stat().st_size > 4 * len(sheet)


# ------------------------------------------------------------------ pure parts


def test_every_reason_is_a_distinct_code() -> None:
    assert len(set(REASONS)) == len(REASONS)
    assert all(re.fullmatch(r"[a-z_]+", code) for code in REASONS)


@pytest.mark.parametrize(
    ("reasons", "reports_count", "code"),
    [
        (["none"], True, ""),
        (["media-empty-warning", "media-needed-warning"], True, MEDIA_EMPTY),
        (["media-empty-report"], True, MEDIA_EMPTY),
        (["media-empty-report"], False, ""),
        (["media-low-warning", "toner-low-report"], True, ""),
        (["media-jam"], False, MEDIA_JAM),
        (["cover-open-error", "media-empty-error"], False, DOOR_OPEN),
        (["marker-supply-empty-warning"], False, TONER_EMPTY),
        (["offline-report", "media-jam-warning"], True, OFFLINE),
        (["connecting-to-device"], True, ""),
        (["other-error"], True, FAILED),
        (["other-warning", "cups-waiting-for-job-completed"], True, ""),
    ],
)
def test_printer_reasons_become_codes(reasons: list[str], reports_count: bool, code: str) -> None:
    assert fault_of(reasons, reports_count=reports_count) == code


def _attribute(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(value)) + value


def test_the_ipp_decoder_reads_a_printers_answer() -> None:
    body = struct.pack(">BBHI", 2, 0, 0x0000, 1)
    body += b"\x01" + _attribute(0x47, "attributes-charset", b"utf-8")
    body += b"\x04" + _attribute(0x23, "printer-state", struct.pack(">i", 4))
    body += _attribute(0x44, "printer-state-reasons", b"media-jam-warning")
    body += _attribute(0x44, "", b"toner-low-report")
    body += _attribute(0x34, "media-col-ready", b"")  # a collection: skipped whole
    body += _attribute(0x4A, "", b"media-size") + _attribute(0x34, "", b"")
    body += _attribute(0x4A, "", b"x-dimension") + _attribute(0x21, "", struct.pack(">i", 21000))
    body += _attribute(0x37, "", b"") + _attribute(0x37, "", b"")
    body += _attribute(0x35, "printer-state-message", b"\x00\x02en\x00\x05Jam!!")
    body += _attribute(0x22, "printer-is-accepting-jobs", b"\x01")
    supply = b"type=toner;maxcapacity=200;level=50;colorantname=black;"
    body += _attribute(0x30, "printer-supply", supply)
    body += _attribute(0x41, "printer-supply-description", b"Black Toner")
    body += b"\x03"
    status, attributes = device.parse_response(body)
    assert status == 0
    assert attributes["printer-state"] == [4]
    assert attributes["printer-state-reasons"] == ["media-jam-warning", "toner-low-report"]
    assert attributes["printer-state-message"] == ["Jam!!"]
    assert attributes["printer-is-accepting-jobs"] == [True]
    assert "media-col-ready" not in attributes
    assert "x-dimension" not in attributes
    [toner] = device.markers_from(attributes)
    assert (toner.name, toner.level, toner.kind) == ("Black Toner", 25, "toner")
    with pytest.raises(ValueError, match="truncated"):
        device.parse_response(body[:30])


def test_a_device_that_does_not_listen_is_unreachable() -> None:
    answer = device.query(f"ipp://127.0.0.1:{free_port()}/ipp/print", 1.0)
    assert (answer.reachable, answer.answered) == (False, False)
