"""Start-up under faults shows staff what is wrong; an error mid-visit goes back to the start."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk import fonts
from kiosk.logs import setup_logging
from kiosk.ui import app as app_module
from kiosk.ui import main_window
from kiosk.ui.crash import CrashGuard
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.window import KioskWindow, StartupErrorWindow
from tests.helpers.ui import EXAMPLE, open_admin
from tests.ui.conftest import MakeWindow


def staff_error(qtbot: QtBot, settings: Path) -> str:
    window = main_window(settings)
    qtbot.addWidget(window)
    assert isinstance(window, StartupErrorWindow)
    problems = window.findChild(QLabel, "error.problems")
    assert problems is not None
    return problems.text()


def data_settings(tmp_path: Path, data: Path) -> Path:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{data}"\n', "utf-8")
    return settings


@pytest.mark.expected_log("kiosk.ui", "the kiosk cannot start")
def test_a_database_that_is_not_sqlite(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sessions.sqlite3").write_bytes(b"garbage " * 1000)
    text = staff_error(qtbot, data_settings(tmp_path, data))
    assert "sessions.sqlite3: the session log cannot be opened" in text
    assert "move the file aside" in text


@pytest.mark.expected_log("kiosk.ui", "the kiosk cannot start")
def test_a_database_from_a_newer_kiosk(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "sessions.sqlite3")
    db.execute("PRAGMA user_version = 42")
    db.close()
    text = staff_error(qtbot, data_settings(tmp_path, data))
    assert "from a newer kiosk (schema 42" in text


@pytest.mark.expected_log("kiosk.ui", "the kiosk cannot start")
def test_an_unusable_data_folder(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", "utf-8")
    text = staff_error(qtbot, data_settings(tmp_path, blocker / "data"))
    assert "the session log cannot be created" in text
    assert "data folder" in text


def test_a_missing_font(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "gone.ttc"
    monkeypatch.setattr(app_module, "font_path", lambda: missing)
    app = QApplication.instance()
    assert app is not None
    loaded = app.property("kiosk_font")
    app.setProperty("kiosk_font", None)
    try:
        text = staff_error(qtbot, data_settings(tmp_path, tmp_path / "data"))
    finally:
        app.setProperty("kiosk_font", loaded)
    assert f"{missing}: the screen font is missing or damaged; reinstall the kiosk" in text
    assert fonts.font_path().is_file()


def test_a_broken_settings_file(qtbot: QtBot, tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[kiosk\n", "utf-8")
    assert "is not valid TOML" in staff_error(qtbot, settings)


@pytest.mark.qt_no_exception_capture
@pytest.mark.expected_log("kiosk.crash", "unexpected error in the screens")
def test_an_error_mid_visit_is_logged_and_the_kiosk_starts_again(
    window: KioskWindow, drive: VisitDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = setup_logging(window.settings.data_path)
    assert log_file is not None
    guard = CrashGuard(window.recover)
    guard.install()
    try:

        def broken() -> None:
            raise RuntimeError("the engine room is flooded")

        monkeypatch.setattr(window, "confirm", broken)
        review = window.pages["review"]
        review.confirmed.disconnect()
        review.confirmed.connect(broken)
        drive.begin()
        for screen in window.flow[window.flow.index("age") : window.flow.index("review")]:
            if screen == "optional_intro":
                drive.tap_and_wait("optional.skip_all")
                break
            drive.answer(screen, EXAMPLE[screen])
        drive.tap("review.confirm")
        wait_until(lambda: drive.screen == "attract")
        assert window.visit.answers == {}
        wait_until(lambda: window.tasks.pending == 0)
        text = log_file.read_text("utf-8")
        assert "the engine room is flooded" in text
        assert "Traceback" in text
    finally:
        guard.uninstall()


def test_diagnostics_zip_has_logs_and_versions_but_no_pin(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window()
    setup_logging(window.settings.data_path)
    drive = VisitDriver(window)
    open_admin(drive)
    drive.tap("admin.section.export")
    drive.tap("admin.diagnostics")
    wait_until(lambda: window.tasks.pending == 0, 30)
    text = drive.text("admin.diagnostics.result")
    path = Path(text.split("诊断文件已保存到 ")[1])
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "versions.txt" in names
        assert "settings.toml" in names
        settings = archive.read("settings.toml").decode("utf-8")
        versions = archive.read("versions.txt").decode("utf-8")
    assert 'pin_hash = "(removed)"' in settings
    assert "scrypt$" not in settings
    assert "PySide6: 6.11.3" in versions
    assert "questionnaire: branch-risk-profile 1.0.0" in versions


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[storage]\ndata_dir = "~nosuchuser/x"\n', "storage.data_dir: "),
        ('[branch]\ncode = "0451\\n"\n', "branch.code: "),
        ('[branch]\nname = "Branch\\u0007"\n', "branch.name: "),
        ('[branch]\nname = "' + "营" * 41 + '"\n', "branch.name: "),
        ('[admin]\npin_hash = "scrypt$16384$8$1$c2FsdA==$c2FsdA=="\n', "admin.pin_hash: "),
    ],
)
def test_settings_that_would_break_the_kiosk_show_the_staff_screen(
    qtbot: QtBot, tmp_path: Path, content: str, expected: str
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    if "[storage]" in content:
        settings.write_text(content, "utf-8")
    else:
        settings.write_text(settings.read_text("utf-8") + content, "utf-8")
    text = staff_error(qtbot, settings)
    assert f"{settings}: {expected}" in text


def test_a_logo_too_big_for_the_sheet_shows_the_staff_screen(qtbot: QtBot, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    ihdr = (30_000).to_bytes(4, "big") + (20_000).to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + b"IHDR" + ihdr)
    settings = data_settings(tmp_path, tmp_path / "data")
    settings.write_text(settings.read_text("utf-8") + f'[branch]\nlogo = "{logo}"\n', "utf-8")
    text = staff_error(qtbot, settings)
    assert f'branch.logo: "{logo}" is 30000×20000 pixels; expected a logo of at most 4000' in text
