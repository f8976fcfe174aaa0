"""Benchmark the recommendation sheet (PDF): build times, file sizes, `kiosk report` start-up.

Run from the repository root:

    .venv/bin/python benchmarks/sheet.py [--builds N]

Default: N=50 warm builds per variant. The script scores the worked example
(resources/examples/worked_example.json) and reports:

* in this process: the time of `import kiosk.report` (reportlab), of the first
  `register_fonts()` call and of the first (cold) `build_sheet`; then mean, p50 and p95 of
  N warm builds for zh_CN, en and zh_CN with the staff copy (the goal: p95 <= 100 ms);
* the size of each of those PDFs (the goal is < 300 KB);
* the peak resident memory of this process after the builds;
* whole processes, best and mean of 3 runs each: `python -c pass`, `python -m kiosk
  --version` and a cold `python -m kiosk report --answers EXAMPLE --out TMP/sheet.pdf`, with
  XDG_CONFIG_HOME and XDG_DATA_HOME pointing at a temporary folder so nothing is written to
  your home, and the ratios between them.

It checks that every PDF starts with %PDF, ends with %%EOF and has the expected number of
pages, and that every process exits 0; it exits 1 if one of these checks fails. It never
fails because of speed or size: the goals are only printed next to the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.engine import Profile, Questionnaire, default_resources_dir, load_questionnaire, score

WARM_GOAL_MS = 100.0
"""p95 of a warm build of the client's sheet (issue 15); the staff copy adds a page."""
SIZE_GOAL_KB = 300.0
PROCESS_RUNS = 3
BRANCH_NAME = "示例证券 示例营业部"
SHEET_NUMBER = "0000-20261125-0001"
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class BenchmarkError(Exception):
    """Something is functionally broken: a process failed or a PDF is not a PDF."""


@dataclass(frozen=True)
class Variant:
    """One kind of sheet to build: its label, language, staff copy and page count."""

    label: str
    lang: str
    staff_copy: bool
    pages: int


VARIANTS = (
    Variant("zh_CN", "zh_CN", staff_copy=False, pages=1),
    Variant("en", "en", staff_copy=False, pages=1),
    Variant("zh_CN+staff", "zh_CN", staff_copy=True, pages=2),
)


# ---------------------------------------------------------------------- helpers


def worked_example() -> Path:
    return default_resources_dir() / "examples" / "worked_example.json"


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1e3


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (like numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def check_pdf(pdf: bytes, what: str, pages: int) -> None:
    if not pdf:
        raise BenchmarkError(f"{what}: the PDF is empty")
    if not pdf.startswith(b"%PDF"):
        raise BenchmarkError(f"{what}: does not start with %PDF: {pdf[:16]!r}")
    if not pdf.rstrip().endswith(b"%%EOF"):
        raise BenchmarkError(f"{what}: does not end with %%EOF: {pdf[-16:]!r}")
    found = len(PAGE_OBJECT.findall(pdf))
    if found != pages:
        raise BenchmarkError(f"{what}: has {found} pages; expected {pages}")


def peak_rss_mb() -> float:
    """This process's peak resident memory (not its children's: on Linux a child's figure
    starts from the parent's at fork/exec, so it would not measure `kiosk report` alone)."""
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------------- in process


@dataclass(frozen=True)
class InProcess:
    import_ms: float
    fonts_ms: float
    cold_ms: float
    warm_ms: dict[str, list[float]]
    size_bytes: dict[str, int]


def measure_in_process(questionnaire: Questionnaire, profile: Profile, builds: int) -> InProcess:
    start = time.perf_counter()
    # Imported here to time it: reportlab is the bulk of the sheet's start-up.
    from kiosk.report import SheetHeader, build_sheet, register_fonts  # noqa: PLC0415

    import_ms = ms_since(start)

    start = time.perf_counter()
    register_fonts()
    fonts_ms = ms_since(start)

    header = SheetHeader(
        branch_name=BRANCH_NAME, sheet_number=SHEET_NUMBER, issued_at=datetime.now()
    )

    def build(variant: Variant) -> bytes:
        return build_sheet(
            questionnaire, profile, header, lang=variant.lang, staff_copy=variant.staff_copy
        )

    first = VARIANTS[0]
    start = time.perf_counter()
    pdf = build(first)
    cold_ms = ms_since(start)
    check_pdf(pdf, f"cold build {first.label}", first.pages)

    warm_ms: dict[str, list[float]] = {}
    size_bytes: dict[str, int] = {}
    for variant in VARIANTS:
        build(variant)  # not counted: the first build of each variant warms its caches
        times: list[float] = []
        for _ in range(builds):
            start = time.perf_counter()
            pdf = build(variant)
            times.append(ms_since(start))
            check_pdf(pdf, f"warm build {variant.label}", variant.pages)
        warm_ms[variant.label] = times
        size_bytes[variant.label] = len(pdf)
    return InProcess(import_ms, fonts_ms, cold_ms, warm_ms, size_bytes)


# ---------------------------------------------------------------------- processes


@dataclass(frozen=True)
class ProcessTimes:
    best_s: float
    mean_s: float


def time_process(
    command: Sequence[str], env: dict[str, str], check: Callable[[], None] | None = None
) -> ProcessTimes:
    """Run one whole process PROCESS_RUNS times; it must exit 0 (and pass `check`)."""
    times: list[float] = []
    for _ in range(PROCESS_RUNS):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            stderr = result.stderr.decode("utf-8", "replace").strip()
            raise BenchmarkError(f"{' '.join(command)} exited {result.returncode}: {stderr}")
        if check is not None:
            check()
    return ProcessTimes(min(times), statistics.fmean(times))


def measure_processes(folder: Path) -> dict[str, ProcessTimes]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    env["XDG_DATA_HOME"] = str(folder / "data")
    out = folder / "sheet.pdf"

    def check_report() -> None:
        if not out.is_file():
            raise BenchmarkError(f"kiosk report wrote no {out}")
        check_pdf(out.read_bytes(), "kiosk report", pages=1)
        out.unlink()

    python = sys.executable
    report = [python, "-m", "kiosk", "report", "--answers", str(worked_example()), "--out"]
    return {
        "python -c pass": time_process([python, "-c", "pass"], env),
        "kiosk --version": time_process([python, "-m", "kiosk", "--version"], env),
        "kiosk report": time_process([*report, str(out)], env, check_report),
    }


# ---------------------------------------------------------------------- report


def print_report(builds: int, measured: InProcess, rss_mb: float) -> None:
    print(f"sheet benchmark: worked example, {builds} warm builds per variant")
    print(f"import kiosk.report (reportlab): {measured.import_ms:.1f} ms")
    print(f"register_fonts (first call): {measured.fonts_ms:.1f} ms")
    print(f"first build {VARIANTS[0].label} (cold): {measured.cold_ms:.1f} ms")
    for label, times in measured.warm_ms.items():
        print(
            f"warm build {label}: mean {statistics.fmean(times):.1f} ms,"
            f" p50 {percentile(times, 0.50):.1f} ms, p95 {percentile(times, 0.95):.1f} ms,"
            f" max {max(times):.1f} ms (goal: p95 <= {WARM_GOAL_MS:g} ms)"
        )
    for label, size in measured.size_bytes.items():
        print(f"size {label}: {size / 1024:.1f} KB (goal < {SIZE_GOAL_KB:g} KB)")
    print(f"peak RSS after the builds: {rss_mb:.1f} MB")


def print_processes(times: dict[str, ProcessTimes]) -> None:
    print(f"whole processes (best / mean of {PROCESS_RUNS}):")
    width = max(len(name) for name in times)
    for name, measured in times.items():
        print(
            f"  {name:<{width}}  {measured.best_s * 1e3:7.1f} ms / {measured.mean_s * 1e3:7.1f} ms"
        )
    bare = times["python -c pass"].best_s
    version = times["kiosk --version"].best_s
    report = times["kiosk report"].best_s
    print(
        f"ratios (best): kiosk report / python -c pass {report / bare:.1f}x,"
        f" kiosk report / kiosk --version {report / version:.1f}x,"
        f" kiosk --version / python -c pass {version / bare:.1f}x"
    )


# ---------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time and size the recommendation sheet.")
    parser.add_argument("--builds", type=int, default=50, help="warm builds per variant (50)")
    args = parser.parse_args(argv)
    if args.builds < 1:
        parser.error("--builds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    builds: int = args.builds
    questionnaire = load_questionnaire()
    answers = json.loads(worked_example().read_text("utf-8"))
    profile = score(questionnaire, answers)
    try:
        measured = measure_in_process(questionnaire, profile, builds)
        rss_mb = peak_rss_mb()
        print_report(builds, measured, rss_mb)
        sys.stdout.flush()
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
            times = measure_processes(Path(tmp))
    except BenchmarkError as exc:
        print(f"sheet: {exc}", file=sys.stderr)
        return 1
    print_processes(times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
