"""The settings file of SPEC §13: defaults, first run, and every kind of bad value."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.settings import (
    SettingsError,
    default_settings,
    default_settings_path,
    defaults_template,
    load_settings,
)

SPEC_DEFAULTS = {
    "branch": {"name": "示例证券 示例营业部", "code": "0000", "kiosk_no": 1, "logo": ""},
    "kiosk": {
        "language": "zh_CN",
        "idle_timeout_s": 90,
        "idle_countdown_s": 15,
        "large_text": False,
    },
    "printing": {"printer": "", "on_failure": "export"},
    "storage": {"data_dir": "", "retention_days": 180},
    "admin": {"pin_hash": ""},
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
            "kiosk.idle_countdown_s: 121 is out of range; expected an integer 0–120",
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
        ('[admin]\npin_hash = "123456"\n', 'admin.pin_hash: "123456" is not accepted'),
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


def test_unwritable_config_folder_falls_back_to_defaults(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated_home / "blocked"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where a folder should be", "utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    settings = load_settings()
    assert settings == default_settings()
