"""`[branch] sheet_key` (SPEC §13, §16): validated, and a secret that no error, repr,
log, diagnostics zip or sheet ever shows."""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.diagnostics import write_diagnostics
from kiosk.engine import load_questionnaire, score
from kiosk.engine.sheet_code import decode, key_from_hex
from kiosk.issuing import SheetService
from kiosk.settings import SettingsError, load_settings, redacted_text, save_settings
from tests.conftest import WORKED_EXAMPLE

KEY = secrets.token_hex(32)


def settings_file(tmp_path: Path, key: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[branch]\nsheet_key = {json.dumps(key)}\n[storage]\ndata_dir = "{tmp_path / "data"}"\n',
        "utf-8",
    )
    return path


@pytest.mark.parametrize("key", ["", KEY, KEY.upper()])
def test_a_key_of_64_hex_digits_or_none_is_accepted(tmp_path: Path, key: str) -> None:
    assert load_settings(settings_file(tmp_path, key)).branch.sheet_key == key


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (KEY[:-1], "(63 hex digits)"),
        (KEY + "0", "(65 hex digits)"),
        ("z" + KEY[1:], "(64 characters, not all hex digits)"),
        (" " + KEY, "(65 characters, not all hex digits)"),
        ("0x" + KEY[2:], "(64 characters, not all hex digits)"),
    ],
)
def test_a_bad_key_is_named_but_never_shown(tmp_path: Path, key: str, why: str) -> None:
    path = settings_file(tmp_path, key)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    [problem] = caught.value.problems
    assert problem == (
        f"{path}: branch.sheet_key: (hidden) is not accepted {why}; "
        "expected empty or 64 hex digits (the bank's 32-byte sheet key)"
    )
    assert key.strip()[8:40] not in problem


@pytest.mark.parametrize("value", ["1234", "true", "[1, 2]"])
def test_a_key_that_is_not_text_is_refused_unshown(tmp_path: Path, value: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[branch]\nsheet_key = {value}\n", "utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.problems == (
        f"{path}: branch.sheet_key: (hidden) is not a string; expected text in quotes",
    )


def test_the_key_is_not_in_the_repr_of_the_settings(tmp_path: Path) -> None:
    settings = load_settings(settings_file(tmp_path, KEY))
    for shown in (repr(settings), str(settings), repr(settings.branch), f"{settings}"):
        assert KEY not in shown
        assert "sheet_key=(set)" in shown
    assert "sheet_key=(empty)" in repr(load_settings(settings_file(tmp_path, "")))


def test_saving_other_settings_keeps_the_key(tmp_path: Path) -> None:
    settings = load_settings(settings_file(tmp_path, KEY))
    saved = save_settings(settings, {"kiosk": {"language": "en"}})
    assert saved.branch.sheet_key == KEY
    assert saved.path is not None
    assert load_settings(saved.path).branch.sheet_key == KEY


def test_the_diagnostics_zip_never_holds_the_key(tmp_path: Path) -> None:
    settings = load_settings(settings_file(tmp_path, KEY))
    logs = settings.data_path / "logs"
    logs.mkdir(parents=True)
    (logs / "kiosk.log").write_text(f"{settings!r}\n", "utf-8")  # even a careless log line
    target = write_diagnostics(tmp_path / "out", settings, {})
    with zipfile.ZipFile(target) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert KEY.encode() not in everything
    assert KEY.upper().encode() not in everything
    assert 'sheet_key = "(removed)"' in redacted_text(settings)
    assert 'sheet_key = ""' in redacted_text(load_settings(settings_file(tmp_path, "")))


def test_the_key_signs_the_sheet_and_is_not_on_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = load_settings(settings_file(tmp_path, KEY))
    questionnaire = load_questionnaire()
    profile = score(questionnaire, json.loads(WORKED_EXAMPLE.read_text("utf-8")))
    sheet = SheetService(settings, questionnaire).issue(profile, "en", staff_copy=True)
    assert decode(questionnaire, sheet.code, key_from_hex(KEY)).signature == "valid"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.pdf)).pages)
    for secret in (KEY, KEY.upper(), bytes.fromhex(KEY).hex()):
        assert secret not in text
        assert secret.encode() not in sheet.pdf
    assert bytes.fromhex(KEY) not in sheet.pdf
    assert KEY not in caplog.text
