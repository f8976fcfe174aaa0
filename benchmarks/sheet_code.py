"""Benchmark the counter's scan → profile round trip with the sheet code (SPEC §16).

Run from the repository root:

    .venv/bin/python benchmarks/sheet_code.py [--codes N]

Default: N=2000 signed codes of random (seeded) answers. It prints, in milliseconds:

* in this process, per code: decode + verify (the HMAC tag, in constant time), the
  engine's score, and the whole round trip as `kiosk verify` does it (decode, verify,
  score, the JSON line): median, p95 and mean;
* the refusal of a 10 MB "code" (it is measured, never read);
* whole processes: `kiosk verify CODE` (cold, best and median of 5) and `kiosk verify -`
  with all N codes on standard input (per code);
* when pdftoppm and zbarimg are installed: reading the QR of a rendered sheet (pdftoppm
  at 150 dpi, then zbarimg), best of 3, i.e. the part a USB scanner does in hardware.

It checks that every round trip gives the profile `engine.score` gives for the same
answers, and exits 1 if one does not; speed never fails it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kiosk import engine
from kiosk.engine.sheet_code import decode, encode
from tests.helpers import random_answers

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL_ANSWER_RATE = 0.8
"""How often a generated client answers each optional question."""
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def summary(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{label:<44} median {statistics.median(ordered):8.4f} ms   p95 {p95:8.4f} ms   "
        f"mean {statistics.fmean(ordered):8.4f} ms"
    )


def run(args: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    took = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        sys.exit(f"kiosk {args[:3]} failed: {done.stderr.decode()}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--codes", type=int, default=2000)
    options = parser.parse_args()

    questionnaire = engine.load_questionnaire()
    key_hex = secrets.token_hex(32)
    key = bytes.fromhex(key_hex)
    rng = random.Random(16)
    sets = [
        random_answers(questionnaire, rng, optional_rate=OPTIONAL_ANSWER_RATE)
        for _ in range(options.codes)
    ]
    codes = [
        encode(questionnaire, answers, f"0451-20261202-{1000 + i % 999 + 1}", key)
        for i, answers in enumerate(sets)
    ]
    print(f"{options.codes} signed codes, {min(map(len, codes))}–{max(map(len, codes))} characters")

    decode_ms: list[float] = []
    score_ms: list[float] = []
    trip_ms: list[float] = []
    for answers, code in zip(sets, codes, strict=True):
        decode_ms.append(timed(partial(decode, questionnaire, code, key)))
        given = dict(decode(questionnaire, code, key).answers)
        score_ms.append(timed(partial(engine.score, questionnaire, given)))

        def round_trip(code: str = code) -> str:
            sheet = decode(questionnaire, code, key)
            profile = engine.score(sheet.questionnaire, dict(sheet.answers))
            return COMPACT.encode(
                {
                    "sheet": sheet.sheet,
                    "signature": sheet.signature,
                    "profile": profile.to_json_dict(),
                }
            )

        trip_ms.append(timed(round_trip))
        result = json.loads(round_trip())
        if result["profile"] != engine.score(questionnaire, answers).to_json_dict():
            print(f"MISMATCH for {code}", file=sys.stderr)
            return 1
    summary("decode + verify", decode_ms)
    summary("score", score_ms)
    summary("round trip (decode, verify, score, JSON)", trip_ms)
    huge = "RP1:" + "A" * (10 * 1024 * 1024)
    refusals = [timed(lambda: _refused(questionnaire, huge, key)) for _ in range(100)]
    summary("refusing a 10 MB code", refusals)

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        settings = home / "settings.toml"
        settings.write_text(
            f'[branch]\nsheet_key = "{key_hex}"\n[storage]\ndata_dir = "{home / "data"}"\n',
            "utf-8",
        )
        env = {**os.environ, "XDG_CONFIG_HOME": str(home / "c"), "XDG_DATA_HOME": str(home / "d")}
        cold = [run(["--settings", str(settings), "verify", codes[0]], env) for _ in range(5)]
        print(
            f"{'kiosk verify CODE (whole process)':<44} best {min(cold):8.1f} ms   "
            f"median {statistics.median(cold):8.1f} ms"
        )
        typed = "".join(f"{code}\r\n" for code in codes).encode()
        stream = run(["--settings", str(settings), "verify", "-"], env, typed)
        print(
            f"{'kiosk verify - (' + str(len(codes)) + ' codes, one process)':<44} "
            f"{stream:8.1f} ms = {stream / len(codes):.3f} ms a code"
        )
        if shutil.which("pdftoppm") and shutil.which("zbarimg"):
            scan_ms = _scan(home, settings, env)
            print(f"{'render 150 dpi + zbarimg (one sheet)':<44} best {min(scan_ms):8.1f} ms")
    return 0


def _refused(questionnaire: engine.Questionnaire, code: str, key: bytes) -> None:
    try:
        decode(questionnaire, code, key)
    except engine.KioskError:
        return
    raise AssertionError("a 10 MB code was accepted")


def _scan(home: Path, settings: Path, env: dict[str, str]) -> list[float]:
    pdf = home / "sheet.pdf"
    example = ROOT / "resources" / "examples" / "worked_example.json"
    run(["--settings", str(settings), "report", "--answers", str(example), "--out", str(pdf)], env)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(home / "sheet")],
            check=True,
        )
        done = subprocess.run(
            [
                "zbarimg",
                "--nodbus",
                "-q",
                "--raw",
                "-Sdisable",
                "-Sqrcode.enable",
                str(home / "sheet.png"),
            ],
            capture_output=True,
            check=True,
        )
        times.append((time.perf_counter() - started) * 1000)
        assert done.stdout.startswith(b"RP1:")
    return times


if __name__ == "__main__":
    sys.exit(main())
