"""Two workers (kiosk.ui.tasks): a printer that never answers holds back neither the
session log's writes nor the staff's numbers (issue 13, point 3)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.storage.sessions import DB_FILE, SessionLog, VisitRecord
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.tasks import Tasks
from tests.helpers.cups import cups, jobs_not_completed
from tests.helpers.ui import EXAMPLE, open_admin, settle
from tests.ui.conftest import MakeWindow


def test_work_that_waits_on_the_devices_worker_does_not_hold_back_the_log(
    qtbot: QtBot, tmp_path: Path
) -> None:
    tasks = Tasks()
    sessions = SessionLog(tmp_path / DB_FILE)
    printer = threading.Event()
    printed: list[object] = []
    tasks.devices.run(lambda: printer.wait(30), printed.append, printed.append)
    now = datetime.now()
    record = VisitRecord(started_at=now, ended_at=now, language="en", outcome="declined")
    tasks.log.write(lambda: sessions.record(record))
    counted: list[object] = []
    tasks.log.run(sessions.visit_count, counted.append, counted.append)
    qtbot.waitUntil(lambda: counted == [1], timeout=1000)
    assert printed == []  # the "printer" still waits
    assert tasks.devices.pending == 1
    printer.set()
    qtbot.waitUntil(lambda: printed == [True], timeout=5000)
    assert tasks.pending == 0
    tasks.shutdown()
    sessions.close()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# The stuck job, cancelled at the end, is not printed.
@pytest.mark.expected_log("kiosk.printing", "canceled")
@pytest.mark.expected_log("kiosk.sheets", "not printed")
def test_a_stuck_printer_does_not_delay_a_session_log_write(
    make_window: MakeWindow, no_highlight: None, stuck_queue: str, qtbot: QtBot
) -> None:
    window = make_window(f'[printing]\nprinter = "{stuck_queue}"\n')
    window.print_timeout_s = 60.0  # longer than anything below waits
    settle(window)  # the start's purge
    path = window.settings.data_path / DB_FILE
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.print")
    assert drive.screen == "printing"
    # The sheet is at the printer, which never answers: CUPS keeps the job processing.
    wait_until(lambda: bool(jobs_not_completed(stuck_queue)), 30)
    window.wipe()  # the visit ends (its record is written) while its sheet still prints
    qtbot.waitUntil(
        lambda: query(path, "SELECT outcome FROM visits") == [("completed",)], timeout=1000
    )
    open_admin(drive)  # the PIN set and the unlock are written; the numbers are read
    qtbot.waitUntil(lambda: drive.text("admin.count.visits.today") == "1", timeout=1000)
    qtbot.waitUntil(
        lambda: (
            query(path, "SELECT action FROM admin_actions ORDER BY id")
            == [("pin_set",), ("unlock",)]
        ),
        timeout=1000,
    )
    assert window.tasks.devices.pending == 1  # all the while, the sheet was printing
    assert query(path, "SELECT * FROM prints") == []
    cups("cancel", "-a", stuck_queue)  # the job ends, not printed
    settle(window, 30)
    window.shutdown()
    assert [printer for (printer,) in query(path, "SELECT printer FROM prints")] == [stuck_queue]
