"""Helpers the tests share: run the real command line, build answers that hit a score."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.engine import Questionnaire


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_kiosk(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> Run:
    """Run `python -m kiosk ARGS` as a whole process, as a person or a script would."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=data,
        capture_output=True,
        env=dict(os.environ),
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
