"""Benchmark `kiosk score --batch` against a plain JSON round trip of the same lines.

Run from the repository root:

    .venv/bin/python benchmarks/score_batch.py [--lines N] [--repeat R]

Defaults: N=20000 answers, best of R=5 runs. The script writes N random but valid answers
objects (seeded, so every run uses the same input) as JSON Lines to a temporary file, then
times two whole processes on that file:

* `python -m kiosk score --batch FILE`, with XDG_CONFIG_HOME and XDG_DATA_HOME pointing at
  a temporary folder so nothing is written to your home;
* a baseline `python -c ...` that only `json.loads` each line and writes it back compactly.

The two take turns (kiosk, baseline, kiosk, …), so a busy machine slows both alike. It
checks that both exit 0 and that kiosk printed one profile per answer, each with its
explanation (SPEC §15), every key in the order of SPEC §10; then reports the wall times,
their ratio (the goal is at most 2.5x), the same for the processes' CPU time, and
in-process figures that show where the time goes: `engine.score` per answer and
`load_questionnaire()`. It never fails because of speed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.engine import Questionnaire, load_questionnaire, score
from tests.helpers import random_answers

SEED = 1234
OPTIONAL_ANSWER_RATE = 0.7
RATIO_GOAL = 2.5
PROFILE_KEYS = (
    "questionnaire",
    "capacity",
    "attitude",
    "allocation",
    "life_stage",
    "life_cycle",
    "segment",
    "explanation",
)
"""Every line's keys, in this order (SPEC §10)."""
EXPLANATION_KEYS = ("limited_by", "near", "checks", "lowest_category")

BASELINE_CODE = """\
import json, sys
out = sys.stdout
with open(sys.argv[1], encoding='utf-8') as lines:
    for line in lines:
        out.write(json.dumps(json.loads(line), separators=(',', ':')))
        out.write('\\n')
out.flush()
"""


class BenchmarkError(Exception):
    """A process failed or printed something other than what was expected."""


# ---------------------------------------------------------------------- input


def write_lines(questionnaire: Questionnaire, count: int, path: Path) -> list[dict[str, int | str]]:
    rng = random.Random(SEED)
    objects = [
        random_answers(questionnaire, rng, optional_rate=OPTIONAL_ANSWER_RATE) for _ in range(count)
    ]
    with path.open("w", encoding="utf-8") as handle:
        for answers in objects:
            handle.write(json.dumps(answers))
            handle.write("\n")
    return objects


# ---------------------------------------------------------------------- processes


def run_timed(
    command: Sequence[str], lines: Path, output: Path, env: dict[str, str]
) -> tuple[float, float, str]:
    """Run one whole process (stdin from the lines file, stdout to a file); its wall time,
    its CPU time (user + system) and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with lines.open("rb") as stdin, output.open("wb") as stdout:
        start = time.perf_counter()
        result = subprocess.run(
            command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, check=False
        )
        elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace").strip()
        raise BenchmarkError(f"{' '.join(command)} exited {result.returncode}: {stderr}")
    return elapsed, cpu, output.read_text("utf-8")


@dataclass
class Best:
    """The best wall and CPU times of one command over its runs, and its last output."""

    wall: float = float("inf")
    cpu: float = float("inf")
    text: str = ""


def best_of_turns(
    repeat: int, commands: Sequence[Sequence[str]], lines: Path, output: Path, env: dict[str, str]
) -> list[Best]:
    """Each command `repeat` times, taking turns; the best times of each."""
    bests = [Best() for _ in commands]
    for _ in range(repeat):
        for command, best in zip(commands, bests, strict=True):
            wall, cpu, best.text = run_timed(command, lines, output, env)
            best.wall, best.cpu = min(best.wall, wall), min(best.cpu, cpu)
    return bests


def check_profiles(text: str, count: int) -> None:
    rows = text.splitlines()
    if len(rows) != count:
        raise BenchmarkError(f"kiosk score --batch printed {len(rows)} lines; expected {count}")
    for number, row in enumerate(rows, start=1):
        try:
            profile = json.loads(row)
        except json.JSONDecodeError as exc:
            raise BenchmarkError(f"output line {number} is not JSON ({exc.msg}): {row!r}") from None
        if not isinstance(profile, dict) or tuple(profile) != PROFILE_KEYS:
            keys = list(profile) if isinstance(profile, dict) else type(profile).__name__
            raise BenchmarkError(
                f"output line {number} has keys {keys}; expected {list(PROFILE_KEYS)}"
            )
        if tuple(profile["explanation"]) != EXPLANATION_KEYS:
            raise BenchmarkError(
                f"output line {number} has the explanation {profile['explanation']}; "
                f"expected the keys {list(EXPLANATION_KEYS)}"
            )


def check_baseline(text: str, count: int) -> None:
    rows = text.count("\n")
    if rows != count:
        raise BenchmarkError(f"the baseline printed {rows} lines; expected {count}")


# ---------------------------------------------------------------------- in process


def score_us_per_answer(questionnaire: Questionnaire, objects: Sequence[object]) -> float:
    start = time.perf_counter()
    for answers in objects:
        score(questionnaire, answers)
    return (time.perf_counter() - start) / len(objects) * 1e6


def load_ms(repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        load_questionnaire()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


# ---------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time kiosk score --batch against a JSON round trip."
    )
    parser.add_argument("--lines", type=int, default=20000, help="answers to score (20000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per process, best kept (5)")
    args = parser.parse_args(argv)
    if args.lines < 1 or args.repeat < 1:
        parser.error("--lines and --repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    count: int = args.lines
    repeat: int = args.repeat
    questionnaire = load_questionnaire()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        folder = Path(tmp)
        lines = folder / "answers.jsonl"
        output = folder / "out.jsonl"
        objects = write_lines(questionnaire, count, lines)
        env = dict(os.environ)
        env["XDG_CONFIG_HOME"] = str(folder / "config")
        env["XDG_DATA_HOME"] = str(folder / "data")

        kiosk_cmd = [sys.executable, "-m", "kiosk", "score", "--batch", str(lines)]
        baseline_cmd = [sys.executable, "-c", BASELINE_CODE, str(lines)]
        try:
            kiosk, baseline = best_of_turns(repeat, [kiosk_cmd, baseline_cmd], lines, output, env)
            check_profiles(kiosk.text, count)
            check_baseline(baseline.text, count)
        except BenchmarkError as exc:
            print(f"score_batch: {exc}", file=sys.stderr)
            return 1

    score_us = score_us_per_answer(questionnaire, objects)
    load = load_ms(repeat)
    ratio = kiosk.wall / baseline.wall
    runs = f"best of {repeat}"
    print(f"lines: {count}")
    print(f"kiosk score --batch: {kiosk.wall:.3f} s ({runs}; CPU {kiosk.cpu:.3f} s)")
    print(f"json round trip baseline: {baseline.wall:.3f} s ({runs}; CPU {baseline.cpu:.3f} s)")
    print(f"ratio: {ratio:.2f}x (goal <= {RATIO_GOAL:g}x)")
    print(f"CPU time ratio: {kiosk.cpu / baseline.cpu:.2f}x")
    print(f"engine.score in process: {score_us:.1f} us/answer; load_questionnaire: {load:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
