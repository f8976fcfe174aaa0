"""The sheet service: numbered sheets are kept, a reprint is the kept sheet, a test page
is never numbered or kept and says so across the page."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.engine import load_questionnaire, score
from kiosk.issuing import TEST_NUMBER, SheetService
from kiosk.settings import load_settings
from tests.conftest import WORKED_EXAMPLE


def service(tmp_path: Path) -> SheetService:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    return SheetService(load_settings(settings_file), load_questionnaire())


def test_an_issued_sheet_is_kept_and_a_reprint_is_that_sheet(tmp_path: Path) -> None:
    sheets = service(tmp_path)
    profile = score(sheets.questionnaire, json.loads(WORKED_EXAMPLE.read_text("utf-8")))
    sheet = sheets.issue(profile, "zh_CN")
    assert sheet.kept == tmp_path / "data" / "outbox" / f"{sheet.number}.pdf"
    assert sheet.kept.read_bytes() == sheet.pdf
    again = sheets.reprint(sheet.number)
    assert (again.number, again.pdf) == (sheet.number, sheet.pdf)
    assert sheets.issue(profile, "en").number != sheet.number


def test_a_test_page_is_never_numbered_or_kept(tmp_path: Path) -> None:
    sheets = service(tmp_path)
    page = sheets.test_page()
    assert (page.number, page.kept) == (TEST_NUMBER, None)
    assert not (tmp_path / "data" / "outbox").exists()
    # What it says across the page: tests/ui/test_staff_touch.py.
    assert len(PdfReader(io.BytesIO(page.pdf)).pages) == 1


@pytest.mark.expected_log("kiosk.issuing", "not kept")
def test_a_sheet_carries_the_code_of_its_qr(tmp_path: Path) -> None:
    """Unsigned without a key (signed: tests/test_sheet_key.py); a sheet the disk refused
    keeps its code for the session log; a test page's code is for sheet TEST."""
    from kiosk.engine.sheet_code import decode  # noqa: PLC0415

    sheets = service(tmp_path)
    answers = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
    profile = score(sheets.questionnaire, answers)
    sheet = sheets.issue(profile, "zh_CN")
    read = decode(sheets.questionnaire, sheet.code, None)
    assert (read.sheet, read.signature, dict(read.answers)) == (sheet.number, "unsigned", answers)
    refused = sheets.keep(replace(sheet, kept=None))  # its number is taken: not kept again
    assert (refused.kept, refused.code) == (None, sheet.code)
    assert "already kept" in refused.problem
    assert sheets.reprint(sheet.number).code == ""  # the outbox keeps only the PDF
    page = sheets.test_page()
    assert decode(sheets.questionnaire, page.code, None).sheet == TEST_NUMBER
