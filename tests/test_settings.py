"""The settings file of SPEC §13: defaults, first run, and every kind of bad value."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kiosk.pin import hash_pin, verify_pin
from kiosk.settings import (
    SettingsError,
    default_settings,
    default_settings_path,
    defaults_template,
    load_settings,
)

SPEC_DEFAULTS = {
    "branch": {
        "name": "示例证券 示例营业部",
        "code": "0000",
        "kiosk_no": 1,
        "logo": "",
        "sheet_key": "",
    },
    "kiosk": {
        "language": "zh_CN",
        "idle_timeout_s": 90,
        "idle_countdown_s": 20,
        "large_text": False,
    },
    "printing": {"printer": "", "on_failure": "export"},
    "storage": {"data_dir": "", "retention_days": 180},
    "admin": {"pin_hash": ""},
    "sync": {"url": "", "kiosk_id": "", "interval_s": 60},
}


def test_defaults_are_the_spec_defaults() -> None:
    with defaults_template().open("rb") as handle:
        assert tomllib.load(handle) == SPEC_DEFAULTS
    settings = default_settings()
    assert settings.branch.name == "示例证券 示例营业部"
    assert settings.kiosk.idle_timeout_s == 90
    assert settings.kiosk.large_text is False
    assert settings.printing.on_failure == "export"
    assert settings.storage.retention_days == 180


def test_first_run_writes_the_defaults(isolated_home: Path) -> None:
    path = default_settings_path()
    assert str(path).startswith(str(isolated_home))
    assert not path.exists()
    settings = load_settings()
    assert path.read_bytes() == defaults_template().read_bytes()
    assert settings == load_settings(path)
    assert settings.data_path == isolated_home / "data" / "branch-risk-kiosk"


def test_every_key_is_optional(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[kiosk]\nlanguage = "en"\n[storage]\ndata_dir = "/srv/kiosk"\n', "utf-8")
    settings = load_settings(path)
    assert settings.kiosk.language == "en"
    assert settings.kiosk.idle_timeout_s == 90
    assert settings.branch.code == "0000"
    assert settings.data_path == Path("/srv/kiosk")
    assert settings.path == path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "[kiosk]\nidle_timeout_s = 4\n",
            "kiosk.idle_timeout_s: 4 is out of range; expected an integer 5–3600",
        ),
        ("[kiosk]\nidle_timeout_s = 3601\n", "kiosk.idle_timeout_s: 3601 is out of range"),
        (
            "[kiosk]\nidle_countdown_s = 121\n",
            "kiosk.idle_countdown_s: 121 is out of range; expected an integer 20–120",
        ),
        (
            "[kiosk]\nidle_countdown_s = 15\n",
            "kiosk.idle_countdown_s: 15 is out of range; expected an integer 20–120",
        ),
        ('[kiosk]\nidle_timeout_s = "90"\n', 'kiosk.idle_timeout_s: "90" is not an integer'),
        ("[kiosk]\nidle_timeout_s = true\n", "kiosk.idle_timeout_s: true is not an integer"),
        ("[kiosk]\nidle_timeout_s = 90.0\n", "kiosk.idle_timeout_s: 90.0 is not an integer"),
        (
            "[kiosk]\nlarge_text = 1\n",
            "kiosk.large_text: 1 is not a boolean; expected true or false",
        ),
        (
            '[kiosk]\nlanguage = "fr"\n',
            'kiosk.language: "fr" is not accepted; expected one of zh_CN, en',
        ),
        (
            '[kiosk]\nlanguge = "en"\n',
            'kiosk.languge: "en" is an unknown key; expected one of language,',
        ),
        ('[kiosks]\nlanguage = "en"\n', 'kiosks: {"language": "en"} is an unknown section'),
        ("kiosk = 3\n", "kiosk: 3 is not a table"),
        (
            '[printing]\non_failure = "shred"\n',
            'printing.on_failure: "shred" is not accepted; expected one of export, retry',
        ),
        ("[printing]\nprinter = 7\n", "printing.printer: 7 is not a string"),
        (
            "[storage]\nretention_days = 0\n",
            "storage.retention_days: 0 is out of range; expected an integer 1–3650",
        ),
        (
            '[branch]\ncode = "00-1"\n',
            'branch.code: "00-1" is not accepted; expected 1–16 letters or digits',
        ),
        ('[branch]\nname = "  "\n', 'branch.name: "  " is not accepted; expected a non-empty name'),
        (
            '[branch]\nlogo = "logo.jpg"\n',
            'branch.logo: "logo.jpg" is not accepted; expected empty or a .png or .svg path',
        ),
        ('[admin]\npin_hash = "123456"\n', "admin.pin_hash: (hidden) is not accepted"),
    ],
)
def test_bad_values_name_file_key_and_value(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}: {expected}")


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[kiosk]\nidle_timeout_s = 1\nlanguage = "de"\n[storage]\nretention_days = 0\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[kiosk\n", "is not valid TOML"),
        (b"\xff\xfe[kiosk]", "is not UTF-8 text"),
        (None, "file not found"),
    ],
)
def test_unreadable_settings(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "settings.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SettingsError, match=expected):
        load_settings(path)


def test_a_folder_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="is a folder"):
        load_settings(tmp_path)


@pytest.mark.expected_log("kiosk.settings", "could not write default settings")
def test_unwritable_config_folder_falls_back_to_defaults(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated_home / "blocked"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where a folder should be", "utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    settings = load_settings()
    assert settings == default_settings()


# ---------------------------------------------------------------------- values that pass
# the type checks but would break the kiosk at run time (issue 11)


def settings_with(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(content, "utf-8")
    return path


def refused(path: Path) -> tuple[str, ...]:
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[storage]\ndata_dir = "~nosuchuser/x"\n',
            'storage.data_dir: "~nosuchuser/x" cannot be expanded (no user nosuchuser); '
            "expected a folder path",
        ),
        (
            '[branch]\nlogo = "~nosuchuser/logo.png"\n',
            'branch.logo: "~nosuchuser/logo.png" cannot be expanded (no user nosuchuser); '
            "expected empty or a .png or .svg path",
        ),
        (
            '[branch]\ncode = "0451\\n"\n',
            'branch.code: "0451\\n" contains a control character (U+000A); expected printable text',
        ),
        (
            '[branch]\nname = "示例营业部\\u0007"\n',
            'branch.name: "示例营业部\\u0007" contains a control character (U+0007)',
        ),
        (
            '[printing]\nprinter = "kiosk\\u0000pdf"\n',
            'printing.printer: "kiosk\\u0000pdf" contains a control character (U+0000)',
        ),
        (
            '[branch]\nname = "Branch\\u202eknab"\n',
            'branch.name: "Branch\u202eknab" contains a control character (U+202E)',
        ),
        (
            '[branch]\nname = "' + "营" * 41 + '"\n',
            "is 41 characters long; expected a name of at most 40 characters",
        ),
    ],
)
def test_values_that_would_break_the_kiosk_are_refused(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = settings_with(tmp_path, content)
    problems = refused(path)
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith(f"{path}: ")


def test_a_name_of_40_characters_is_accepted(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '[branch]\nname = "' + "营" * 40 + '"\n')
    assert load_settings(path).branch.name == "营" * 40


@pytest.mark.parametrize(
    "pin_hash",
    [
        "scrypt$",
        "scrypt$16384$8$1$c2FsdA==",
        "scrypt$16384$8$1$!!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$not base64",
        "scrypt$16383$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$1048576$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$0$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$x$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
        "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    ],
)
def test_a_malformed_pin_hash_is_refused(tmp_path: Path, pin_hash: str) -> None:
    path = settings_with(tmp_path, f"[admin]\npin_hash = {json.dumps(pin_hash)}\n")
    problems = refused(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: admin.pin_hash: (hidden) ")
    assert "expected" in problems[0]
    assert pin_hash.rstrip() not in problems[0].replace('"scrypt$N$', "")  # shown in the lobby


def test_a_pin_hash_made_by_the_kiosk_is_accepted(tmp_path: Path) -> None:
    stored = hash_pin("246810")
    path = settings_with(tmp_path, f'[admin]\npin_hash = "{stored}"\n')
    assert verify_pin("246810", load_settings(path).admin.pin_hash)


def test_a_settings_file_with_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes('\ufeff[branch]\ncode = "0451"\n'.encode())
    assert load_settings(path).branch.code == "0451"


def test_a_settings_file_over_1_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"# padding\n" * 110_000)
    problems = refused(path)
    assert problems == (f"{path}: is larger than 1 MB; expected a TOML settings file",)


def test_a_number_too_long_to_convert_is_a_settings_error(tmp_path: Path) -> None:
    path = settings_with(tmp_path, "[kiosk]\nidle_timeout_s = " + "9" * 5000 + "\n")
    (problem,) = refused(path)
    assert problem.startswith(f"{path}: is not valid TOML")
    assert len(problem) < 300


def test_a_long_value_is_quoted_to_80_characters(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '[kiosk]\nlanguage = "' + "x" * 100_000 + '"\n')
    (problem,) = refused(path)
    assert '"' + "x" * 78 + "…" in problem  # 80 characters, the quote and the cut mark included
    assert "x" * 79 not in problem


# ---------------------------------------------------------------------- the logo


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk (all a size check reads), then nothing else."""
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + b"IHDR" + ihdr + b"\0" * 4


def logo_settings(tmp_path: Path, name: str, data: bytes) -> tuple[Path, Path]:
    logo = tmp_path / name
    logo.write_bytes(data)
    return settings_with(tmp_path, f'[branch]\nlogo = "{logo}"\n'), logo


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "big.png",
            png_header(400, 200) + b"\0" * (2 * 1024 * 1024),
            "is 2,097,185 bytes; expected a logo of at most 2 MB",
        ),
        (
            "wide.png",
            png_header(4001, 200),
            "is 4001×200 pixels; expected a logo of at most 4000 pixels each way",
        ),
        (
            "tall.svg",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100"'
            b' height="12000px"></svg>',
            "is 100×12000 pixels; expected a logo of at most 4000 pixels each way",
        ),
        (
            "box.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9000 100"></svg>',
            "is 9000×100 pixels; expected a logo of at most 4000 pixels each way",
        ),
        (
            "cm.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="200cm" height="1cm"></svg>',
            "pixels; expected a logo of at most 4000 pixels each way",
        ),
    ],
)
def test_a_logo_too_big_for_the_sheet_is_refused(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path, logo = logo_settings(tmp_path, name, data)
    (problem,) = refused(path)
    assert problem.startswith(f'{path}: branch.logo: "{logo}" ')
    assert expected in problem


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ok.png", png_header(4000, 4000)),
        (
            "ok.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"'
            b' viewBox="0 0 4000 4000"></svg>',
        ),
        ("plain.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ],
)
def test_a_logo_within_the_limits_is_accepted(tmp_path: Path, name: str, data: bytes) -> None:
    path, logo = logo_settings(tmp_path, name, data)
    assert load_settings(path).branch.logo == str(logo)


def test_a_missing_logo_does_not_stop_the_start(tmp_path: Path) -> None:
    # check-config reports it; the sheet goes without (see kiosk.report.load_logo).
    path = settings_with(tmp_path, f'[branch]\nlogo = "{tmp_path / "gone.png"}"\n')
    assert load_settings(path).branch.logo.endswith("gone.png")
