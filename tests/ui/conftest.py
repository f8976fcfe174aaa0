"""The real kiosk window, offscreen, with its own settings file and data folder; and the
CUPS queues the printing tests use (helpers that are not fixtures: tests.helpers.ui)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui import main_window
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.helpers.cups import NO_CUPS, QUEUE, cups

MakeWindow = Callable[..., KioskWindow]


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    return path


@pytest.fixture
def window_options() -> dict[str, object]:
    """Attributes make_window sets on every window it makes (no_highlight adds one)."""
    return {}


@pytest.fixture
def make_window(
    qtbot: QtBot, settings_file: Path, window_options: dict[str, object]
) -> Iterator[MakeWindow]:
    """Build the window from main_window(); extra settings lines may be given as text."""
    made: list[KioskWindow] = []

    def make(extra: str = "", *, lockdown: bool = False, size: tuple[int, int] = (1920, 1080)):
        if extra:
            settings_file.write_text(settings_file.read_text("utf-8") + extra, "utf-8")
        window = main_window(settings_file, lockdown=lockdown)
        assert isinstance(window, KioskWindow), "settings should be valid here"
        for name, value in window_options.items():
            setattr(window, name, value)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        if window.tasks.closed:
            # The test shut the workers down to read what they wrote: staff's "exit" could
            # not be written any more (a warning), so the window is only closed.
            window.allow_close = True
            window.close()
        else:
            window.exit_to_desktop()


@pytest.fixture
def no_highlight(window_options: dict[str, object]) -> None:
    """Options move on at once (the highlight delay has its own test)."""
    window_options["highlight_ms"] = 0


@pytest.fixture
def window(make_window: MakeWindow, no_highlight: None) -> KioskWindow:
    return make_window()


@pytest.fixture
def drive(window: KioskWindow) -> VisitDriver:
    return VisitDriver(window)


# ---------------------------------------------------------------------- CUPS


@pytest.fixture
def queue() -> Iterator[str]:
    """The PDF queue, enabled and accepting, and so again after each test."""
    if NO_CUPS:
        pytest.skip(NO_CUPS)
    cups("cupsenable", QUEUE)
    cups("cupsaccept", QUEUE)
    yield QUEUE
    cups("cupsenable", QUEUE)
    cups("cupsaccept", QUEUE)


@pytest.fixture
def stuck_queue() -> Iterator[str]:
    """A queue whose printer never answers: its jobs stay 'processing'. Named after this
    process, so that test runs at the same time do not cancel each other's jobs."""
    if NO_CUPS:
        pytest.skip(NO_CUPS)
    name = f"kiosk-stuck-{os.getpid()}"
    cups(
        "lpadmin",
        "-p",
        name,
        "-v",
        "socket://127.0.0.1:9",
        "-E",
        "-m",
        "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
    )
    yield name
    subprocess.run(["cancel", "-a", name], check=False, capture_output=True)
    subprocess.run(["lpadmin", "-x", name], check=False, capture_output=True)
