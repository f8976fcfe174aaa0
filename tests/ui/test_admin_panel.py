"""The staff panel: the numbers, printer status and test print, reprint, CSV, settings, PIN."""

from __future__ import annotations

import sqlite3
import threading
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.engine import Questionnaire
from kiosk.pin import verify_pin
from kiosk.settings import default_settings
from kiosk.storage.sessions import DB_FILE, SessionLog, Stats, VisitRecord
from kiosk.ui.admin_panel import AdminPanel
from kiosk.ui.driver import VisitDriver
from kiosk.ui.tasks import Tasks
from kiosk.ui.texts import Language
from kiosk.ui.window import KioskWindow
from tests.helpers.cups import NO_CUPS, printed_file
from tests.helpers.ui import EXAMPLE, PIN, enter_pin, open_admin, settle
from tests.ui.conftest import MakeWindow


def test_todays_numbers_count_the_visits(window: KioskWindow, drive: VisitDriver) -> None:
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    drive.tap_and_wait("print.done")
    drive.tap_and_wait("result.finish")
    drive.tap_and_wait("rating.skip")
    drive.tap_and_wait("thanks.done")
    drive.begin()
    drive.answer("age", 50)
    window.wipe()  # abandoned at the second question
    drive.tap_and_wait("attract.start")
    drive.tap_and_wait("consent.decline")
    open_admin(drive)
    settle(window)
    counts = {
        name: drive.text(f"admin.count.{name}.today")
        for name in ("visits", "completed", "exported", "abandoned", "declined", "printed")
    }
    assert counts == {
        "visits": "3",
        "completed": "1",
        "exported": "1",
        "abandoned": "1",
        "declined": "1",
        "printed": "0",
    }
    assert "您的工作收入属于哪一种？ 1" in drive.text("admin.abandoned_where")
    assert "0/40/60 × 1" in drive.text("admin.allocations")
    assert window.pages["admin"].chart.bars[3] == ("中高", 1, 0)  # type: ignore[attr-defined]
    window.set_language("en")  # staff switch: every line follows, the counts too
    assert drive.text("admin.abandoned_where") == (
        "Abandoned at (30 days): Which best describes your income from work? 1"
    )
    assert drive.text("admin.allocations").startswith("Allocations (low/medium/high %")
    assert window.pages["admin"].chart.bars[3][0] == "Medium-high"  # type: ignore[attr-defined]


def test_settings_are_validated_saved_and_applied(
    window: KioskWindow, drive: VisitDriver, settings_file: Path
) -> None:
    open_admin(drive)
    drive.tap("admin.section.settings")
    name = window.findChild(QLineEdit, "admin.settings.branch_name")
    assert name is not None
    drive.tap("admin.settings.branch_name.edit")  # the on-screen keyboard
    drive.tap("admin.keyboard.clear")
    drive.tap("admin.keyboard.done")
    drive.tap("admin.settings.idle_timeout.more")
    drive.tap("admin.settings.save")
    message = drive.text("admin.settings.message")
    assert 'branch.name: "" is not accepted; expected a non-empty name' in message
    saved = tomllib.loads(settings_file.read_text("utf-8"))
    assert saved.get("kiosk", {}).get("idle_timeout_s", 90) == 90  # nothing was saved
    name.setText("港湾营业部")  # Chinese: as if from the settings file (no input method here)
    drive.tap("admin.settings.language.en")
    drive.tap("admin.settings.save")
    assert drive.text("admin.settings.message") == "已保存。"
    saved = tomllib.loads(settings_file.read_text("utf-8"))
    assert saved["branch"]["name"] == "港湾营业部"
    assert saved["kiosk"]["idle_timeout_s"] == 120
    assert saved["kiosk"]["language"] == "en"
    assert window.idle.timer.interval() == 120_000
    drive.tap_and_wait("admin.back")
    assert window.lang.lang == "en"  # the next visit starts in the new default
    assert window.branch_label.text() == "港湾营业部"
    assert "港湾营业部" in window.pages["attract"].branch.text()  # type: ignore[attr-defined]
    settle(window)
    actions = sqlite3.connect(window.settings.data_path / DB_FILE).execute(
        "SELECT action FROM admin_actions ORDER BY id"
    )
    assert [a for (a,) in actions] == ["pin_set", "unlock", "settings"]


def test_change_the_pin(window: KioskWindow, drive: VisitDriver, settings_file: Path) -> None:
    open_admin(drive)
    drive.tap("admin.section.settings")
    drive.tap("admin.change_pin")
    assert drive.text("admin.pin.title") == "请设置6位员工密码"
    enter_pin(drive, "111222")
    enter_pin(drive, "111222")
    assert drive.screen == "admin"
    stored = tomllib.loads(settings_file.read_text("utf-8"))["admin"]["pin_hash"]
    assert verify_pin("111222", stored)
    assert not verify_pin(PIN, stored)


def test_csv_export_from_the_panel(window: KioskWindow, drive: VisitDriver) -> None:
    drive.visit(EXAMPLE)
    window.wipe()
    open_admin(drive)
    drive.tap("admin.section.export")
    drive.tap("admin.export_csv")
    settle(window)
    text = drive.text("admin.export.result")
    assert text.startswith("已导出 1 条记录到 ")
    path = Path(text.removeprefix("已导出 1 条记录到 "))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_printer_status_test_print_and_reprint(
    make_window: MakeWindow, no_highlight: None, qtbot: QtBot
) -> None:
    if NO_CUPS:
        pytest.skip(NO_CUPS)
    window = make_window('[printing]\nprinter = "kiosk-pdf"\n')
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    number = drive.text("print.message").split("：")[1].split(".pdf")[0]
    window.wipe()
    open_admin(drive)
    drive.tap("admin.section.printer")
    settle(window)
    assert drive.text("admin.printer.status") == "打印机 kiosk-pdf：就绪"
    drive.tap("admin.test_print")
    settle(window)
    assert drive.text("admin.printer.result") == "已在 kiosk-pdf 打印。"
    drive.tap("admin.section.reprint")
    sheets = window.findChild(QListWidget, "admin.sheets")
    assert sheets is not None
    assert sheets.item(0).text() == number
    drive.tap("admin.reprint")
    settle(window)
    assert drive.text("admin.reprint.result") == f"{number}: 已在 kiosk-pdf 打印。"
    assert printed_file(number).is_file()


# ---------------------------------------------------------------------- late results


class SlowLog(SessionLog):
    """A session log whose statistics wait until the test lets them go."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.go = threading.Event()

    def stats(self, since: datetime, until: datetime) -> Stats:
        assert self.go.wait(30)
        return super().stats(since, until)


def test_statistics_arriving_after_the_panel_is_gone_are_dropped(
    qtbot: QtBot, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """Issue 11: "Internal C++ object already deleted" when the numbers came back late."""
    sessions = SlowLog(tmp_path / DB_FILE)
    tasks = Tasks()
    settings = default_settings()
    panel = AdminPanel(
        Language("zh_CN"),
        questionnaire,
        tasks=tasks,
        sessions=sessions,
        settings=lambda: settings,
        save=lambda _changes: settings,
    )
    panel.show_section("overview")  # asks for the numbers: the task now waits
    assert tasks.pending == 1
    shiboken6.delete(panel)  # the staff panel is gone (its window closed)
    sessions.go.set()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    tasks.shutdown()
    sessions.close()


# ---------------------------------------------------------------------- the session log


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
@pytest.mark.expected_log("kiosk.storage", "staff confirmed the clock")
def test_a_purge_refused_for_the_clock_is_shown_and_staff_can_confirm(
    make_window: MakeWindow, no_highlight: None, settings_file: Path
) -> None:
    """Issue 11: a clock that jumped forward purges nothing by itself; staff see why and
    say whether the date and time are right."""
    now = datetime.now()
    data = settings_file.parent / "data"
    before = SessionLog(data / DB_FILE)
    old = now - timedelta(days=200)
    before.record(VisitRecord(started_at=old, ended_at=old, language="en", outcome="declined"))
    # The kiosk last ran three days ago (as if switched off since).
    last = now - timedelta(days=3)
    before.check_clock(last, confirmed=True)
    before.record(VisitRecord(started_at=last, ended_at=last, language="en", outcome="declined"))
    before.close()
    window = make_window()
    drive = VisitDriver(window)
    settle(window)
    assert window.sessions.visit_count() == 2  # the start's purge was refused
    open_admin(drive)
    settle(window)
    notice = drive.text("admin.storage_notice")
    assert notice.startswith("过期记录暂未删除：本机时钟（")
    assert f"比本机上次运行时（{last:%Y-%m-%d %H:%M}）晚了一天以上" in notice
    assert drive.text("admin.clock_ok") == "日期和时间无误：删除过期记录"
    window.set_language("en")
    assert drive.text("admin.storage_notice").startswith("Old records are not being deleted")
    drive.tap("admin.clock_ok")
    settle(window)
    assert window.sessions.visit_count() == 1  # the visit of 200 days ago is gone
    assert not window.findChild(QLabel, "admin.storage_notice").isVisible()
    assert not window.findChild(QPushButton, "admin.clock_ok").isVisible()
    actions = sqlite3.connect(data / DB_FILE).execute("SELECT action FROM admin_actions")
    assert "clock_confirmed" in [a for (a,) in actions]


@pytest.mark.expected_log("kiosk.storage", "was deleted while the kiosk was running")
def test_a_session_log_deleted_between_two_visits_gets_the_second_visit(
    window: KioskWindow, drive: VisitDriver
) -> None:
    """Issue 11: a session log deleted while the kiosk ran silently lost every later visit."""
    path = window.settings.data_path / DB_FILE
    drive.visit(EXAMPLE)
    window.wipe()
    settle(window)
    path.unlink()
    drive.tap_and_wait("attract.start")
    drive.tap_and_wait("consent.decline")
    settle(window)
    assert path.is_file()
    db = sqlite3.connect(path)
    assert [o for (o,) in db.execute("SELECT outcome FROM visits")] == ["declined"]
    db.close()
    open_admin(drive)
    settle(window)
    notice = drive.text("admin.storage_notice")
    assert "本机运行期间测评记录文件被删除或替换" in notice
    assert str(path) in notice
