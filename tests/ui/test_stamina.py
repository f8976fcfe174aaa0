"""A kiosk runs for months: Qt calls must not leak references to None (PySide6 6.12.0 did,
and the process aborted after about ten visits)."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.conftest import WORKED_EXAMPLE


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_keep_none_alive(window: KioskWindow) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 100


def test_many_visits_in_one_process(window: KioskWindow, drive: VisitDriver) -> None:
    answers = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
    for _ in range(15):
        assert drive.visit(answers).capacity.score == 67
        window.wipe()
    assert window.visit.answers == {}
