"""The staged start: the attract screen is on the glass first, the rest of the kiosk follows.

`open_window()` is how `kiosk` starts; these tests drive it with real windows and events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.ui import first_stage, open_window
from kiosk.ui.driver import VisitDriver
from kiosk.ui.visit import ATTRACT, CONSENT, RESULT
from kiosk.ui.window import KioskWindow, StartupErrorWindow
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
# The engine's modules (its dataclass model among them) and `dataclasses` are no longer
# listed: `kiosk.engine` imports its modules plainly, so the first stage loads them
# (issue 13, point 6); reading the questionnaire's data still waits for the second stage.
SECOND_STAGE = (
    "kiosk.storage.sessions",
    "kiosk.ui.pages",
    "kiosk.ui.admin_panel",
    "kiosk.printing",
    "reportlab",
    "sqlite3",
)
"""Modules the attract screen must not wait for (the session log, the other screens,
printing and the sheet)."""


def test_the_attract_screen_comes_first_and_the_rest_after_its_paint(
    qtbot: QtBot, settings_file: Path, no_highlight: None
) -> None:
    window = open_window(settings_file, size=(1920, 1080))
    qtbot.addWidget(window)
    assert isinstance(window, KioskWindow)
    # Shown, but the event loop has not run: only the attract screen exists.
    assert window.isVisible()
    assert not window.ready
    assert list(window.pages) == [ATTRACT]
    assert window.visit.screen == ATTRACT
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    assert CONSENT in window.pages
    assert window.visit.screen == ATTRACT
    VisitDriver(window).visit(EXAMPLE)
    assert window.visit.screen == RESULT
    profile = window.visit.profile
    assert profile is not None
    assert (profile.capacity.score, profile.attitude.score) == (67, 58)
    window.exit_to_desktop()


def test_a_tap_before_the_second_stage_starts_the_visit(qtbot: QtBot, settings_file: Path) -> None:
    window = first_stage(settings_file)
    qtbot.addWidget(window)
    assert isinstance(window, KioskWindow)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert not window.ready  # first_stage() alone never starts the second stage
    button = window.findChild(QPushButton, "attract.start")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.ready
    assert window.visit.screen == CONSENT
    window.exit_to_desktop()


@pytest.mark.expected_log("kiosk.ui", "the kiosk cannot start")
def test_unusable_data_found_after_the_first_paint_shows_the_staff_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sessions.sqlite3").write_bytes(b"not a database " * 100)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{data}"\n', "utf-8")
    window = open_window(settings, size=(1280, 800))
    qtbot.addWidget(window)
    assert isinstance(window, KioskWindow)
    assert window.visit.screen == ATTRACT
    qtbot.waitUntil(lambda: window.startup_error is not None, timeout=10_000)
    error = window.startup_error
    assert isinstance(error, StartupErrorWindow)
    qtbot.addWidget(error)
    qtbot.waitUntil(error.isVisible)
    assert not window.isVisible()
    assert error.size() == window.size()
    problems = error.findChild(QLabel, "error.problems")
    assert problems is not None
    assert "sessions.sqlite3: the session log cannot be opened" in problems.text()


def test_the_first_stage_waits_for_none_of_the_rest(tmp_path: Path, settings_file: Path) -> None:
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        import kiosk.cli
        from kiosk.ui import first_stage
        from kiosk.ui.app import ensure_app
        ensure_app()
        window = first_stage(Path({str(settings_file)!r}))
        before = sorted(sys.modules)
        problems = window.complete()
        print(json.dumps({{"before": before, "after": sorted(sys.modules), "problems": problems,
                           "class": type(window).__name__}}))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)},
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["class"] == "KioskWindow"
    assert report["problems"] == []

    def loaded(modules: list[str], name: str) -> bool:
        return any(module == name or module.startswith(name + ".") for module in modules)

    early = [name for name in SECOND_STAGE if loaded(report["before"], name)]
    assert early == [], f"the attract screen waits for {early}"
    late = [
        name for name in SECOND_STAGE if name != "reportlab" and not loaded(report["after"], name)
    ]
    assert late == [], f"the second stage did not load {late}"
