"""Benchmark printing a sheet: the kiosk's IPP backend against `lp` of the same PDF, on a
real IPP Everywhere printer (CUPS's simulator ippeveprinter) behind a driverless CUPS queue.

Run as root on Debian from the repository root. It needs CUPS, ippeveprinter and a running
avahi-daemon; scripts/cups.sh starts them (and stops them after):

    bash -c 'source scripts/_bootstrap.sh && source scripts/cups.sh && trap cups_release EXIT
             && ensure_cups && .venv/bin/python benchmarks/print.py'

With avahi-daemon already running, `.venv/bin/python benchmarks/print.py` alone does. Either
way the benchmark starts its own ippeveprinter and queue and removes them at the end, unless
`--queue NAME` names an existing queue (e.g. kiosk-ipp from scripts/cups.sh).

Options: --runs N (default 10); --queue NAME; --printer-time S (default 0.3: each job
takes the simulated printer that long, as a real one takes a moment; with 0 ippeveprinter
finishes some jobs before CUPS's ipp backend first asks and others a poll later, about 1 s,
so both times swing between ~0.13 s and ~1.1 s at random); --ui (also measure what the
issue asks for: tap Print → "please take your sheet" in the real window, offscreen, with
`printing.printer` set to the queue; the tap comes once the result screen has settled, as
a client reads it first: the printer check asked at review and the sheet builder's warm-up
asked at the result have finished).

Each run, alternating which goes first:

* backend: `IppBackend().print_pdf(sheet, queue, number)` from the call until it returns
  the outcome "completed": the printer check before sending, the job, following it by id,
  confirming with the printer's own job history;
* lp: `lp -d QUEUE -o media=iso_a4_210x297mm -o sides=one-sided -t NAME sheet.pdf` until
  CUPS reports that job completed, polled by id over IPP every 0.1 s (the backend's own
  poll interval).

It prints the median and best of each, the ratio of the medians (goal <= 1.3x), the sheet's
size and the size of what the printer received for the backend's job (goal <= 100 KB). It
checks that every job completed and that the printer received a PDF whose text has the
sheet number; it exits 1 when a check fails, never because of speed or size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from kiosk.engine import default_resources_dir, load_questionnaire, score
from kiosk.printing import device, ipp
from kiosk.printing.ipp import IppBackend
from kiosk.report import SheetHeader, build_sheet

ROOT = Path(__file__).resolve().parents[1]
JOB_COMMAND = ROOT / "scripts" / "ipp-job.sh"
EXAMPLE = default_resources_dir() / "examples" / "worked_example.json"
RATIO_GOAL = 1.3
SIZE_GOAL_KB = 100.0
POLL_S = 0.1


class BenchmarkError(Exception):
    """Something does not work: a job did not complete, the printer got no PDF."""


def build(number: str) -> bytes:
    """The worked example's sheet, by the builder `kiosk report` uses."""
    questionnaire = load_questionnaire()
    profile = score(questionnaire, json.loads(EXAMPLE.read_text("utf-8")))
    header = SheetHeader("示例证券 示例营业部", number, datetime.now())
    return build_sheet(questionnaire, profile, header, lang="zh_CN")


@contextmanager
def own_printer(work: Path, printer_time_s: float) -> Iterator[tuple[str, Path]]:
    """An ippeveprinter on a free port and a driverless queue for it: (queue, spool)."""
    if shutil.which("ippeveprinter") is None:
        raise BenchmarkError("ippeveprinter is not installed (Debian: cups-ipp-utils)")
    if subprocess.run(["avahi-daemon", "--check"], check=False).returncode != 0:
        raise BenchmarkError(
            "avahi-daemon is not running (ippeveprinter needs it): run this through "
            "scripts/cups.sh's ensure_cups, see the top of this file"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    spool = work / "spool"
    spool.mkdir()
    (work / "control").write_text(f"sleep {printer_time_s:g}\n", "utf-8")  # scripts/ipp-job.sh
    queue = f"kiosk-bench-{os.getpid()}"
    uri = f"ipp://localhost:{port}/ipp/print"
    log = (work / "ippeveprinter.log").open("wb")
    process = subprocess.Popen(
        [
            *("ippeveprinter", "-p", str(port), "-k", "-d", str(spool), "-c", str(JOB_COMMAND)),
            *("-f", "application/pdf,image/pwg-raster", f"Kiosk Bench {port}"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "KIOSK_IPP_CONTROL": str(work / "control")},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not device.query(uri, 1.0).answered:
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchmarkError(f"ippeveprinter did not start; see {log.name}")
            time.sleep(0.1)
        subprocess.run(
            ["lpadmin", "-p", queue, "-v", uri, "-m", "everywhere", "-E"],
            check=True,
            capture_output=True,
        )
        yield queue, spool
    finally:
        subprocess.run(["cancel", "-a", queue], capture_output=True, check=False)
        subprocess.run(["lpadmin", "-x", queue], capture_output=True, check=False)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


def with_backend(pdf: bytes, queue: str, number: str) -> tuple[float, int]:
    started = time.perf_counter()
    outcome = IppBackend(poll_s=POLL_S).print_pdf(pdf, queue, number, 60)
    took = time.perf_counter() - started
    if not outcome.ok or outcome.job_id is None:
        raise BenchmarkError(f"the backend's job did not complete: {outcome}")
    return took, outcome.job_id


def with_lp(path: Path, queue: str, name: str) -> tuple[float, int]:
    import cups  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

    started = time.perf_counter()
    done = subprocess.run(
        [
            *("lp", "-d", queue, "-o", "media=iso_a4_210x297mm", "-o", "sides=one-sided"),
            *("-t", name, str(path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"lp failed: {done.stderr.strip()}")
    job_id = int(done.stdout.split()[3].rsplit("-", 1)[1])  # "request id is Q-12 (1 file(s))"
    connection = cups.Connection()
    while True:
        state = connection.getJobAttributes(job_id, requested_attributes=["job-state"])
        if state["job-state"] == cups.IPP_JOB_COMPLETED:
            return time.perf_counter() - started, job_id
        if state["job-state"] in (cups.IPP_JOB_CANCELED, cups.IPP_JOB_ABORTED):
            raise BenchmarkError(f"lp's job {job_id} did not complete: {state}")
        time.sleep(POLL_S)


def received(spool: Path, name: str, before: set[Path]) -> Path:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        new = [p for p in spool.glob("*.pdf") if p not in before and name.lower() in p.name]
        if new:
            return new[0]
        time.sleep(0.05)
    raise BenchmarkError(f"the printer kept no PDF named {name} in {spool}")


def through_the_window(queue: str, runs: int, work: Path) -> list[float]:
    """Tap Print → "please take your sheet", in the real window (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ["XDG_DATA_HOME"] = str(work / "data")
    from kiosk.ui import main_window, question_pages  # noqa: PLC0415 - Qt only with --ui
    from kiosk.ui.app import ensure_app  # noqa: PLC0415
    from kiosk.ui.driver import VisitDriver, wait_until  # noqa: PLC0415
    from kiosk.ui.window import KioskWindow  # noqa: PLC0415

    ensure_app()
    question_pages.HIGHLIGHT_MS = 0
    settings = work / "settings.toml"
    settings.write_text(
        f'[storage]\ndata_dir = "{work / "kiosk-data"}"\n[printing]\nprinter = "{queue}"\n',
        "utf-8",
    )
    window = main_window(settings)
    if not isinstance(window, KioskWindow):
        raise BenchmarkError(f"the kiosk did not start: {type(window).__name__}")
    window.resize(1920, 1080)
    window.show()
    answers = json.loads(EXAMPLE.read_text("utf-8"))
    times = []
    try:
        for _ in range(runs):
            drive = VisitDriver(window)
            drive.visit(answers)
            wait_until(lambda: window.tasks.pending == 0, 30)  # the client reads the result
            started = time.perf_counter()
            drive.tap("result.print")
            drive.wait_for("message", 60)
            times.append(time.perf_counter() - started)
            message = drive.text("print.message")
            if not message.startswith("请从打印机取走"):
                raise BenchmarkError(f"the window did not print: {message}")
            for tap in ("print.done", "result.finish", "rating.skip", "thanks.done"):
                drive.tap_and_wait(tap)
    finally:
        window.exit_to_desktop()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--queue", default="", help="an existing queue (default: start one)")
    parser.add_argument("--printer-time", type=float, default=0.3, help="seconds per job")
    parser.add_argument("--ui", action="store_true", help="also tap Print in the window")
    args = parser.parse_args(argv)
    if not ipp.available():
        print("pycups is not installed", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-print-"))
    try:
        if args.queue:  # scripts/cups.sh's kiosk-ipp: its spool and control are known
            spool = None
            if os.environ.get("KIOSK_IPP_QUEUE") == args.queue:
                spool = Path(os.environ["KIOSK_IPP_SPOOL"])
                control = Path(os.environ["KIOSK_IPP_CONTROL"])
                control.write_text(f"sleep {args.printer_time:g}\n", "utf-8")
            return run(args, args.queue, spool, work)
        with own_printer(work, args.printer_time) as (queue, spool):
            return run(args, queue, spool, work)
    except (BenchmarkError, subprocess.CalledProcessError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, queue: str, spool: Path | None, work: Path) -> int:
    number = f"0000-{datetime.now():%Y%m%d}-9{os.getpid() % 1000:03d}"
    pdf = build(number)
    path = work / f"{number}.pdf"
    path.write_bytes(pdf)
    # One untimed job each, so that CUPS, the filters and the printer are warm.
    with_backend(pdf, queue, f"{number}-warm")
    with_lp(path, queue, f"{number}-warm-lp")
    ours: list[float] = []
    theirs: list[float] = []
    got: list[int] = []
    for n in range(args.runs):
        before = set(spool.glob("*.pdf")) if spool else set()
        name = f"{number}-{n}"
        if n % 2:
            theirs.append(with_lp(path, queue, f"{name}-lp")[0])
            ours.append(with_backend(pdf, queue, name)[0])
        else:
            ours.append(with_backend(pdf, queue, name)[0])
            theirs.append(with_lp(path, queue, f"{name}-lp")[0])
        if spool:
            kept = received(spool, name + ".pdf", before)
            if number not in "".join(page.extract_text() for page in PdfReader(kept).pages):
                raise BenchmarkError(f"{kept} does not have the sheet number")
            got.append(kept.stat().st_size)
    window = through_the_window(queue, args.runs, work) if args.ui else []

    def line(label: str, times: list[float]) -> str:
        return (
            f"{label:<46} median {statistics.median(times) * 1000:7.1f} ms"
            f"   mean {statistics.mean(times) * 1000:7.1f} ms"
            f"   best {min(times) * 1000:7.1f} ms"
        )

    ratio = statistics.median(ours) / statistics.median(theirs)
    print(
        f"queue {queue}, {args.runs} runs each, alternating; poll every {POLL_S:g} s;"
        f" the printer takes {args.printer_time:g} s a job"
    )
    print(line("kiosk backend (check, job, follow by id)", ours))
    print(line("lp + poll the job until completed", theirs))
    print(f"{'ratio backend / lp (medians)':<46} {ratio:.2f}x   (goal <= {RATIO_GOAL}x)")
    if window:
        print(line("window: tap Print -> 'please take your sheet'", window))
        ui_ratio = statistics.median(window) / statistics.median(theirs)
        print(f"{'ratio window / lp (medians)':<46} {ui_ratio:.2f}x   (goal <= {RATIO_GOAL}x)")
    print(f"{'the sheet (sent as it is)':<46} {len(pdf) / 1024:7.1f} KB")
    if got:
        print(
            f"{'received by the printer (largest)':<46} {max(got) / 1024:7.1f} KB"
            f"   (goal <= {SIZE_GOAL_KB:g} KB)"
        )
    else:
        print("received by the printer: unknown (its spool folder is not known for this queue)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
