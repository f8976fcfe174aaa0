"""Print and export from the result screen, through a real CUPS PDF queue; nothing is lost.

Needs CUPS with the queue kiosk-pdf (scripts/test sets it up when root on Debian);
elsewhere these tests skip and say why.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.storage.sessions import DB_FILE
from kiosk.ui import sheets
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import mounted_tmpfs, run_kiosk
from tests.helpers.cups import NO_CUPS, cups, printed_file
from tests.helpers.ipp import Printer
from tests.ui.conftest import MakeWindow

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))

pytestmark = pytest.mark.skipif(bool(NO_CUPS), reason=NO_CUPS or "CUPS ready")


def sheet_number(text: str) -> str:
    found = re.search(r"\d{4}-\d{8}-\d{4}", text)
    assert found, text
    return found.group(0)


def print_visit(window: KioskWindow, qtbot: QtBot, *, watch: bool = False) -> VisitDriver:
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.print")
    assert drive.screen == "printing"
    assert drive.text("printing.message") == "正在打印…"
    if watch:  # the screen stays alive while the sheet prints
        before = drive.text("printing.dots")
        qtbot.waitUntil(lambda: drive.text("printing.dots") != before, timeout=3000)
    drive.wait_for("message")
    return drive


def export_visit(window: KioskWindow) -> VisitDriver:
    """A whole visit that ends with the export button; the message is on screen."""
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    return drive


def session_rows(window: KioskWindow) -> list[sqlite3.Row]:
    window.shutdown()  # finishes every pending write
    db = sqlite3.connect(window.settings.data_path / DB_FILE)
    db.row_factory = sqlite3.Row
    return db.execute("SELECT * FROM visits").fetchall()


def test_a_visit_ends_with_a_sheet_from_the_pdf_printer(
    make_window: MakeWindow,
    no_highlight: None,
    queue: str,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The PDF queue completes a job in a fraction of a second, sooner than the dots move:
    # the job takes a moment here, as on a real printer, so the screen is seen alive.
    real_print = sheets.print_pdf

    def print_a_little_later(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        return real_print(*args, **kwargs)

    monkeypatch.setattr(sheets, "print_pdf", print_a_little_later)
    window = make_window(f'[printing]\nprinter = "{queue}"\n')
    drive = print_visit(window, qtbot, watch=True)
    message = drive.text("print.message")
    assert message.startswith("请从打印机取走您的建议书")
    number = sheet_number(message)
    kept = window.settings.data_path / "outbox" / f"{number}.pdf"
    assert kept.is_file()
    output = printed_file(number)
    assert len(PdfReader(output).pages) == 1
    drive.tap_and_wait("print.done")
    drive.tap_and_wait("result.finish")
    drive.tap_and_wait("rating.5")
    drive.tap_and_wait("thanks.done")
    rows = session_rows(window)
    assert [(r["outcome"], r["sheet_number"], r["rating"]) for r in rows] == [
        ("printed", number, 5)
    ]


@pytest.mark.parametrize("breakage", ["cupsdisable", "cupsreject"])
@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_a_broken_queue_keeps_the_sheet_in_the_outbox(
    make_window: MakeWindow, no_highlight: None, queue: str, qtbot: QtBot, breakage: str
) -> None:
    window = make_window(f'[printing]\nprinter = "{queue}"\n')
    cups(breakage, queue)
    drive = print_visit(window, qtbot)
    message = drive.text("print.message")
    assert "打印机暂时无法使用" in message
    number = sheet_number(message)
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()
    assert not drive.widget("print.done").isHidden()
    assert window.findChild(type(drive.widget("print.done")), "print.retry").isHidden()
    drive.tap_and_wait("print.done")
    drive.tap_and_wait("result.finish")
    drive.tap_and_wait("rating.skip")
    drive.tap_and_wait("thanks.done")
    rows = session_rows(window)
    assert [(r["outcome"], r["sheet_number"]) for r in rows] == [("print_failed", number)]


@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_retry_is_offered_once(
    make_window: MakeWindow, no_highlight: None, queue: str, qtbot: QtBot
) -> None:
    window = make_window(f'[printing]\nprinter = "{queue}"\non_failure = "retry"\n')
    cups("cupsdisable", queue)
    drive = print_visit(window, qtbot)
    assert drive.text("print.message") == "打印机未能完成您的建议书。要再试一次吗？"
    drive.tap_and_wait("print.retry")
    drive.wait_for("message")
    message = drive.text("print.message")
    assert "打印机暂时无法使用" in message
    assert window.findChild(type(drive.widget("print.done")), "print.retry").isHidden()
    # One visit, one sheet number: the retry printed the same sheet.
    assert len(list((window.settings.data_path / "outbox").glob("*.pdf"))) == 1


@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_a_printer_that_does_not_exist(
    make_window: MakeWindow, no_highlight: None, qtbot: QtBot
) -> None:
    window = make_window('[printing]\nprinter = "no-such-printer"\n')
    drive = print_visit(window, qtbot)
    number = sheet_number(drive.text("print.message"))
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()


def test_export_saves_the_sheet_and_names_the_file(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window()
    drive = export_visit(window)
    message = drive.text("print.message")
    number = sheet_number(message)
    assert f"{number}.pdf" in message
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()
    drive.tap_and_wait("print.done")
    drive.tap_and_wait("result.export")  # again: the same sheet, the same number
    drive.wait_for("message")
    assert sheet_number(drive.text("print.message")) == number
    QApplication.processEvents()


def test_the_screen_and_kiosk_report_give_the_same_sheet(
    make_window: MakeWindow, no_highlight: None, tmp_path: Path
) -> None:
    window = make_window()
    drive = export_visit(window)
    number = sheet_number(drive.text("print.message"))
    from_screen = PdfReader(window.settings.data_path / "outbox" / f"{number}.pdf")
    out = tmp_path / "report.pdf"
    settings = window.settings.path
    assert settings is not None
    run = run_kiosk(
        "--settings", str(settings), "report", "--answers", str(WORKED_EXAMPLE), "--out", str(out)
    )
    assert run.code == 0, run.err

    def normalised(reader: PdfReader) -> str:
        text = reader.pages[0].extract_text()
        text = re.sub(r"\d{4}-\d{8}-\d{4}", "N", text)
        return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "T", text)

    assert normalised(from_screen) == normalised(PdfReader(out))


@pytest.mark.expected_log("kiosk.printing", ": timeout:")
@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_a_job_that_never_finishes_times_out_and_keeps_the_sheet(
    make_window: MakeWindow, no_highlight: None, stuck_queue: str, qtbot: QtBot
) -> None:
    window = make_window(f'[printing]\nprinter = "{stuck_queue}"\n')
    window.print_timeout_s = 3.0
    drive = print_visit(window, qtbot)
    message = drive.text("print.message")
    assert "打印机暂时无法使用" in message
    number = sheet_number(message)
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()
    session_rows(window)  # waits for the writes
    prints = sqlite3.connect(window.settings.data_path / DB_FILE).execute(
        "SELECT sheet_number, printer, result FROM prints"
    )
    assert prints.fetchall() == [(number, stuck_queue, "timeout")]


@pytest.fixture
def usb_drive(tmp_path: Path) -> Iterator[Path]:
    """A real mounted file system under /media, as a USB stick appears (root only)."""
    with mounted_tmpfs(Path("/media") / f"kiosk-test-{os.getpid()}", "4m") as mount:
        yield mount


def test_export_goes_to_a_usb_drive_when_one_is_plugged_in(
    make_window: MakeWindow, no_highlight: None, usb_drive: Path
) -> None:
    window = make_window()
    drive = export_visit(window)
    message = drive.text("print.message")
    assert message.startswith("您的建议书已保存到U盘")
    number = sheet_number(message)
    copy = usb_drive / f"{number}.pdf"
    assert copy.read_bytes().startswith(b"%PDF")
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()


@pytest.mark.expected_log("kiosk.printing", ": timeout:")
@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_a_timed_out_job_is_withdrawn(
    make_window: MakeWindow, no_highlight: None, stuck_queue: str, qtbot: QtBot
) -> None:
    window = make_window(f'[printing]\nprinter = "{stuck_queue}"\n')
    window.print_timeout_s = 2.0
    print_visit(window, qtbot)
    pending = subprocess.run(
        ["lpstat", "-W", "not-completed", "-o", stuck_queue],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert pending.stdout.strip() == ""


@pytest.mark.expected_log("kiosk.sheets", "not printed")
@pytest.mark.expected_log("kiosk.printing", "media_empty")
def test_a_printer_out_of_paper_is_named_in_the_clients_words(
    make_window: MakeWindow, no_highlight: None, printer: Printer, qtbot: QtBot
) -> None:
    """A real IPP printer (ippeveprinter) with an empty tray: SPEC §19's calm sentence
    names the cause, the sheet is kept, and nothing reached the printer."""
    window = make_window(f'[printing]\nprinter = "{printer.queue}"\n')
    printer.set_paper(0)
    drive = print_visit(window, qtbot)
    message = drive.text("print.message")
    assert message.startswith("打印机缺纸。打印机暂时无法使用")
    number = sheet_number(message)
    window.set_language("en")
    assert drive.text("print.message").startswith("The printer is out of paper. The printer")
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()
    assert printer.received() == []


def result_note(window: KioskWindow) -> QLabel:
    note = window.findChild(QLabel, "result.printer_unavailable")
    assert note is not None
    return note


def role(window: KioskWindow, name: str) -> str:
    """The button's style role ('' when it has none): "primary" is the main action."""
    found = window.findChild(QPushButton, name)
    assert found is not None
    return str(found.property("role") or "")


def test_the_result_screen_offers_saving_first_when_the_printer_is_out_of_paper(
    make_window: MakeWindow, no_highlight: None, printer: Printer, qtbot: QtBot
) -> None:
    """SPEC §19: the printer was asked when the visit reached review; the result screen
    says calmly that it cannot print, and saving becomes the main action."""
    window = make_window(f'[printing]\nprinter = "{printer.queue}"\n')
    printer.set_paper(0)
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    assert drive.screen == "result"
    note = result_note(window)
    qtbot.waitUntil(note.isVisible, timeout=10_000)
    assert note.text() == "打印机缺纸。您可以先将结果单保存为文件，我们的工作人员会为您打印。"
    assert (role(window, "result.export"), role(window, "result.print")) == ("primary", "")
    window.set_language("en")
    assert note.text() == (
        "The printer is out of paper. "
        "You can save your sheet as a file instead; our staff will print it for you."
    )
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    number = sheet_number(drive.text("print.message"))
    assert (window.settings.data_path / "outbox" / f"{number}.pdf").is_file()
    assert printer.received() == []


def test_a_printer_that_can_print_keeps_printing_the_main_action(
    make_window: MakeWindow, no_highlight: None, printer: Printer, qtbot: QtBot
) -> None:
    window = make_window(f'[printing]\nprinter = "{printer.queue}"\n')
    VisitDriver(window).visit(EXAMPLE)
    qtbot.waitUntil(lambda: window.visit.printer_cause is not None, timeout=10_000)
    assert window.visit.printer_cause == ""
    assert not result_note(window).isVisible()
    assert (role(window, "result.print"), role(window, "result.export")) == ("primary", "")


def test_a_queue_that_does_not_exist_is_said_before_printing(
    make_window: MakeWindow, no_highlight: None, qtbot: QtBot
) -> None:
    window = make_window('[printing]\nprinter = "kiosk-no-such-queue"\n')
    VisitDriver(window).visit(EXAMPLE)
    note = result_note(window)
    qtbot.waitUntil(note.isVisible, timeout=10_000)
    assert window.visit.printer_cause == "no_printer"
    assert note.text() == (
        "打印机暂时无法打印。您可以先将结果单保存为文件，我们的工作人员会为您打印。"
    )
    assert role(window, "result.export") == "primary"
