"""Benchmark the counter window (SPEC §16): a scan → the profile shown, in the real window.

Run from the repository root (offscreen, no display needed):

    .venv/bin/python benchmarks/counter.py [--scans N] [--size 1920x1080]

N (default 200) signed codes of random (seeded) answers, each typed into `counter.input`
as a USB scanner types it (QTest.keyClicks, then Enter). It prints, in milliseconds,
median, p95 and max:

* Enter → profile shown: the lookup (decode, verify, score), the words, the labels set,
  the layout and the whole window painted (a synchronous repaint), in place of another
  visit's profile;
* the typing itself (Qt handling ~80 key events; a scanner's own speed comes on top);
* Enter → a refused code's reason shown and painted;
* a sheet number looked up in a session log of N visits, to its profile painted, after a
  refusal (the profile's area shown again), each a different visit from the last shown.

It checks that every profile shown has the engine's scores for the same answers, and exits
1 if one does not; speed never fails it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from kiosk import engine
from kiosk.engine.sheet_code import encode
from kiosk.storage.sessions import DB_FILE, SessionLog, VisitRecord
from kiosk.ui import counter_window
from kiosk.ui.app import ensure_app
from tests.helpers import random_answers

OPTIONAL_ANSWER_RATE = 0.8
"""How often a generated client answers each optional question."""

KEY = "3a" * 32


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"{name}: median {statistics.median(ordered) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms (n={len(ordered)})"
    )


def make_cases(
    questionnaire: engine.Questionnaire, data: Path, count: int
) -> list[tuple[str, str, engine.Profile]]:
    """(sheet number, signed code, profile) of `count` random visits, each also recorded
    in a session log in `data`, as the kiosk records it."""
    rng = random.Random(16)
    cases = []
    log = SessionLog(data / DB_FILE)
    now = datetime(2026, 12, 2, 10, 0)
    for n in range(count):
        answers = random_answers(questionnaire, rng, optional_rate=OPTIONAL_ANSWER_RATE)
        number = f"0000-20261202-{1000 + n:04d}"
        profile = engine.score(questionnaire, answers)
        code = encode(questionnaire, answers, number, bytes.fromhex(KEY))
        log.record(
            VisitRecord(now, now, "zh_CN", "printed", answers, profile, number, sheet_code=code)
        )
        cases.append((number, code, profile))
    log.close()
    return cases


def measure(
    window: QWidget, cases: list[tuple[str, str, engine.Profile]]
) -> tuple[dict[str, list[float]], int]:
    """The times of each kind of input, and how many showed the wrong thing."""
    field = window.findChild(QLineEdit, "counter.input")
    assert field is not None

    def shown(name: str) -> str:
        found = window.findChild(QLabel, name)
        return found.text() if found is not None else ""

    def enter(typed: str) -> tuple[float, float]:
        field.clear()
        started = time.perf_counter()
        QTest.keyClicks(field, typed)
        typed_at = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_Return)
        QApplication.processEvents()  # the layout, as the event loop does before a paint
        window.repaint()
        return typed_at - started, time.perf_counter() - typed_at

    times: dict[str, list[float]] = {"typing": [], "scan": [], "refused": [], "number": []}
    wrong = 0

    def profile_shown(profile: engine.Profile) -> bool:
        scores = (shown("counter.capacity.score"), shown("counter.attitude.score"))
        return scores == (str(profile.capacity.score), str(profile.attitude.score))

    for at, (_number, code, profile) in enumerate(cases):
        typed, scan = enter(code)  # in place of the previous visit's profile
        times["typing"].append(typed)
        times["scan"].append(scan)
        wrong += not profile_shown(profile)
        times["refused"].append(enter(code[:-1] + ("A" if code[-1] != "A" else "B"))[1])
        profile_area = window.findChild(QWidget, "counter.profile")
        wrong += profile_area is None or profile_area.isVisible()  # no profile when refused
        # the next visit's sheet number, after the refusal: another profile shown again
        number, _code, other = cases[(at + 1) % len(cases)]
        times["number"].append(enter(number)[1])
        wrong += not profile_shown(other)
    return times, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    ensure_app()
    questionnaire = engine.load_questionnaire()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        settings = Path(folder) / "settings.toml"
        settings.write_text(
            f'[branch]\nsheet_key = "{KEY}"\n[storage]\ndata_dir = "{data}"\n', "utf-8"
        )
        cases = make_cases(questionnaire, data, args.scans)
        window = counter_window(settings)
        window.resize(width, height)
        window.show()
        QTest.qWaitForWindowExposed(window)
        times, wrong = measure(window, cases)
        window.close()
    print(f"counter window {width}x{height}, {args.scans} scans")
    print(summary("scan (Enter) → profile shown and painted, in place of another", times["scan"]))
    print(summary("typing the code (Qt key events)", times["typing"]))
    print(summary("refused code (Enter) → reason shown and painted", times["refused"]))
    print(
        summary(
            "typed sheet number (Enter) → profile from the session log, after a refusal",
            times["number"],
        )
    )
    if wrong:
        print(f"{wrong} scans showed the wrong thing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
