"""The [sync] settings of SPEC §13/§18: defaults, validation naming file, key and value,
the kiosk's default name, and a password in the URI never shown or exported."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.fleet.connection import kiosk_id
from kiosk.settings import SettingsError, default_settings, load_settings, redacted_text


def test_sync_is_off_by_default_and_the_kiosk_is_named_by_branch_and_host() -> None:
    settings = default_settings()
    assert (settings.sync.url, settings.sync.kiosk_id, settings.sync.interval_s) == ("", "", 60)
    assert kiosk_id(settings) == f"0000-{socket.gethostname()}"
    named = replace(settings, sync=replace(settings.sync, kiosk_id="lobby-2"))
    assert kiosk_id(named) == "lobby-2"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('url = "mysql://kiosk@db/fleet"', 'sync.url: "mysql://kiosk@db/fleet" is not accepted'),
        ("url = 5", "sync.url: 5 is not a string"),
        ('kiosk_id = "lobby 2"', 'sync.kiosk_id: "lobby 2" is not accepted'),
        ('kiosk_id = "' + "k" * 65 + '"', "sync.kiosk_id"),
        ("interval_s = 4", "sync.interval_s: 4 is out of range; expected an integer 5–3600"),
        ("interval_s = 3601", "sync.interval_s: 3601 is out of range"),
        ("every = 5", "sync.every: 5 is an unknown key; expected one of url, kiosk_id, interval_s"),
    ],
)
def test_a_bad_sync_value_is_named(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[sync]\n{line}\n", "utf-8")
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert str(raised.value).startswith(f"{path}: {problem}")


def test_the_uri_password_is_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sync]\nurl = "postgres://kiosk:hunter2@db:5432/fleet"\nkiosk_id = "a b"\n')
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert "hunter2" not in str(raised.value)
    path.write_text(
        '[sync]\nurl = "postgresql://kiosk:hunter2@db.bank:5432/fleet?sslmode=verify-full"\n'
        "interval_s = 30\n"
    )
    settings = load_settings(path)
    assert settings.sync.url.endswith("?sslmode=verify-full")
    assert settings.sync.interval_s == 30
    assert "hunter2" not in repr(settings)
    exported = redacted_text(settings)
    assert "hunter2" not in exported
    assert 'url = "postgresql://kiosk:(removed)@db.bank:5432/fleet?sslmode=verify-full"' in exported
