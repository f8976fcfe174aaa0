"""The sheet code read back from real sheets (SPEC §16): `kiosk report` writes the PDF,
poppler renders it at 150 dpi, zbar decodes the QR as a counter's scanner would, and
`kiosk verify` gives exactly the profile `kiosk score` gives for the same answers.

Needs pdftoppm (Debian poppler-utils) and zbarimg (Debian zbar-tools); scripts/test
installs both.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Questionnaire
from kiosk.engine.sheet_code import QR_ALPHANUMERIC, SheetCodeError, decode, key_from_hex
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import LONGEST_EXPLANATION, run_kiosk

pytestmark = [
    pytest.mark.skipif(
        shutil.which("pdftoppm") is None,
        reason="pdftoppm (Debian: poppler-utils) is not installed",
    ),
    pytest.mark.skipif(
        shutil.which("zbarimg") is None, reason="zbarimg (Debian: zbar-tools) is not installed"
    ),
]

DPI = 150
KEY = secrets.token_hex(32)
EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
OPTIONAL = ("marital", "children", "employment", "capital", "activity")


def settings_file(folder: Path, key: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.toml"
    path.write_text(
        f'[branch]\nsheet_key = "{key}"\n[storage]\ndata_dir = "{folder / "data"}"\n', "utf-8"
    )
    return path


def report(settings: Path, answers: dict[str, Any], out: Path, *options: str) -> str:
    """Write the sheet with `kiosk report`; returns its number."""
    given = out.with_suffix(".json")
    given.write_text(json.dumps(answers), "utf-8")
    run = run_kiosk(
        "--settings", str(settings), "report", "--answers", str(given), "--out", str(out), *options
    )
    assert run.code == 0, run.err
    found = re.fullmatch(r"sheet (\S+) written to .*\n", run.out)
    assert found, run.out
    return found.group(1)


def render(pdf: Path, *options: str) -> bytes:
    """Page 1 at DPI, as the image a scanner sees (PNG, or grey PGM with -gray)."""
    return subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", *options, str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


def scan(pdf: Path) -> list[str]:
    """Every QR zbar finds on page 1 of the rendered sheet."""
    image = pdf.with_suffix(".png")
    image.write_bytes(render(pdf, "-png"))
    done = subprocess.run(
        ["zbarimg", "--nodbus", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8").splitlines()


def score(answers: dict[str, Any]) -> dict[str, Any]:
    run = run_kiosk("score", "--answers", "-", stdin=json.dumps(answers))
    assert run.code == 0, run.err
    result: dict[str, Any] = json.loads(run.out)
    return result


def verify(settings: Path, code: str) -> Any:
    return run_kiosk("--settings", str(settings), "verify", code)


# ---------------------------------------------------------------------- round trips


@pytest.mark.parametrize(("lang", "staff_copy"), [("zh_CN", False), ("en", True)])
def test_a_scanned_sheet_verifies_to_the_kiosks_profile(
    tmp_path: Path, lang: str, staff_copy: bool
) -> None:
    settings = settings_file(tmp_path, KEY)
    options = ["--lang", lang] + (["--staff-copy"] if staff_copy else [])
    number = report(settings, EXAMPLE, tmp_path / "sheet.pdf", *options)
    [code] = scan(tmp_path / "sheet.pdf")
    assert code.startswith(f"RP1:{number}:1.0.0:38.2.3.3.3.4.12.3.3.3.3.1.2.3.1.2.2:")
    assert len(code) <= 90
    run = verify(settings, code)
    assert (run.code, run.err) == (0, "")
    assert run.out.count("\n") == 1
    result = json.loads(run.out)
    assert list(result) == ["sheet", "signature", "profile"]
    assert (result["sheet"], result["signature"]) == (number, "valid")
    assert result["profile"] == score(EXAMPLE)


def answer_sets(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Edge answers: every first and every last option, the extreme numbers, the optional
    questions unanswered."""
    first = {q.id: q.options[0].id if q.options else q.minimum for q in questionnaire.questions}
    last = {q.id: q.options[-1].id if q.options else q.maximum for q in questionnaire.questions}
    bare = {k: v for k, v in EXAMPLE.items() if k not in OPTIONAL}
    return [first, last, bare]


def test_scanned_codes_typed_by_a_usb_scanner_verify_one_a_line(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    settings = settings_file(tmp_path, KEY)
    sets = answer_sets(questionnaire)
    codes = []
    for index, answers in enumerate(sets):
        pdf = tmp_path / f"sheet-{index}.pdf"
        report(settings, answers, pdf)
        codes += scan(pdf)
    assert len(codes) == len(sets)
    typed = "".join(f"{code}\r\n" for code in codes)  # a scanner ends each read with CR LF
    run = run_kiosk("--settings", str(settings), "verify", "-", stdin=typed)
    assert (run.code, run.err) == (0, "")
    results = [json.loads(line) for line in run.out.splitlines()]
    assert [r["profile"] for r in results] == [score(answers) for answers in sets]
    assert all(r["signature"] == "valid" for r in results)
    assert results[2]["profile"]["segment"] is None


def test_without_a_key_the_sheet_carries_an_unsigned_code(tmp_path: Path) -> None:
    settings = settings_file(tmp_path / "unsigned", "")
    number = report(settings, EXAMPLE, tmp_path / "sheet.pdf")
    [code] = scan(tmp_path / "sheet.pdf")
    assert code.endswith(":-")
    run = verify(settings, code)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert (result["sheet"], result["signature"]) == (number, "unsigned")
    assert result["profile"] == score(EXAMPLE)
    # A counter that has the bank's key refuses an unsigned code: anyone can make one.
    refused = verify(settings_file(tmp_path / "signed", KEY), code)
    assert (refused.code, refused.out) == (2, "")
    assert "unsigned, but this installation signs" in refused.err


def test_a_code_signed_with_another_key_is_refused(tmp_path: Path) -> None:
    report(settings_file(tmp_path / "bank", KEY), EXAMPLE, tmp_path / "sheet.pdf")
    [code] = scan(tmp_path / "sheet.pdf")
    other = settings_file(tmp_path / "other", secrets.token_hex(32))
    run = verify(other, code)
    assert (run.code, run.out) == (2, "")
    assert (
        run.err
        == "kiosk verify: tag: does not match; the code was changed, or signed with another key\n"
    )
    unkeyed = verify(settings_file(tmp_path / "none", ""), code)
    assert (unkeyed.code, unkeyed.out) == (2, "")
    assert "signed, but no [branch] sheet_key is set" in unkeyed.err


def test_every_one_character_change_of_a_scanned_code_is_refused(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    settings = settings_file(tmp_path, KEY)
    report(settings, EXAMPLE, tmp_path / "sheet.pdf")
    [code] = scan(tmp_path / "sheet.pdf")
    key = key_from_hex(KEY)
    assert decode(questionnaire, code, key).signature == "valid"
    for position in range(len(code)):
        for char in QR_ALPHANUMERIC:
            if char != code[position]:
                with pytest.raises(SheetCodeError):
                    decode(questionnaire, code[:position] + char + code[position + 1 :], key)
    # And through the command, one changed code a line: each refused, none printed.
    changed = [
        code[:position] + ("0" if code[position] != "0" else "1") + code[position + 1 :]
        for position in range(len(code))
    ]
    run = run_kiosk(
        "--settings", str(settings), "verify", "-", stdin="".join(f"{c}\n" for c in changed)
    )
    assert (run.code, run.out) == (2, "")
    lines = run.err.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"line {n}" for n in range(1, len(code) + 1)]


# ---------------------------------------------------------------------- the QR itself


def grey(pgm: bytes) -> tuple[int, int, bytes]:
    magic, width, height, maxval, pixels = pgm.split(maxsplit=4)
    assert (magic, maxval) == (b"P5", b"255")
    return int(width), int(height), pixels[: int(width) * int(height)]


def runs(indices: list[int], gap: int) -> list[tuple[int, int]]:
    """Consecutive indices (allowing gaps of up to `gap`) as (first, last) pairs."""
    found: list[tuple[int, int]] = []
    for index in indices:
        if found and index - found[-1][1] <= gap + 1:
            found[-1] = (found[-1][0], index)
        else:
            found.append((index, index))
    return found


def longest_run(indices: list[int]) -> int:
    """The length of the longest run of consecutive indices."""
    return max((last - first + 1 for first, last in runs(indices, gap=0)), default=0)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(EXAMPLE, id="worked_example"),
        # The fullest page: the longest explanation, a family life cycle and a segment.
        pytest.param(
            {**LONGEST_EXPLANATION, **{key: EXAMPLE[key] for key in OPTIONAL}}, id="longest"
        ),
    ],
)
def test_the_qr_is_at_least_2_5_cm_with_its_quiet_zone(
    tmp_path: Path, answers: dict[str, Any], lang: str
) -> None:
    settings = settings_file(tmp_path, KEY)
    report(settings, answers, tmp_path / "sheet.pdf", "--lang", lang)
    width, height, pixels = grey(render(tmp_path / "sheet.pdf", "-gray"))

    def dark(x: int, y: int) -> bool:
        return pixels[y * width + x] < 128

    # The QR is the page's lowest block left of the notice box (whose left edge is the
    # first long upright line in the lower half; how far from the page's edge both are
    # depends on how much the page was shrunk to fit): the lowest run of dark rows there.
    lower = range(height // 2, height)
    edge = next(x for x in range(width) if longest_run([y for y in lower if dark(x, y)]) > 100)
    left = range(edge - 2)
    rows = [y for y in lower if any(dark(x, y) for x in left)]
    top, bottom = runs(rows, gap=8)[-1]
    columns = [x for x in left if any(dark(x, y) for y in range(top, bottom + 1))]
    [(first, last)] = runs(columns, gap=8)
    side, tall = last - first + 1, bottom - top + 1
    assert abs(side - tall) <= 2  # square
    assert side / DPI * 2.54 >= 2.5, f"the QR is {side / DPI * 2.54:.2f} cm wide"
    module = side / 33  # version 4: 33 modules a side
    quiet = round(4 * module)
    for y in range(top - quiet, bottom + quiet + 1):
        for x in range(first - quiet, last + quiet + 1):
            inside = top <= y <= bottom and first <= x <= last
            assert inside or not dark(x, y), f"ink at ({x}, {y}) in the quiet zone"
