"""Make the screenshots in docs/: each at the size its name says, offscreen, with the
worked example's answers and a throwaway data folder.

    .venv/bin/python scripts/docs_screenshots.py [--out docs]

Writes the README's images (a question and the result at 1920×1080, a question at
1280×800 in large text, both languages) and every question at 1280×800 in large text in
both languages (docs/1280x800-large/<lang>/NN-<question>.png).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from PySide6.QtTest import QTest

from kiosk.engine import default_resources_dir
from kiosk.ui import main_window
from kiosk.ui.app import ensure_app
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.window import KioskWindow

ANSWERS: dict[str, object] = json.loads(
    (default_resources_dir() / "examples" / "worked_example.json").read_text("utf-8")
)


def window_at(size: tuple[int, int], data: Path) -> KioskWindow:
    data.mkdir(parents=True, exist_ok=True)
    settings = data / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{data / "data"}"\n', "utf-8")
    window = main_window(settings)
    assert isinstance(window, KioskWindow)
    window.highlight_ms = 0
    window.resize(*size)
    window.show()
    return window


def save(window: KioskWindow, path: Path) -> None:
    QTest.qWait(200)  # the result page fits itself after it is laid out
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"{path}: could not be written")
    print(path)


def every_question(window: KioskWindow, lang: str, large: bool, out: Path) -> None:
    """Walk the visit, saving each question before answering it."""
    drive = VisitDriver(window)
    drive.begin(lang)
    if large and not window.visit.large_text:
        drive.tap("text.large")
    number = 0
    for screen in window.flow:
        if screen in window.question_pages:
            wait_until(lambda screen=screen: drive.screen == screen)
            number += 1
            save(window, out / f"{number:02d}-{screen}.png")
            drive.answer(screen, ANSWERS.get(screen))
        elif screen == "optional_intro":
            drive.tap_and_wait("nav.next")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs"))
    out: Path = parser.parse_args().out
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ensure_app()
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh_CN", "en"):
            window = window_at((1280, 800), Path(tmp) / f"large-{lang}")
            every_question(window, lang, True, out / "1280x800-large" / lang)
            window.exit_to_desktop()
        window = window_at((1920, 1080), Path(tmp) / "readme")
        drive = VisitDriver(window)
        drive.begin("zh_CN")
        drive.answer("age", ANSWERS["age"])
        save(window, out / "question-1920x1080-zh_CN.png")
        window.exit_to_desktop()
        window = window_at((1920, 1080), Path(tmp) / "result")
        VisitDriver(window).visit(ANSWERS, lang="zh_CN")
        # As in a lobby whose printer works: the check asked at review says it can print
        # (the machine making the pictures may have no printer at all).
        wait_until(lambda: not window.tasks.pending, 30)
        window.visit.printer_cause = ""
        window.result_page.show_printer()
        save(window, out / "result-1920x1080-zh_CN.png")
        window.exit_to_desktop()


if __name__ == "__main__":
    main()
