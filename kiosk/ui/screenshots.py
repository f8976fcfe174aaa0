"""`kiosk screenshots`: every screen of the wizard as a PNG, offscreen, with a sample client."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.engine import default_resources_dir
from kiosk.engine.errors import DataError
from kiosk.settings import Settings, save_settings
from kiosk.ui import main_window
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.visit import OPTIONAL_INTRO, REVIEW

SAMPLE = default_resources_dir() / "examples" / "worked_example.json"


def take_screenshots_aside(
    settings: Settings, out: Path, lang: str, size: tuple[int, int]
) -> list[Path]:
    """take_screenshots() on a kiosk with these settings but a throwaway data folder (and
    settings file), removed afterwards: the sample visit, its sheet number, its sheet and
    its print failure never reach the kiosk's real session log and outbox.

    Raises DataError when the kiosk cannot start, OSError when a PNG cannot be written.
    """
    from kiosk.ui.window import KioskWindow  # noqa: PLC0415 - built after the boot screen

    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as scratch:
        folder = Path(scratch)
        aside = save_settings(
            replace(settings, path=folder / "settings.toml"),
            {"storage": {"data_dir": str(folder / "data")}},
        )
        window = main_window(aside.path)
        if not isinstance(window, KioskWindow):
            problems = window.findChild(QLabel, "error.problems")
            window.close()
            raise DataError(problems.text().splitlines() if problems else ["cannot start"])
        try:
            return take_screenshots(window, out, lang, size)
        finally:
            window.exit_to_desktop()
            window.shutdown()  # every write done and the session log closed


def take_screenshots(window: QWidget, out: Path, lang: str, size: tuple[int, int]) -> list[Path]:
    """Walk a sample visit through `window`, saving each screen; return the files written."""
    answers: dict[str, object] = json.loads(SAMPLE.read_text("utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    window.resize(*size)
    window.show()
    drive = VisitDriver(window)
    written: list[Path] = []
    number = 0

    def shot(name: str, before: Callable[[], None] | None = None) -> None:
        nonlocal number
        if before is not None:
            before()
        wait_until(lambda: True)
        number += 1
        path = out / f"{number:02d}-{name}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"{path}: could not be written")
        written.append(path)

    saved_delay = window.highlight_ms  # type: ignore[attr-defined]
    window.highlight_ms = 0  # type: ignore[attr-defined]  # options move on at once
    try:
        shot("attract")
        drive.tap_and_wait(f"attract.lang.{lang}")
        shot("consent")
        drive.tap_and_wait("consent.accept")
        shot("number-question-empty")
        drive.type_number("age", 150)
        shot("number-pad-refuses-150")
        drive.type_number("age", int(str(answers["age"])))
        shot("number-question-typed")
        drive.tap_and_wait("nav.next")
        shot("choice-question")
        flow = list(window.flow)  # type: ignore[attr-defined]
        for screen in flow[flow.index("job") : flow.index(OPTIONAL_INTRO)]:
            if screen == "loss_tolerance_pct":
                drive.type_number(screen, int(str(answers[screen])))
                shot("loss-question-with-example")
                drive.tap_and_wait("nav.next")
            else:
                drive.answer(screen, answers[screen])
        shot("optional-intro")
        drive.tap_and_wait("nav.next")
        shot("optional-question")
        for screen in flow[flow.index(OPTIONAL_INTRO) + 1 : flow.index(REVIEW)]:
            drive.answer(screen, answers.get(screen))
        shot("review")
        drive.tap_and_wait("review.confirm")
        shot("result")
        # A queue that does not exist: the screenshots never print, and show the failure.
        settings = window.settings  # type: ignore[attr-defined]
        window.settings = replace(  # type: ignore[attr-defined]
            settings, printing=replace(settings.printing, printer="no-such-printer")
        )
        drive.tap_and_wait("result.print")
        shot("printing")
        drive.wait_for("message")
        shot("print-failure-message")
        drive.tap_and_wait("print.done")
        window.settings = settings  # type: ignore[attr-defined]
        drive.tap_and_wait("result.finish")
        shot("rating")
        window.idle.start_countdown()  # type: ignore[attr-defined]
        shot("idle-countdown")
        window.idle.resume()  # type: ignore[attr-defined]
        drive.tap_and_wait("rating.5")
        shot("thanks")
        drive.tap_and_wait("thanks.done")
        for _ in range(5):
            drive.tap("admin.corner")
        wait_until(lambda: drive.screen == "pin")
        shot("pin-pad")
        drive.tap_and_wait("admin.pin.cancel")
        drive.begin(lang)
        drive.tap("text.large")
        drive.type_number("age", int(str(answers["age"])))
        drive.tap_and_wait("nav.next")
        shot("large-text")
        drive.tap("text.large")
        window.show_screen("admin")  # type: ignore[attr-defined]
        wait_until(lambda: window.tasks.pending == 0, 30)  # type: ignore[attr-defined]
        shot("admin")
        drive.tap("admin.section.settings")
        shot("admin-settings")
    finally:
        window.highlight_ms = saved_delay  # type: ignore[attr-defined]
    return written
