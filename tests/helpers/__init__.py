"""Helpers the tests share: run the real command line, build answers that hit a score."""

from __future__ import annotations

import contextlib
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.engine import Questionnaire, default_resources_dir

WORKED_EXAMPLE = default_resources_dir() / "examples" / "worked_example.json"
"""SPEC §10's worked example (its answers; tests.helpers.ui.EXAMPLE has them read)."""

# SPEC §10's worked example, as printed (the sha256 aside, which depends on the data files).
SPEC_PROFILE: dict[str, object] = {
    "questionnaire": {"id": "branch-risk-profile", "version": "1.0.0"},
    "capacity": {
        "score": 67,
        "level": "mid_high",
        "points": {"age": 37, "job": 8, "burden": 6, "housing": 6, "experience": 6, "knowledge": 4},
    },
    "attitude": {
        "score": 58,
        "level": "mid",
        "points": {
            "loss_tolerance_pct": 24,
            "priority": 6,
            "stop_loss": 6,
            "if_loss": 6,
            "watch_market": 6,
            "performance": 10,
        },
    },
    "allocation": {"low_risk": 0, "medium_risk": 40, "high_risk": 60},
    "life_stage": "adult",
    "life_cycle": "full_nest_2",
    "segment": {
        "id": "stable_medium",
        "capital": "medium",
        "activity": "stable",
        "key_client": False,
    },
    "explanation": {
        "limited_by": "attitude",
        "near": [
            {
                "axis": "attitude",
                "score": 58,
                "boundary": 60,
                "points_away": 2,
                "level": "mid_high",
                "allocation": {"low_risk": 0, "medium_risk": 30, "high_risk": 70},
            }
        ],
        "checks": [],
        "lowest_category": False,
    },
}

# The longest explanation (SPEC §15) the default rules allow: both axes near, the lowest
# category, and three checks (no more can hold with a loss of 0 %).
LONGEST_EXPLANATION: dict[str, object] = {
    # capacity 5 + 2 + 2 + 2 + 2 + 6 = 19 (low, 1 point from mid_low)
    "age": 70,
    "job": "unemployed",
    "burden": "single_income_three_generations",
    "housing": "renting",
    "experience": "under_1y",
    "knowledge": "seasoned_trader",
    # attitude 0 + 10 + 8 + 8 + 8 + 6 = 40 (mid, 1 point from mid_low)
    "loss_tolerance_pct": 0,
    "priority": "price_gains",
    "stop_loss": "after_the_fact",
    "if_loss": "calm",
    "watch_market": "monthly",
    "performance": "experts",
}

# SPEC §10: the keys every answers object must have, in questionnaire order.
REQUIRED_IDS = (
    "age",
    "job",
    "burden",
    "housing",
    "experience",
    "knowledge",
    "loss_tolerance_pct",
    "priority",
    "stop_loss",
    "if_loss",
    "watch_market",
    "performance",
)


def without_sha(profile: dict[str, object]) -> dict[str, object]:
    """A JSON profile with questionnaire.sha256 removed (checked for shape separately)."""
    ref = dict(profile["questionnaire"])  # type: ignore[call-overload]
    sha = ref.pop("sha256")
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    return {**profile, "questionnaire": ref}


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_kiosk(
    *args: str,
    stdin: str | bytes | None = None,
    cwd: Path | None = None,
    unset: tuple[str, ...] = (),
) -> Run:
    """Run `python -m kiosk ARGS` as a whole process, as a person or a script would.

    `unset` names environment variables the process must not see.
    """
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=data,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k not in unset},
        cwd=cwd,
        timeout=120,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def answers_for(
    questionnaire: Questionnaire, capacity: int, attitude: int, **extra: object
) -> dict[str, object]:
    """Valid answers whose capacity and attitude totals are exactly the given scores.

    Every B (or D) question takes the same option position, and age (or loss) makes up
    the rest; attitude totals are always even (2 × loss + even option points).
    """
    answers: dict[str, object] = {}
    for section, total, number_id in (
        ("capacity", capacity, "age"),
        ("attitude", attitude, "loss_tolerance_pct"),
    ):
        choices = [q for q in questionnaire.section(section) if q.kind == "choice"]
        number = questionnaire.question(number_id)
        assert number.points_rule is not None
        for position in range(5):
            rest = total - sum(q.options[position].points or 0 for q in choices)
            values = [
                v
                for v in range(number.minimum, number.maximum + 1)
                if number.points_rule(v) == rest
            ]
            if values:
                answers[number_id] = values[0]
                answers.update({q.id: q.options[position].id for q in choices})
                break
        else:
            raise ValueError(f"no answers give {section} {total}")
    answers.update(extra)
    return answers


def render_gray(pdf: Path, *options: str) -> bytes:
    """Page 1 of a PDF as a binary grey PGM (P5), rendered by poppler's pdftoppm."""
    return subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-singlefile", *options, str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


def dark_share(pgm: bytes, below: int = 200) -> float:
    """The share of pixels darker than `below` in a binary PGM (P5) image."""
    magic, _, rest = pgm.partition(b"\n")
    assert magic == b"P5"
    size, _, rest = rest.partition(b"\n")
    width, height = (int(v) for v in size.split())
    pixels = rest.partition(b"\n")[2][: width * height]
    return sum(1 for p in pixels if p < below) / len(pixels)


@contextlib.contextmanager
def mounted_tmpfs(mount: Path, size: str) -> Iterator[Path]:
    """A real file system of `size` (e.g. "64k", "4m") mounted at `mount` (made and removed
    here), for full disks and USB drives under /media; skips the test without root or
    where mounting is refused."""
    import pytest  # noqa: PLC0415 - the helpers are imported by non-test code too

    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    mount.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


def random_answers(
    questionnaire: Questionnaire, rng: random.Random, *, optional_rate: float
) -> dict[str, int | str]:
    """One valid answers object: every required question, and each optional one with
    probability `optional_rate` (for benchmarks and generated data)."""
    answers: dict[str, int | str] = {}
    for question in questionnaire.questions:
        if not question.required and rng.random() >= optional_rate:
            continue
        if question.kind == "number":
            answers[question.id] = rng.randint(question.minimum, question.maximum)
        else:
            answers[question.id] = rng.choice(question.option_ids)
    return answers
