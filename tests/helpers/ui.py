"""What the window tests share: the worked example, taps on the staff corner and the PIN
pad, the staff panel opened, the workers waited for, the texts on screen."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.window import KioskWindow
from tests.helpers import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
"""SPEC §10's worked example: the answers of a whole visit."""
PIN = "864200"
"""The staff PIN open_admin sets (first unlock) or enters."""


def visible_texts(window: QWidget) -> str:
    """Every text a person can see on the window now."""
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    parts += [w.text() for w in window.findChildren(QPushButton) if w.isVisible()]
    return "\n".join(parts)


def start_visit(drive: VisitDriver, answers: int = 3) -> None:
    """A visit in English with the worked example's first answers."""
    drive.begin("en")
    for screen in ("age", "job", "burden")[:answers]:
        drive.answer(screen, EXAMPLE[screen])


def tap_corner(drive: VisitDriver, times: int = 5) -> None:
    for _ in range(times):
        drive.tap("admin.corner")


def enter_pin(drive: VisitDriver, pin: str) -> None:
    for digit in pin:
        drive.tap(f"admin.pin.key.{digit}")
    drive.tap("admin.pin.ok")


def open_admin(drive: VisitDriver, pin: str = PIN) -> None:
    """The staff panel, from the start screen (the first unlock sets the PIN)."""
    tap_corner(drive, 5)
    enter_pin(drive, pin)
    if drive.screen == "pin":  # first unlock: the PIN is entered twice
        enter_pin(drive, pin)
    assert drive.screen == "admin"


def settle(window: KioskWindow, timeout_s: float = 90) -> None:
    """Until both workers (the session log's and the devices') have nothing left."""
    wait_until(lambda: window.tasks.pending == 0, timeout_s)
