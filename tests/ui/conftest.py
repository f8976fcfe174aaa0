"""The real kiosk window, offscreen, with its own settings file and data folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui import main_window, pages
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow

MakeWindow = Callable[..., KioskWindow]


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    return path


@pytest.fixture
def make_window(qtbot: QtBot, settings_file: Path) -> Iterator[MakeWindow]:
    """Build the window from main_window(); extra settings lines may be given as text."""
    made: list[KioskWindow] = []

    def make(extra: str = "", *, lockdown: bool = False, size: tuple[int, int] = (1920, 1080)):
        if extra:
            settings_file.write_text(settings_file.read_text("utf-8") + extra, "utf-8")
        window = main_window(settings_file, lockdown=lockdown)
        assert isinstance(window, KioskWindow), "settings should be valid here"
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.exit_to_desktop()


@pytest.fixture
def no_highlight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Options move on at once (the highlight delay has its own test)."""
    monkeypatch.setattr(pages, "HIGHLIGHT_MS", 0)


@pytest.fixture
def window(make_window: MakeWindow, no_highlight: None) -> KioskWindow:
    return make_window()


@pytest.fixture
def drive(window: KioskWindow) -> VisitDriver:
    return VisitDriver(window)
