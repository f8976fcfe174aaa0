"""The command line of SPEC §12, driven as whole processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import __version__, cli
from kiosk.engine import load_questionnaire, score
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import SPEC_PROFILE, run_kiosk, without_sha

EXAMPLE_TEXT = WORKED_EXAMPLE.read_text("utf-8")
EXAMPLE: dict[str, object] = json.loads(EXAMPLE_TEXT)


def test_score_prints_the_spec_profile() -> None:
    run = run_kiosk("score", "--answers", str(WORKED_EXAMPLE))
    assert run.code == 0, run.err
    assert run.err == ""
    data = json.loads(run.out)
    assert without_sha(data) == SPEC_PROFILE
    assert data == score(load_questionnaire(), EXAMPLE).to_json_dict()


def test_score_reads_standard_input() -> None:
    run = run_kiosk("score", "--answers", "-", stdin=EXAMPLE_TEXT)
    assert run.code == 0, run.err
    assert json.loads(run.out)["segment"]["id"] == "stable_medium"


def test_settings_option_is_accepted_before_or_after_the_command(tmp_path: Path) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text('[branch]\ncode = "0451"\n', "utf-8")
    first = run_kiosk("--settings", str(settings), "score", "--answers", str(WORKED_EXAMPLE))
    second = run_kiosk("score", "--settings", str(settings), "--answers", str(WORKED_EXAMPLE))
    assert (first.code, second.code) == (0, 0)
    assert first.out == second.out


BAD_ANSWERS = [
    ('{"age": 17}', "age", "17"),
    ("{}", "age", "missing"),
    ('{"age": true}', "age", "true"),
    ('{"age": 38.5}', "age", "38.5"),
    ('{"age": "38"}', "age", '"38"'),
    ('{"loss_tolerance_pct": 101}', "loss_tolerance_pct", "101"),
    ('{"job": "astronaut"}', "job", '"astronaut"'),
    ('{"favourite_colour": "red"}', "favourite_colour", '"red"'),
    ('{"capital": "huge"}', "capital", '"huge"'),
    ('{"age": 38, "age": 39}', "age", "39"),
]


@pytest.mark.parametrize(("change", "key", "value"), BAD_ANSWERS)
def test_bad_answers_exit_2_with_one_line(change: str, key: str, value: str) -> None:
    answers = {**EXAMPLE, **json.loads(change)} if change != "{}" else {}
    if change.count('"age"') == 2:
        text = EXAMPLE_TEXT.replace('"age": 38,', '"age": 38, "age": 39,')
    else:
        text = json.dumps(answers)
    run = run_kiosk("score", "--answers", "-", stdin=text)
    assert run.code == 2
    assert run.out == ""
    assert len(run.err_lines) == 1, run.err
    line = run.err_lines[0]
    assert line.startswith(f"{key}: {value}")
    assert "expected" in line
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "standard input: is not valid JSON (Expecting value at line 1 column 1)"),
        ("{'age': 38}", "standard input: is not valid JSON"),
        ("[1, 2]", "answers: [1, 2] is not an object"),
        ("null", "answers: null is not an object"),
        (b"\xff\xfe{}", "standard input: is not UTF-8 text"),
        ("[" * 100_000, "standard input: is nested too deeply"),
    ],
)
def test_bad_answers_files_exit_2(text: str | bytes, expected: str) -> None:
    run = run_kiosk("score", "--answers", "-", stdin=text)
    assert run.code == 2
    assert run.out == ""
    assert len(run.err_lines) == 1, run.err
    assert run.err_lines[0].startswith(expected)


def test_missing_answers_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    run = run_kiosk("score", "--answers", str(missing))
    assert run.code == 2
    assert run.err_lines == [f"{missing}: file not found; expected a JSON file"]


def test_a_folder_is_not_an_answers_file(tmp_path: Path) -> None:
    run = run_kiosk("score", "--answers", str(tmp_path))
    assert run.code == 2
    assert run.err_lines == [f"{tmp_path}: is a folder; expected a JSON file"]


# ---------------------------------------------------------------------- batch


def batch_lines(count: int) -> list[dict[str, object]]:
    return [{**EXAMPLE, "age": 18 + i % 83, "loss_tolerance_pct": i % 101} for i in range(count)]


def test_batch_streams_one_compact_profile_a_line(tmp_path: Path) -> None:
    lines = batch_lines(250)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in lines), "utf-8")
    run = run_kiosk("score", "--batch", str(source))
    assert run.code == 0, run.err
    out = run.out.splitlines()
    assert len(out) == 250
    questionnaire = load_questionnaire()
    for answers, line in zip(lines, out, strict=True):
        assert " " not in line
        assert json.loads(line) == score(questionnaire, answers).to_json_dict()
        assert list(json.loads(line)) == list(score(questionnaire, answers).to_json_dict())


def test_batch_reads_standard_input_and_skips_blank_lines() -> None:
    text = json.dumps(EXAMPLE) + "\n\n   \n" + json.dumps(EXAMPLE) + "\n"
    run = run_kiosk("score", "--batch", "-", stdin=text)
    assert run.code == 0, run.err
    assert len(run.out.splitlines()) == 2


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ('{"age": 17}', "line 3: age: 17 is out of range; expected an integer 18–100"),
        ("not json", "line 3: the line: is not valid JSON"),
        ('["a"]', 'line 3: answers: ["a"] is not an object'),
    ],
)
def test_batch_stops_at_the_first_bad_line(bad: str, expected: str) -> None:
    good = json.dumps(EXAMPLE)
    bad_line = json.dumps({**EXAMPLE, **json.loads(bad)}) if bad.startswith("{") else bad
    text = "\n".join([good, good, bad_line, good]) + "\n"
    run = run_kiosk("score", "--batch", "-", stdin=text)
    assert run.code == 2
    assert len(run.out.splitlines()) == 2  # the lines before it were already streamed
    assert (
        run.err_lines == [expected]
        if bad.startswith("{")
        else run.err_lines[0].startswith(expected)
    )
    assert len(run.err_lines) == 1


def test_batch_line_that_is_not_utf8() -> None:
    data = json.dumps(EXAMPLE).encode() + b"\n\xff\xfe\n"
    run = run_kiosk("score", "--batch", "-", stdin=data)
    assert run.code == 2
    assert run.err_lines == ["line 2: is not UTF-8 text; expected one JSON object"]


# ---------------------------------------------------------------------- usage, help, failures


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["score"], "kiosk score: one of the arguments --answers --batch is required"),
        (["score", "--answers", "a", "--batch", "b"], "kiosk score: argument --batch: not allowed"),
        (["fly"], "kiosk: argument COMMAND: invalid choice: 'fly'"),
        (["--colour"], "kiosk: unrecognized arguments: --colour"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], expected: str) -> None:
    run = run_kiosk(*args)
    assert run.code == 2
    assert len(run.err_lines) == 1, run.err
    assert run.err_lines[0].startswith(expected)


def test_help_and_version() -> None:
    top = run_kiosk("--help")
    assert top.code == 0
    for word in ("score", "check-config", "--settings", "--lockdown", "--version"):
        assert word in top.out
    sub = run_kiosk("score", "--help")
    assert sub.code == 0
    assert "--batch" in sub.out
    assert "--answers" in sub.out
    version = run_kiosk("--version")
    assert version.code == 0
    assert version.out.strip() == f"kiosk {__version__}"


def test_check_config_says_ok() -> None:
    run = run_kiosk("check-config")
    assert (run.code, run.out, run.err) == (0, "ok\n", "")


def test_check_config_names_a_bad_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[kiosk]\nidle_timeout_s = 2\nlanguage = "fr"\n', "utf-8")
    run = run_kiosk("--settings", str(settings), "check-config")
    assert run.code == 2
    assert run.out.splitlines() == [
        f"{settings}: kiosk.idle_timeout_s: 2 is out of range; expected an integer 5–3600",
        f'{settings}: kiosk.language: "fr" is not accepted; expected one of zh_CN, en',
    ]
    assert run.err_lines == ["check-config: 2 problems found"]


def test_a_bad_settings_file_stops_score_with_one_line(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[kiosk\n", "utf-8")
    run = run_kiosk("--settings", str(settings), "score", "--answers", str(WORKED_EXAMPLE))
    assert run.code == 2
    assert run.out == ""
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(f"{settings}: is not valid TOML")


def test_unexpected_failure_exits_1_with_details_in_the_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli.engine, "score", explode)
    assert cli.main(["score", "--answers", str(WORKED_EXAMPLE)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "unexpected error (RuntimeError: disk on fire)" in err
    log = isolated_home / "data" / "branch-risk-kiosk" / "logs" / "kiosk.log"
    assert str(log) in err
    assert "Traceback" in log.read_text("utf-8")
    assert "Traceback" not in err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "kiosk"
    assert script.exists() or shutil.which("kiosk")


def test_a_colon_inside_a_value_is_not_mistaken_for_a_repeated_key() -> None:
    text = json.dumps({**EXAMPLE, "job": "boss: of all"})
    run = run_kiosk("score", "--answers", "-", stdin=text)
    assert run.code == 2
    assert run.err_lines[0].startswith('job: "boss: of all" is not an option')


def test_a_repeated_key_in_a_batch_line_is_an_error() -> None:
    good = json.dumps(EXAMPLE)
    repeated = good.replace('"age": 38,', '"age": 38, "age": 99,')
    run = run_kiosk("score", "--batch", "-", stdin=f"{good}\n{repeated}\n")
    assert run.code == 2
    assert run.err_lines == ["line 2: age: 99 is given twice; expected each question answered once"]


def test_starting_without_a_display_says_how() -> None:
    run = run_kiosk(unset=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert run.code == 2
    assert run.err_lines == [
        "kiosk: no display to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are unset); "
        "run it on the kiosk's screen, or under a virtual one: xvfb-run kiosk"
    ]


@pytest.mark.parametrize("mode", [[], ["--lockdown"]], ids=["window", "lockdown"])
def test_sigterm_ends_the_kiosk_cleanly(tmp_path: Path, mode: list[str]) -> None:
    """systemctl stop/restart: also in lockdown, where closing the window is refused."""
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *mode, "--settings", str(settings)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    db = sqlite3.connect(tmp_path / "data" / "sessions.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
