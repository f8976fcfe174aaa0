"""Soak the kiosk: many whole visits in one process, counting memory, files and sheets.

Run from the repository root:

    .venv/bin/python benchmarks/soak.py [--visits 1000] [--every 100] [--print]

The real kiosk window (`main_window()`;
1920x1080, offscreen: QT_QPA_PLATFORM=offscreen, with XDG_CONFIG_HOME and XDG_DATA_HOME
and the data folder in a fresh temporary folder) is driven
through whole visits, as a client's taps would: attract, consent, every question (the worked
example, with the age and the loss tolerance varied so that every sheet differs), the result,
then "export" (default: the sheet stays in the outbox) or, with --print, "print" on the CUPS
queue "kiosk-pdf" (cups-pdf writes root's jobs to /root/PDF), the message, back to the result,
finish, a rating of 5 and the thanks screen, which wipes the visit (the session log records it
through the background worker). Options move on at once (`question_pages.HIGHLIGHT_MS = 0`).

After one warm-up visit, every --every visits and at the end, with the background work done
(`window.tasks.pending == 0`), it prints: visits done, RSS, open file descriptors, the size
of the session log (sessions.sqlite3 and its -wal file), the rows of its visits table (read
by a separate read-only connection), the sheets in the outbox, with --print the new PDFs in
/root/PDF named after this kiosk's sheets, and visits per second. At the end, after
`window.shutdown()` (pending writes finished, the database closed): the growth of RSS (goal
<= 10 MB) and of file descriptors (goal: none) after the warm-up, and whether every sheet is
accounted for: one visits row, one outbox sheet and (with --print) one printed PDF per visit,
the warm-up included. The print queue is shared (the test suite prints sheets numbered from
0001 too, and stops the queue on purpose): printed PDFs are matched to this run's sheet
numbers, each counted once, and any more PDFs of the same names are only reported.

It never fails on speed. It exits 1 only when something does not work: a tap that does not
lead where it should, a visit that scores differently from the engine, a sheet that was not
exported or printed, an error logged by the kiosk, or sheets unaccounted for.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_HOME = tempfile.mkdtemp(prefix="kiosk-soak-")
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data-home")

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402

from kiosk.engine import default_resources_dir, score  # noqa: E402
from kiosk.storage.outbox import Outbox  # noqa: E402
from kiosk.storage.sessions import DB_FILE  # noqa: E402
from kiosk.ui import main_window, question_pages  # noqa: E402
from kiosk.ui.app import ensure_app  # noqa: E402
from kiosk.ui.driver import DriverError, VisitDriver, wait_until  # noqa: E402
from kiosk.ui.operations import visit_sheet  # noqa: E402
from kiosk.ui.visit import ATTRACT, MESSAGE, RESULT, THANKS  # noqa: E402
from kiosk.ui.window import KioskWindow  # noqa: E402

WIDTH, HEIGHT = 1920, 1080
PRINTER = "kiosk-pdf"
PDF_FOLDER = Path("/root/PDF")
RSS_GOAL_MB = 10.0
TASKS_TIMEOUT_S = 90.0
PRINTED_TIMEOUT_S = 60.0
SHEET_IN_NAME = re.compile(r"([A-Za-z0-9]{1,16}-\d{8}-\d{4,})")
"""cups-pdf names its file after the job's title, the sheet number, and adds its own suffix."""
QT_NOTICE = "This plugin does not support propagateSizeHints"
"""The offscreen platform's notice on every resize of a layout: noise here."""


class SoakError(Exception):
    """A visit did not go as a client's taps should have made it go."""


class LogCounter(logging.Handler):
    """Keeps the kiosk's warnings and errors (instead of printing each to stderr)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if QT_NOTICE not in record.getMessage():
            self.records.append(record)

    def messages(self, low: int, high: int) -> list[str]:
        """Messages logged at a level from `low` up to (not including) `high`."""
        return [f"{r.name}: {r.getMessage()}" for r in self.records if low <= r.levelno < high]


@dataclass(frozen=True)
class Sample:
    visits: int
    at: float
    rss_mb: float
    fds: int
    db_kb: float
    rows: int
    outbox: int
    printed: int | None


# ---------------------------------------------------------------------- figures


def rss_mb() -> float:
    """VmRSS of this process, in MB."""
    for line in Path("/proc/self/status").read_text("ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SoakError("/proc/self/status has no VmRSS line")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def db_kb(data: Path) -> float:
    files = (data / DB_FILE, data / f"{DB_FILE}-wal")
    return sum(path.stat().st_size for path in files if path.exists()) / 1024


def visit_rows(data: Path) -> int:
    """Rows in the visits table, through a read-only connection of its own."""
    db = sqlite3.connect(f"{(data / DB_FILE).as_uri()}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM visits").fetchone()[0])
    finally:
        db.close()


def outbox_sheets(data: Path) -> int:
    return len(list(Outbox(data).folder.glob("*.pdf")))


def pdf_names(mark: str) -> set[str]:
    """The PDFs cups-pdf wrote whose names contain `mark`."""
    if not PDF_FOLDER.is_dir():
        return set()
    return {p.name for p in PDF_FOLDER.iterdir() if mark in p.name and p.suffix == ".pdf"}


def sample(visits: int, data: Path, printed: int | None) -> Sample:
    at, rows = time.monotonic(), visit_rows(data)
    # Counted after the read-only connection: SQLite keeps its closed file open while the
    # kiosk's connection holds locks on the same file (closing it would drop those POSIX
    # locks), and reuses it next time; counted first, that one file would look like growth.
    return Sample(
        visits=visits,
        at=at,
        rss_mb=rss_mb(),
        fds=open_fds(),
        db_kb=db_kb(data),
        rows=rows,
        outbox=outbox_sheets(data),
        printed=printed,
    )


HEADER = (
    f"{'visits':>7} {'RSS MB':>8} {'fds':>5} {'DB KB':>9} {'rows':>6} {'outbox':>7} "
    f"{'printed':>8} {'visits/s':>9} {'overall/s':>10}"
)


def row(now: Sample, previous: Sample | None, first: Sample) -> str:
    printed = "-" if now.printed is None else str(now.printed)
    rate = overall = "-"
    if previous is not None and now.at > previous.at:
        rate = f"{(now.visits - previous.visits) / (now.at - previous.at):.2f}"
    if now.at > first.at:
        overall = f"{(now.visits - first.visits) / (now.at - first.at):.2f}"
    return (
        f"{now.visits:>7} {now.rss_mb:>8.1f} {now.fds:>5} {now.db_kb:>9.1f} {now.rows:>6} "
        f"{now.outbox:>7} {printed:>8} {rate:>9} {overall:>10}"
    )


# ---------------------------------------------------------------------- visits


def answers_for(base: dict[str, object], number: int) -> dict[str, object]:
    """The worked example with an age (18-100) and a loss tolerance (0-100) of its own."""
    return base | {"age": 18 + (number * 37) % 83, "loss_tolerance_pct": (number * 53) % 101}


class Soak:
    """One kiosk window driven visit after visit, with what the visits gave."""

    def __init__(self, window: KioskWindow, data: Path, *, printing: bool) -> None:
        self.window = window
        self.driver = VisitDriver(window)
        self.data = data
        self.action = "result.print" if printing else "result.export"
        self.wanted = "printed" if printing else "exported"
        self.mark = f"{window.settings.branch.code}-" if printing else ""
        self.pdfs_before = pdf_names(self.mark) if printing else set()
        self.base: dict[str, object] = json.loads(
            (default_resources_dir() / "examples" / "worked_example.json").read_text("utf-8")
        )
        self.outcomes: Counter[str] = Counter()
        self.failed: list[str] = []
        """Numbers of the sheets that were not printed (or exported), as the kiosk said."""
        self.cut_short = 0
        self.done = 0
        """Visits after the warm-up."""
        self.samples: list[Sample] = []
        self.problems: list[str] = []

    def printed(self) -> int | None:
        """New PDFs of this kiosk's sheets in /root/PDF; None without --print."""
        return len(pdf_names(self.mark) - self.pdfs_before) if self.mark else None

    def visit(self, number: int) -> None:
        """Attract to attract, answering with the visit's own age and loss tolerance."""
        window, driver = self.window, self.driver
        if driver.screen != ATTRACT:
            raise SoakError(f"a visit started on {driver.screen!r}, not the attract screen")
        answers = answers_for(self.base, number)
        profile = driver.visit(answers)
        expected = score(window.questionnaire, answers)
        if profile.to_json_dict() != expected.to_json_dict():
            raise SoakError(f"the screens scored {answers} differently from the engine")
        driver.tap_and_wait(self.action)
        driver.wait_for(MESSAGE)
        outcome = window.visit.outcome or "(none)"
        self.outcomes[outcome] += 1
        sheet = visit_sheet(window.visit)
        if outcome != self.wanted and sheet is not None:
            self.failed.append(sheet.number)
        driver.tap_and_wait("print.done")
        if driver.screen != RESULT:
            raise SoakError(f"the message led to {driver.screen!r}, not the result")
        driver.tap_and_wait("result.finish")
        driver.tap_and_wait("rating.5")
        if driver.screen == ATTRACT:
            self.cut_short += 1  # an earlier visit's thanks timer ended this thanks screen
        elif driver.screen != THANKS:
            raise SoakError(f"the rating led to {driver.screen!r}, not the thanks screen")
        else:
            driver.tap_and_wait("thanks.done")
        if driver.screen != ATTRACT:
            raise SoakError(f"the visit ended on {driver.screen!r}, not the attract screen")

    def measure(self) -> None:
        """With the background work done: one line of figures."""
        wait_until(lambda: self.window.tasks.pending == 0, TASKS_TIMEOUT_S)
        now = sample(self.done, self.data, self.printed())
        previous = self.samples[-1] if self.samples else None
        self.samples.append(now)
        print(row(now, previous, self.samples[0]), flush=True)

    def run(self, visits: int, every: int) -> None:
        """The warm-up, then `visits` visits; stops at the first one that goes wrong."""
        try:
            start = time.monotonic()
            self.visit(0)
            wait_until(lambda: self.window.tasks.pending == 0, TASKS_TIMEOUT_S)
            print(f"warm-up visit: {time.monotonic() - start:.2f} s")
            print(HEADER)
            self.measure()
            for number in range(1, visits + 1):
                self.visit(number)
                self.done = number
                if number % every == 0 or number == visits:
                    self.measure()
        except (SoakError, DriverError) as exc:
            self.problems.append(f"visit {self.done + 1} after the warm-up: {exc}")
            print(f"stopped: {self.problems[-1]}", flush=True)
            try:
                self.measure()
            except (SoakError, DriverError) as again:
                self.problems.append(f"after the failed visit: {again}")

    def finish(self) -> None:
        """Shut the window down, then count what the visits left behind."""
        self.window.shutdown()
        total = self.done + 1
        rows, outbox = visit_rows(self.data), outbox_sheets(self.data)
        checks = [("visits rows", rows), ("outbox sheets", outbox)]
        printed = ""
        if self.mark:
            ours, new = self.check_printed(total)
            checks.append(("printed PDFs", ours))
            printed = f", {ours} of its sheets printed ({new} new PDFs named {self.mark}*)"
        print(
            f"after shutdown: {rows} visits rows, DB {db_kb(self.data):.1f} KB, {outbox} sheets "
            f"in the outbox{printed}"
        )
        self.report_growth()
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())))
        if self.outcomes[self.wanted] != total:
            missing = total - self.outcomes[self.wanted]
            self.problems.append(f"{missing} of {total} sheets were not {self.wanted}")
        wrong = [f"{name} {count} != {total}" for name, count in checks if count != total]
        if wrong:
            self.problems.append("sheets unaccounted for: " + "; ".join(wrong))
            print(f"sheets: NOT all accounted for ({'; '.join(wrong)}; {self.done} visits + 1)")
        else:
            names = ", ".join(name for name, _count in checks)
            print(f"sheets: all accounted for ({names} == {total} = {self.done} visits + 1)")
        if self.cut_short:
            print(
                f"note: {self.cut_short} thanks screens were already gone when tapped "
                "(an earlier visit's thanks timer ended them)"
            )

    def check_printed(self, total: int) -> tuple[int, int]:
        """Printed PDFs of this run's sheets, each counted once (waits up to 60 s for
        cups-pdf); says which are missing and what else appeared under the same names."""
        ours = set(Outbox(self.data).numbers())
        deadline = time.monotonic() + PRINTED_TIMEOUT_S
        while True:
            new = pdf_names(self.mark) - self.pdfs_before
            numbers = [m.group(1) for name in new if (m := SHEET_IN_NAME.search(name))]
            printed = set(numbers) & ours
            if len(printed) >= total or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # cups-pdf may still be writing the last jobs
        if missing := sorted(ours - printed):
            shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
            print(f"not printed: {len(missing)} of this run's sheets: {shown}")
        if extra := len(new) - len(printed):
            # The queue is shared: other processes (the test suite) print sheets whose
            # numbers start again at 0001 in their own data folders, under the same names.
            twice = Counter(n for n in numbers if n in ours)
            print(
                f"note: {extra} more new PDFs named {self.mark}* than sheets of this run were "
                f"printed; numbers seen more than once: "
                + (", ".join(f"{n} x{c}" for n, c in sorted(twice.items()) if c > 1) or "none")
                + "; other jobs on the shared queue, or sheets printed twice"
            )
        if late := sorted(set(self.failed) & printed):
            print(
                f"note: {len(late)} sheets the kiosk reported as not printed were printed "
                f"after all: {', '.join(late[:5])} (the job stayed in the queue)"
            )
        return len(printed), len(new)

    def report_growth(self) -> None:
        if len(self.samples) < 2:
            return
        first, last = self.samples[0], self.samples[-1]
        middle = min(self.samples, key=lambda s: abs(s.visits - last.visits / 2))
        print(
            f"RSS growth after warm-up: {last.rss_mb - first.rss_mb:+.1f} MB over "
            f"{last.visits} visits (goal <= {RSS_GOAL_MB:g} MB); from visit {middle.visits}: "
            f"{last.rss_mb - middle.rss_mb:+.1f} MB"
        )
        print(f"fd growth after warm-up: {last.fds - first.fds:+d} (goal: none)")
        elapsed = last.at - first.at
        if elapsed > 0:
            print(f"rate: {last.visits / elapsed:.2f} visits/s ({last.visits} in {elapsed:.1f} s)")


def report_log(counter: LogCounter) -> list[str]:
    """The kiosk's warnings and errors; the errors are problems."""
    errors = counter.messages(logging.ERROR, logging.CRITICAL + 1)
    warnings = counter.messages(logging.WARNING, logging.ERROR)
    print(f"kiosk log: {len(errors)} errors, {len(warnings)} warnings")
    for message, count in Counter(errors + warnings).most_common(5):
        print(f"  {count} x {message}")
    return [f"the kiosk logged {len(errors)} errors, first: {errors[0]}"] if errors else []


def open_window(home: Path, *, printing: bool) -> KioskWindow:
    """The kiosk window on its own settings file and data folder, shown at 1920x1080."""
    settings = home / "settings.toml"
    text = f"[storage]\ndata_dir = {json.dumps(str(home / 'data'))}\n"
    if printing:
        text += f'\n[printing]\nprinter = "{PRINTER}"\n'
    settings.write_text(text, "utf-8")
    app = ensure_app()
    window = main_window(settings)
    if not isinstance(window, KioskWindow):
        raise SoakError(f"main_window() gave a {type(window).__name__}, not the kiosk")
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    question_pages.HIGHLIGHT_MS = 0
    return window


# ---------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000, help="visits after the warm-up")
    parser.add_argument("--every", type=int, default=100, help="print figures every N visits")
    parser.add_argument("--print", action="store_true", help=f"print on {PRINTER}, not export")
    args = parser.parse_args(argv)
    if args.visits < 1 or args.every < 1:
        parser.error("--visits and --every must be at least 1")

    home = Path(_HOME)
    counter = LogCounter()
    logging.getLogger("kiosk").addHandler(counter)
    try:
        window = open_window(home, printing=args.print)
    except SoakError as exc:
        print(f"soak failed: {exc}\ndata kept for a look: {home}", file=sys.stderr)
        return 1
    mode = f"print on {PRINTER}" if args.print else "export"
    print(
        f"soak: {args.visits} visits ({mode}) after 1 warm-up, figures every {args.every}; "
        f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}"
    )
    soak = Soak(window, home / "data", printing=args.print)
    soak.run(args.visits, args.every)
    soak.finish()
    problems = soak.problems + report_log(counter)

    sys.stdout.flush()
    for problem in problems:
        print(f"functional problem: {problem}", file=sys.stderr)
    if problems:
        print(f"data kept for a look: {home}", file=sys.stderr)
    else:
        atexit.register(shutil.rmtree, home, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
