"""Benchmark `kiosk segment` (SPEC §17) on a branch's client list of 100,000 rows.

Run from the repository root:

    .venv/bin/python benchmarks/segment.py [--rows N] [--repeat R]

Defaults: N=100000 clients, best of R=5. It writes a seeded random client list (client
references with leading zeros and of 18 digits, capital, turnover, a Chinese name and a
phone number) to a temporary folder, then:

* CSV → CSV, in this one process, taking turns so a busy machine slows both alike:
  `detect` + `segment_list` (the whole of `kiosk segment` but the argument parsing)
  against Python's own `csv` module reading the same file and writing every row back
  (UTF-8 in, UTF-8 with BOM out, as `kiosk segment` does), with four more cells a row.
  Goal: at most 3x. Also the whole `python -m kiosk segment` process, for reference.
* XLSX → XLSX: `kiosk segment` on a workbook of N rows and of N/10 rows, each in a child
  process that reports its peak resident memory (resource.getrusage, ru_maxrss) and its
  time, against openpyxl alone reading the workbook and writing it back in this process.
  Goal: flat memory (the peak hardly grows with the rows), at most 100 MB.

It checks that every row came out with a segment, and exits 1 when a check fails, never
because of speed or memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.engine import load_questionnaire
from kiosk.segment import detect, plan_for, segment_list

SEED = 1234
RATIO_GOAL = 3.0
MEMORY_GOAL_MB = 100.0
HEADER = ["client_ref", "name", "capital_cny", "turnover", "phone"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"

CHILD_CODE = """\
import json, os, resource, sys, time
from pathlib import Path
# Linux carries a process's peak memory over exec: this child's own figure would be the
# benchmark's. So it forks once more, and reads the peak of that fresh grandchild.
read, write = os.pipe()
if os.fork() == 0:
    start = time.perf_counter()
    from kiosk.engine import load_questionnaire
    from kiosk.segment import detect, plan_for, segment_list
    run = segment_list(detect(Path(sys.argv[1])), Path(sys.argv[2]),
                       load_questionnaire().tables, plan_for("zh_CN"))
    os.write(write, json.dumps({"seconds": time.perf_counter() - start,
                                "rows_out": run.rows_out}).encode())
    os._exit(0)
os.close(write)
figures = json.loads(os.read(read, 4096))
os.wait()
figures["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(figures))
"""


def client_rows(count: int) -> list[list[object]]:
    rng = random.Random(SEED)
    rows: list[list[object]] = []
    for number in range(count):
        ref = f"{number:08d}" if number % 3 else f"{310000000000000000 + number}"
        name = rng.choice(SURNAMES) + rng.choice(SURNAMES) + "某"
        capital = round(10 ** rng.uniform(3, 7.5), 2)
        turnover = round(10 ** rng.uniform(-1.5, 1.8), 2)
        rows.append([ref, name, capital, turnover, f"13{rng.randrange(10**9):09d}"])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def openpyxl_copy(source: Path, out: Path) -> None:
    """openpyxl alone: read every row (read-only) and write it back (write-only) with four
    cells more: the floor for XLSX."""
    from openpyxl import Workbook, load_workbook  # noqa: PLC0415

    book = load_workbook(source, read_only=True, data_only=True)
    copy = Workbook(write_only=True)
    sheet = copy.create_sheet()
    added = ["stable_medium", "false", "增值服务", "专业服务"]
    for row in book.worksheets[0].iter_rows(values_only=True):
        sheet.append([*row, *added])
    copy.save(out)
    book.close()


def baseline(source: Path, out: Path) -> int:
    """Python's csv module: read every row, write it back with four cells more, UTF-8
    with a BOM written by hand (as kiosk segment does: the utf-8-sig codec is slower)."""
    added = ["stable_medium", "false", "增值服务", "专业服务"]
    count = 0
    with (
        source.open(encoding="utf-8", newline="") as text,
        out.open("w", encoding="utf-8", newline="") as result,
    ):
        result.write("\ufeff")
        write = csv.writer(result).writerow
        for row in csv.reader(text):
            write(row + added)
            count += 1
    return count - 1


def best_of(repeat: int, tasks: dict[str, Callable[[], object]]) -> dict[str, float]:
    best = dict.fromkeys(tasks, float("inf"))
    for _ in range(repeat):
        for name, task in tasks.items():
            start = time.perf_counter()
            task()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def child(source: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD_CODE, str(source), str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tables = load_questionnaire().tables
    plan = plan_for("zh_CN")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        rows = client_rows(args.rows)
        source = tmp / "clients.csv"
        write_csv(source, rows)
        size_mb = source.stat().st_size / 1e6
        print(f"client list: {args.rows:,} rows, CSV {size_mb:.1f} MB")

        def kiosk() -> None:
            run = segment_list(detect(source), tmp / "out.csv", tables, plan)
            if run.rows_out != args.rows:
                raise SystemExit(f"kiosk segment wrote {run.rows_out} rows, not {args.rows}")

        best = best_of(
            args.repeat,
            {"kiosk": kiosk, "csv": lambda: baseline(source, tmp / "baseline.csv")},
        )
        ratio = best["kiosk"] / best["csv"]
        print(
            f"CSV -> CSV, best of {args.repeat}: kiosk segment {best['kiosk'] * 1000:.0f} ms, "
            f"csv module {best['csv'] * 1000:.0f} ms: {ratio:.2f}x (goal <= {RATIO_GOAL}x)"
        )
        with (tmp / "out.csv").open(encoding="utf-8-sig", newline="") as result:
            out_rows = list(csv.reader(result))
        if len(out_rows) != args.rows + 1 or any(not row[5] for row in out_rows[1:]):
            print("FAILED: the output does not have a segment for every row")
            failed = True
        if out_rows[1][0] != "310000000000000000" or out_rows[2][0] != "00000001":
            print("FAILED: client_ref was not kept verbatim")
            failed = True
        env = {**os.environ, "XDG_CONFIG_HOME": folder, "XDG_DATA_HOME": folder}
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kiosk", "segment", "--in", str(source), "--out",
             str(tmp / "cli.csv")],
            check=True, env=env, capture_output=True, timeout=600,
        )  # fmt: skip
        print(f"whole process python -m kiosk segment: {time.perf_counter() - start:.2f} s")

        for count in (args.rows // 10, args.rows):
            workbook = tmp / f"clients_{count}.xlsx"
            write_xlsx(workbook, rows[:count])
            figures = child(workbook, tmp / f"out_{count}.xlsx")
            if figures["rows_out"] != count:
                print(f"FAILED: XLSX of {count} rows gave {figures['rows_out']} rows")
                failed = True
            start = time.perf_counter()
            openpyxl_copy(workbook, tmp / f"copy_{count}.xlsx")
            floor = time.perf_counter() - start
            print(
                f"XLSX -> XLSX, {count:,} rows ({workbook.stat().st_size / 1e6:.1f} MB): "
                f"{figures['seconds']:.1f} s, peak RSS {figures['peak_mb']:.0f} MB "
                f"(goal <= {MEMORY_GOAL_MB:.0f} MB); openpyxl alone reading and writing it "
                f"{floor:.1f} s: {figures['seconds'] / floor:.2f}x"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
