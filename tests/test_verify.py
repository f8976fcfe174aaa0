"""`kiosk verify CODE|-` (SPEC §16): one JSON line a good code, and for a refused one a
line on standard error naming the problem, nothing on standard output, exit status 2."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import load_questionnaire, score
from kiosk.engine.sheet_code import encode
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import run_kiosk

KEY = secrets.token_hex(32)
EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
NUMBER = "0451-20261202-1007"


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[branch]\nsheet_key = "{KEY}"\n', "utf-8")
    return path


def code_for(answers: dict[str, Any], number: str = NUMBER, key: str = KEY) -> str:
    return encode(load_questionnaire(), answers, number, bytes.fromhex(key) if key else None)


def test_a_code_prints_its_sheet_signature_and_profile(settings: Path) -> None:
    run = run_kiosk("--settings", str(settings), "verify", code_for(EXAMPLE))
    assert (run.code, run.err) == (0, "")
    assert json.loads(run.out) == {
        "sheet": NUMBER,
        "signature": "valid",
        "profile": score(load_questionnaire(), EXAMPLE).to_json_dict(),
    }


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (code_for(EXAMPLE).replace(":38.", ":39."), "tag: does not match"),
        (code_for(EXAMPLE).replace("RP1", "RP9"), "the code starts with 'RP9'"),
        (code_for(EXAMPLE)[:-17], "the code has 4 fields"),
        (code_for(EXAMPLE).lower(), "the code has a character that no sheet code has"),
        ("RP1:X:1.0.0:1:-", "tag: the code is unsigned, but this installation signs"),
        ("", "the code is empty"),
    ],
)
def test_a_refused_code_is_one_line_and_exit_2(settings: Path, code: str, problem: str) -> None:
    run = run_kiosk("--settings", str(settings), "verify", code)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"kiosk verify: {problem}")
    assert run.err.count("\n") == 1


def test_an_unknown_questionnaire_version_names_both(tmp_path: Path) -> None:
    from kiosk.engine.sheet_code import tag  # noqa: PLC0415

    body = code_for(EXAMPLE).rsplit(":", 1)[0].replace(":1.0.0:", ":1.1.0:")
    settings = tmp_path / "s.toml"
    settings.write_text(f'[branch]\nsheet_key = "{KEY}"\n', "utf-8")
    run = run_kiosk(
        "--settings", str(settings), "verify", f"{body}:{tag(body, bytes.fromhex(KEY))}"
    )
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "kiosk verify: questionnaire version: the code is for version 1.1.0; "
        "this installation has version 1.0.0\n"
    )


def test_standard_input_is_one_code_a_line(settings: Path) -> None:
    bare = {k: v for k, v in EXAMPLE.items() if k not in ("capital", "activity")}
    lines = [
        code_for(EXAMPLE) + "\r\n",
        "\n",  # a blank line is skipped
        code_for(EXAMPLE).replace(":38.", ":40.") + "\r\n",  # refused: line 3
        code_for(bare, "0451-20261202-1008") + "\n",
        code_for(EXAMPLE, "0451-20261202-1009"),  # no line end at the end
    ]
    run = run_kiosk("--settings", str(settings), "verify", "-", stdin="".join(lines))
    assert run.code == 2
    assert (
        run.err == "line 3: tag: does not match; the code was changed, or signed with another key\n"
    )
    results = [json.loads(line) for line in run.out.splitlines()]
    assert [r["sheet"] for r in results] == [NUMBER, "0451-20261202-1008", "0451-20261202-1009"]
    assert results[1]["profile"]["segment"] is None


def test_a_10_mb_line_is_refused_quickly(settings: Path) -> None:
    huge = b"RP1:" + b"\x07" * (10 * 1024 * 1024) + b"\n" + code_for(EXAMPLE).encode() + b"\n"
    started = time.monotonic()
    run = run_kiosk("--settings", str(settings), "verify", "-", stdin=huge)
    took = time.monotonic() - started
    assert run.code == 2
    assert run.err == (
        f"line 1: the code is {len(huge.splitlines()[0]):,} bytes long; "
        "a sheet code has at most 200 characters\n"
    )
    assert json.loads(run.out)["sheet"] == NUMBER  # the next line is read as usual
    assert took < 30  # generous: a whole process; measured in well under a second


@pytest.mark.parametrize(
    "line",
    [b"RP1:\x1b[2J\n", b"\xff\xfeRP1\n", "RP1：中文\n".encode(), b"RP1:\x00:-\n"],
)
def test_control_characters_and_other_bytes_are_refused(settings: Path, line: bytes) -> None:
    run = run_kiosk("--settings", str(settings), "verify", "-", stdin=line)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("line 1: the code has a character that no sheet code has (U+")


def test_a_bad_sheet_key_stops_the_command(tmp_path: Path) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text('[branch]\nsheet_key = "not a key"\n', "utf-8")
    run = run_kiosk("--settings", str(settings), "verify", code_for(EXAMPLE))
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"{settings}: branch.sheet_key: (hidden) is not accepted")
    assert "not a key" not in run.err


def test_verify_needs_a_code() -> None:
    run = run_kiosk("verify")
    assert run.code == 2
    assert "the following arguments are required: CODE|-" in run.err
