"""Through the real window: a lost sheet counter never reissues a number, overwrites a
kept sheet or drops a visit; the 1000th sheet of a day asks for staff."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from kiosk.storage.sessions import DB_FILE
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.conftest import WORKED_EXAMPLE
from tests.ui.conftest import MakeWindow

EXAMPLE = json.loads(WORKED_EXAMPLE.read_text("utf-8"))


def _export(window: KioskWindow) -> str:
    """A whole visit ended with the export button; returns the sheet number it named."""
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    found = re.search(r"\w+-\d{8}-\d{4}", drive.text("print.message"))
    assert found, drive.text("print.message")
    window.wipe()  # the visit ends and is recorded
    return found.group(0)


def _logged(window: KioskWindow) -> list[tuple[str, str]]:
    window.shutdown()  # finishes every pending write
    with sqlite3.connect(window.settings.data_path / DB_FILE) as db:
        rows = db.execute("SELECT sheet_number, outcome FROM visits ORDER BY id").fetchall()
    return [(str(number), str(outcome)) for number, outcome in rows]


def test_a_deleted_counter_never_overwrites_a_sheet_or_drops_a_visit(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window('[branch]\ncode = "0451"\nkiosk_no = 4\n')
    data: Path = window.settings.data_path
    first = _export(window)
    kept = (data / "outbox" / f"{first}.pdf").read_bytes()
    (data / "sheet_numbers.json").unlink()
    second = _export(window)
    assert first.startswith("0451-")
    assert first.endswith("-4001")
    assert second.endswith("-4002")
    assert (data / "outbox" / f"{first}.pdf").read_bytes() == kept
    assert (data / "outbox" / f"{second}.pdf").is_file()
    assert _logged(window) == [(first, "exported"), (second, "exported")]


@pytest.mark.expected_log("kiosk.ui", "the sheet could not be made")
def test_the_1000th_sheet_of_a_day_is_refused_not_renumbered(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window()
    data: Path = window.settings.data_path
    first = _export(window)
    day = first.split("-")[1]
    (data / "sheet_numbers.json").write_text(f'{{"{day}": 999}}', "utf-8")
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    assert "编号已用完" in drive.text("print.message")
    window.wipe()
    assert sorted(p.name for p in (data / "outbox").iterdir()) == [f"{first}.pdf"]
    assert _logged(window) == [(first, "exported"), ("None", "print_failed")]
