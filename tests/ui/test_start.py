"""The boot step: the attract screen is on the glass first, the rest of the kiosk follows
in its place.

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
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.ui import BootWindow, main_window, open_window
from kiosk.ui.driver import VisitDriver
from kiosk.ui.visit import ATTRACT, CONSENT, RESULT
from kiosk.ui.window import KioskWindow, StartupErrorWindow
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
# The engine's modules (its dataclass model among them) and `dataclasses` are not listed:
# `kiosk.engine` imports its modules plainly, so the boot screen loads them (issue 13,
# point 6); reading the questionnaire's data still waits for the kiosk window.
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


def shade_apart(one: int, other: int) -> int:
    """The largest difference of two ARGB pixels in one colour channel (0–255)."""
    return max(abs((one >> shift & 0xFF) - (other >> shift & 0xFF)) for shift in (0, 8, 16))


def boot(window: object) -> BootWindow:
    assert isinstance(window, BootWindow)
    return window


def test_the_attract_screen_comes_first_and_the_rest_after_its_paint(
    qtbot: QtBot, settings_file: Path, no_highlight: None
) -> None:
    window = boot(open_window(settings_file, size=(1920, 1080)))
    qtbot.addWidget(window)
    # Shown, but the event loop has not run: only the attract screen exists.
    assert window.isVisible()
    assert not window.ready
    assert window.findChild(QPushButton, "attract.start") is not None
    assert window.findChild(QPushButton, "consent.accept") is None
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    kiosk = window.kiosk_window()
    assert kiosk is not None
    assert kiosk.isVisible()
    assert kiosk.geometry() == window.rect()
    assert kiosk.visit.screen == ATTRACT
    assert CONSENT in kiosk.pages
    VisitDriver(kiosk).visit(EXAMPLE)
    assert kiosk.visit.screen == RESULT
    profile = kiosk.visit.profile
    assert profile is not None
    assert (profile.capacity.score, profile.attitude.score) == (67, 58)
    kiosk.exit_to_desktop()
    assert not window.isVisible()


def test_the_kiosk_takes_the_place_of_the_attract_screen_unseen(
    qtbot: QtBot, settings_file: Path
) -> None:
    """The boot screen and the kiosk's own attract screen look the same: the swap does not
    show (the kiosk's corner button is invisible)."""
    window = boot(open_window(settings_file, size=(1280, 800)))
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    before = window.grab().toImage()
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    after = window.grab().toImage()
    assert before.size() == after.size()
    # Glyphs may be anti-aliased a shade differently (seen: 4 of 255); nothing moves.
    visible = [
        (x, y)
        for x in range(0, before.width(), 2)
        for y in range(0, before.height(), 2)
        if shade_apart(before.pixel(x, y), after.pixel(x, y)) > 16
    ]
    assert visible == []
    kiosk = window.kiosk_window()
    assert kiosk is not None
    kiosk.exit_to_desktop()


def test_a_tap_before_the_kiosk_is_built_starts_the_visit(
    qtbot: QtBot, settings_file: Path
) -> None:
    window = boot(open_window(settings_file, size=(1280, 800)))
    qtbot.addWidget(window)
    assert not window.ready  # nothing has been painted yet
    button = window.findChild(QPushButton, "attract.lang.en")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ready)
    kiosk = window.kiosk_window()
    assert kiosk is not None
    assert kiosk.visit.screen == CONSENT
    assert kiosk.visit.lang == "en"
    kiosk.exit_to_desktop()


def test_a_locked_down_boot_screen_ignores_close_and_keys(
    qtbot: QtBot, settings_file: Path
) -> None:
    window = boot(open_window(settings_file, lockdown=True))
    qtbot.addWidget(window)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not window.close()
    QApplication.sendEvent(
        window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    )
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    assert not window.close()
    kiosk = window.kiosk_window()
    assert kiosk is not None
    kiosk.exit_to_desktop()
    assert not window.isVisible()


@pytest.mark.expected_log("kiosk.ui", "the kiosk cannot start")
def test_unusable_data_found_after_the_first_paint_shows_the_staff_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sessions.sqlite3").write_bytes(b"not a database " * 100)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{data}"\n', "utf-8")
    window = boot(open_window(settings, size=(1280, 800), lockdown=True))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    error = window.kiosk
    assert isinstance(error, StartupErrorWindow)
    assert error.isVisible()
    assert error.geometry() == window.rect()
    assert window.kiosk_window() is None
    problems = error.findChild(QLabel, "error.problems")
    assert problems is not None
    assert "sessions.sqlite3: the session log cannot be opened" in problems.text()
    exit_button = error.findChild(QPushButton, "error.exit")
    assert exit_button is not None
    qtbot.mouseClick(exit_button, Qt.MouseButton.LeftButton)  # staff can leave, even locked
    assert not window.isVisible()


def test_main_window_builds_the_whole_kiosk_at_once(qtbot: QtBot, settings_file: Path) -> None:
    window = main_window(settings_file)
    qtbot.addWidget(window)
    assert isinstance(window, KioskWindow)
    assert set(window.flow) <= set(window.pages)
    window.exit_to_desktop()


def test_the_boot_screen_waits_for_none_of_the_rest(tmp_path: Path, settings_file: Path) -> None:
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        import kiosk.cli
        from kiosk.settings import load_settings
        from kiosk.ui import BootWindow
        from kiosk.ui.app import ensure_app
        ensure_app()
        window = BootWindow(load_settings(Path({str(settings_file)!r})), lockdown=False)
        before = sorted(sys.modules)
        kiosk = window.complete()
        print(json.dumps({{"before": before, "after": sorted(sys.modules),
                           "class": type(kiosk).__name__}}))
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

    def loaded(modules: list[str], name: str) -> bool:
        return any(module == name or module.startswith(name + ".") for module in modules)

    early = [name for name in SECOND_STAGE if loaded(report["before"], name)]
    assert early == [], f"the attract screen waits for {early}"
    late = [
        name for name in SECOND_STAGE if name != "reportlab" and not loaded(report["after"], name)
    ]
    assert late == [], f"the kiosk did not load {late}"
