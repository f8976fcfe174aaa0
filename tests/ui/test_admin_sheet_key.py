"""The staff panel says whether the sheet code is signed (SPEC §16: `[branch] sheet_key`
set or not) and never shows the key itself, in any section or language."""

from __future__ import annotations

import secrets
import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from kiosk.ui.admin_panel import SECTIONS
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.helpers.ui import open_admin, settle
from tests.ui.conftest import MakeWindow

STATES = {
    True: {"zh_CN": "已签名（已设置密钥）", "en": "Signed (a key is set)"},
    False: {"zh_CN": "未签名（未设置密钥）", "en": "Unsigned (no key is set)"},
}


def every_text(window: KioskWindow) -> list[str]:
    """What the window's widgets say: texts, tooltips and names read aloud."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
    return texts


@pytest.mark.parametrize("signed", [True, False], ids=["key set", "no key"])
def test_the_panel_says_whether_a_key_is_set_and_never_shows_it(
    make_window: MakeWindow, no_highlight: None, settings_file: Path, signed: bool
) -> None:
    key = secrets.token_hex(32)
    window = make_window(f'\n[branch]\nsheet_key = "{key}"\n' if signed else "")
    drive = VisitDriver(window)
    open_admin(drive)
    for lang in ("zh_CN", "en"):
        window.set_language(lang)
        for section in SECTIONS:
            drive.tap(f"admin.section.{section}")
            settle(window)
            texts = every_text(window)
            assert not [t for t in texts if key in t.lower()], section
            assert not [t for t in texts if key[:16] in t.lower()], section
        assert drive.text("admin.settings.sheet_code") == STATES[signed][lang]
    # Saving the other settings from the panel keeps the key (and still does not show it).
    drive.tap("admin.settings.idle_timeout.more")
    drive.tap("admin.settings.save")
    saved = tomllib.loads(settings_file.read_text("utf-8"))
    assert saved.get("branch", {}).get("sheet_key", "") == (key if signed else "")
    assert drive.text("admin.settings.sheet_code") == STATES[signed]["en"]
    assert not [t for t in every_text(window) if key[:16] in t.lower()]
