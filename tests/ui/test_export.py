"""Export to a USB drive never leaves half a sheet on it (a real tmpfs under /media)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.driver import VisitDriver
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import mounted_tmpfs
from tests.ui.conftest import MakeWindow

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
FILLER = "filler.bin"
ROOM = 16 * 1024
"""What is left free on the full drive: less than a sheet (about 70 KB)."""


@pytest.fixture
def full_usb_drive() -> Iterator[Path]:
    """A mounted file system under /media, as a USB stick appears, with ROOM bytes free."""
    with mounted_tmpfs(Path("/media") / f"kiosk-full-{os.getpid()}", "1m") as mount:
        space = os.statvfs(mount)
        (mount / FILLER).write_bytes(b"\0" * (space.f_bavail * space.f_frsize - ROOM))
        yield mount


@pytest.mark.expected_log("kiosk.sheets", "could not export")
def test_an_export_to_a_full_drive_leaves_no_partial_sheet(
    make_window: MakeWindow, no_highlight: None, full_usb_drive: Path
) -> None:
    window = make_window()
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    message = drive.text("print.message")
    found = re.search(r"\d{4}-\d{8}-\d{4}", message)
    assert found, message
    number = found.group(0)
    # Nothing but the filler on the drive: no truncated PDF, no temporary file.
    assert sorted(p.name for p in full_usb_drive.iterdir()) == [FILLER]
    # The client is told the sheet is kept for staff, and it is, whole.
    assert "U盘" not in message
    kept = window.settings.data_path / "outbox" / f"{number}.pdf"
    assert kept.read_bytes().startswith(b"%PDF")
    assert kept.read_bytes().rstrip().endswith(b"%%EOF")
