"""The command line of SPEC §12, driven as whole processes."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from kiosk import __version__, cli
from kiosk.commands import scoring
from kiosk.engine import load_questionnaire, score
from tests.conftest import WORKED_EXAMPLE
from tests.engine.test_properties import answers as answers_objects
from tests.helpers import LONGEST_EXPLANATION, SPEC_PROFILE, Run, run_kiosk, without_sha

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


def test_score_and_batch_print_the_explanation_last() -> None:
    """SPEC §10 and §15: the explanation is the last key, its own keys in order."""
    lines = [EXAMPLE, LONGEST_EXPLANATION, {**EXAMPLE, "loss_tolerance_pct": 25}]
    run = run_kiosk("score", "--batch", "-", stdin="".join(json.dumps(a) + "\n" for a in lines))
    assert run.code == 0, run.err
    profiles = [json.loads(line) for line in run.out.splitlines()]
    for profile in profiles:
        assert list(profile)[-1] == "explanation"
        assert list(profile["explanation"]) == ["limited_by", "near", "checks", "lowest_category"]
    assert profiles[0]["explanation"] == SPEC_PROFILE["explanation"]
    assert profiles[1]["explanation"]["checks"] == [
        "gains_vs_loss",
        "trader_vs_experience",
        "willing_beyond_capacity",
    ]
    assert profiles[1]["explanation"]["lowest_category"] is True
    assert [n["axis"] for n in profiles[1]["explanation"]["near"]] == ["capacity", "attitude"]
    assert profiles[2]["explanation"]["near"] == []
    single = run_kiosk("score", "--answers", "-", stdin=json.dumps(LONGEST_EXPLANATION))
    assert json.loads(single.out) == profiles[1]
    assert list(json.loads(single.out))[-1] == "explanation"


QUESTIONNAIRE = load_questionnaire()
LINES = scoring.JsonLines()  # one for every example: its texts are shared between lines


@settings(max_examples=300)
@given(answers_objects())
def test_a_batch_line_is_the_compact_json_of_the_profile(given_answers: dict[str, Any]) -> None:
    profile = score(QUESTIONNAIRE, given_answers)
    expected = scoring._COMPACT.encode(profile.to_json_dict()) + "\n"
    assert LINES.line(profile) == expected
    assert LINES.line(profile) == expected  # again, from the texts kept the first time


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


def test_check_config_says_ok(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[branch]\ncode = "0451"\n', "utf-8")
    run = run_kiosk("--settings", str(settings), "check-config")
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


@pytest.mark.expected_log("kiosk.cli", "unexpected failure")
def test_unexpected_failure_exits_1_with_details_in_the_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(scoring.engine, "score", explode)
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


# ---------------------------------------------------------------------- settings (issue 11)


def test_check_config_warns_while_the_branch_code_is_still_0000(isolated_home: Path) -> None:
    run = run_kiosk("check-config")
    path = isolated_home / "config" / "branch-risk-kiosk" / "settings.toml"
    assert run.code == 0
    assert run.out == "ok\n"
    assert run.err_lines == [
        f'warning: {path}: branch.code: "0000" is still the default; set your branch\'s code'
        " so that sheet numbers are unique across branches"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('data_dir = "~nosuchuser/x"', 'storage.data_dir: "~nosuchuser/x" cannot be expanded'),
        ('retention_days = 30\n[branch]\nname = "A\\tB"', "branch.name: "),
    ],
)
def test_check_config_refuses_settings_that_would_break_the_kiosk(
    tmp_path: Path, content: str, expected: str
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f"[storage]\n{content}\n", "utf-8")
    run = run_kiosk("--settings", str(settings), "check-config")
    assert run.code == 2
    assert run.out.splitlines()[0].startswith(f"{settings}: {expected}")
    assert run.err_lines[-1] == "check-config: 1 problem found"


def test_check_config_accepts_a_settings_file_with_a_bom(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_bytes('\ufeff[branch]\ncode = "0451"\n'.encode())
    run = run_kiosk("--settings", str(settings), "check-config")
    assert (run.code, run.out, run.err) == (0, "ok\n", "")


# ---------------------------------------------------------------------- files and inputs


def run_bounded(*args: str, stdin: bytes | None = None) -> Run:
    """run_kiosk with at most 1 GB of address space: a read without bound fails fast
    (MemoryError) instead of filling the machine."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        preexec_fn=limit,
        timeout=120,
        check=False,
    )
    assert time.monotonic() - started < 60
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["score", "--answers", "/dev/zero"],
            "/dev/zero: is larger than 1 MB; expected one answers object (JSON)",
        ),
        (
            ["report", "--answers", "/dev/zero", "--out", "never.pdf"],
            "/dev/zero: is larger than 1 MB; expected one answers object (JSON)",
        ),
        (
            ["score", "--batch", "/dev/zero"],
            "line 1: is longer than 64 KB; expected one answers object a line",
        ),
        (
            ["--settings", "/dev/zero", "score", "--answers", str(WORKED_EXAMPLE)],
            "/dev/zero: is larger than 1 MB; expected a TOML settings file",
        ),
        (
            ["--settings", "/dev/zero", "check-config"],
            "/dev/zero: is larger than 1 MB; expected a TOML settings file",
        ),
    ],
)
def test_endless_input_is_refused_at_its_limit(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    run = run_bounded(*args)
    assert run.code == 2, run.err
    assert expected in run.out + run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "never.pdf").exists()


def test_answers_on_standard_input_are_bounded_too() -> None:
    run = run_bounded("score", "--answers", "-", stdin=b" " * (1024 * 1024 + 1))
    assert run.code == 2
    assert run.err_lines == [
        "standard input: is larger than 1 MB; expected one answers object (JSON)"
    ]


def test_a_batch_line_of_64_kb_is_read_and_a_longer_one_refused() -> None:
    good = json.dumps(EXAMPLE)
    fits = good[:-1] + " " * (64 * 1024 - len(good)) + "}"
    assert len(fits.encode()) == 64 * 1024
    run = run_kiosk("score", "--batch", "-", stdin=f"{fits}\n{fits} \n{good}\n")
    assert run.code == 2
    assert len(run.out.splitlines()) == 1
    assert run.err_lines == ["line 2: is longer than 64 KB; expected one answers object a line"]


@pytest.mark.parametrize(
    "answers",
    [
        {**EXAMPLE, "job": "x" * 500_000},
        {**EXAMPLE, "y" * 500_000: 1},
        {**EXAMPLE, "job": ["x" * 100] * 4000},
    ],
    ids=["value", "key", "list"],
)
def test_errors_quote_at_most_80_characters_of_a_value(answers: dict[str, object]) -> None:
    run = run_kiosk("score", "--answers", "-", stdin=json.dumps(answers))
    assert run.code == 2
    assert len(run.err_lines) == 1
    line = run.err_lines[0]
    assert len(line) < 400, line[:400]
    assert "…" in line
    assert "x" * 100 not in line
    assert "y" * 81 not in line


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("9" * 5000, "age: 999999999999"),
        ("-" + "1" * 5000, "age: -11111111111"),
        ("1234", "age: 1234 is out of range; expected an integer 18–100"),
    ],
)
def test_integers_of_more_than_3_digits_exit_2(number: str, expected: str) -> None:
    text = EXAMPLE_TEXT.replace('"age": 38', f'"age": {number}')
    assert text != EXAMPLE_TEXT
    run = run_kiosk("score", "--answers", "-", stdin=text)
    assert run.code == 2, run.err
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(expected)
    assert len(run.err_lines[0]) < 200
    line = json.dumps(EXAMPLE).replace('"age": 38', f'"age": {number}')
    batch = run_kiosk("score", "--batch", "-", stdin=f"{json.dumps(EXAMPLE)}\n{line}\n")
    assert batch.code == 2, batch.err
    assert batch.err_lines == [f"line 2: {run.err_lines[0]}"]


def test_a_long_integer_anywhere_else_is_refused_too() -> None:
    text = json.dumps({**EXAMPLE, "job": [1, 2, 12345]})
    run = run_kiosk("score", "--answers", "-", stdin=text)
    assert run.code == 2
    assert run.err_lines == [
        "standard input: 12345 has more than 3 digits; expected integers of at most 3 digits"
    ]


def special_out(tmp_path: Path, kind: str) -> Path:
    """A path of the given kind for --out (as root /dev/null was replaced by a file)."""
    target = tmp_path / "target"
    if kind in ("device", "link-to-device"):
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    elif kind in ("fifo", "link-to-fifo"):
        os.mkfifo(target)
    else:
        target.mkdir()
    if kind.startswith("link-to-"):
        link = tmp_path / "link.pdf"
        link.symlink_to(target)
        return link
    return target


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        ("device", "a device"),
        ("fifo", "a named pipe"),
        ("folder", "a folder"),
        ("link-to-device", "a link to a device"),
        ("link-to-fifo", "a link to a named pipe"),
        ("link-to-folder", "a link to a folder"),
    ],
)
def test_report_out_must_be_a_regular_file_or_a_new_name(
    tmp_path: Path, kind: str, what: str
) -> None:
    out = special_out(tmp_path, kind)
    before = os.lstat(out)
    run = run_kiosk("report", "--answers", str(WORKED_EXAMPLE), "--out", str(out))
    assert run.code == 2
    assert run.err_lines == [
        f"{out}: is {what}; expected a .pdf file name for --out (a new or a regular file)"
    ]
    after = os.lstat(out)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_report_replaces_a_regular_file(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"old")
    run = run_kiosk("report", "--answers", str(WORKED_EXAMPLE), "--out", str(out))
    assert run.code == 0, run.err
    assert out.read_bytes().startswith(b"%PDF")


def test_a_long_command_line_value_is_quoted_to_80_characters(tmp_path: Path) -> None:
    run = run_kiosk("screenshots", "--out", str(tmp_path), "--size", "9" * 5000 + "x800")
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith("kiosk screenshots: --size '99999")
    assert len(run.err_lines[0]) < 200


def test_check_config_lists_problems_first_and_warnings_once_they_are_fixed(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[kiosk]\nidle_timeout_s = 2\n", "utf-8")
    run = run_kiosk("--settings", str(settings), "check-config")
    assert run.code == 2
    assert run.err_lines == ["check-config: 1 problem found"]
    settings.write_text("[kiosk]\nidle_timeout_s = 20\n", "utf-8")
    run = run_kiosk("--settings", str(settings), "check-config")
    assert (run.code, run.out) == (0, "ok\n")
    assert run.err_lines[0].startswith(f'warning: {settings}: branch.code: "0000"')
