"""The staff screens fit a touchscreen (issue 12, point 5): big targets at every screen size,
touch controls instead of drop-downs and spin boxes, an on-screen keyboard for the branch
name, Cancel on "change the PIN" back where staff were, and a test page that says it is
not a client's sheet."""

from __future__ import annotations

import io
import json
import time
import tomllib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.engine import Questionnaire, score
from kiosk.issuing import SheetService
from kiosk.report import SheetHeader, build_sheet
from kiosk.settings import default_settings, load_settings
from kiosk.ui.admin_panel import SECTIONS
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.window import KioskWindow
from tests.conftest import WORKED_EXAMPLE
from tests.helpers.ui import PIN, enter_pin, open_admin, settle, tap_corner
from tests.ui.conftest import MakeWindow

TARGETS = {(1920, 1080): 90, (1280, 800): 72}
"""The least height of a staff target: 90 px at 1920×1080, scaled like the kiosk's other
sizes (0.8 at 1280×800)."""
FIELD_GAP = 16
"""Room between a field's name and the field."""


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def shown(parent: QWidget) -> list[QWidget]:
    """What a person can touch or type in under `parent`, as on screen now."""
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QListWidget)
    return [w for w in parent.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


def settle_layout() -> None:
    """Let Qt lay out what changed (scroll areas resize their contents in events)."""
    deadline = time.monotonic() + 0.1
    wait_until(lambda: time.monotonic() > deadline)


def check_targets(window: KioskWindow, parent: QWidget, least: int, where: str) -> None:
    """Every target is at least `least` px high, a real touch control, and wholly within
    the window's width: nothing cut off at the side, nothing to scroll sideways."""
    settle_layout()
    screen = global_rect(window)
    for widget in shown(parent):
        name = f"{where}: {widget.objectName() or type(widget).__name__}"
        assert not isinstance(widget, QComboBox | QAbstractSpinBox), f"{name}: tiny arrows"
        rect = global_rect(widget)
        assert screen.left() <= rect.left(), name
        assert rect.right() <= screen.right(), name
        seen = widget.visibleRegion().boundingRect()
        if not seen.isEmpty():  # (one scrolled out of sight, up or down, is not cut)
            assert seen.width() == widget.width(), f"{name}: cut off at the side"
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                height = widget.visualItemRect(widget.item(row)).height()
                assert height >= least, f"{name} row {row}: {height} px < {least} px"
        else:
            assert widget.height() >= least, f"{name}: {widget.height()} px < {least} px"
    for area in parent.findChildren(QScrollArea):
        if area.isVisible() and area.widget() is not None:
            inner, room = area.widget().width(), area.viewport().width()
            assert inner <= room, f"{where}: {inner} px wide in a {room} px scroll area"


def fake_outbox(window: KioskWindow, count: int) -> None:
    outbox = window.settings.data_path / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    for serial in range(1, count + 1):
        (outbox / f"0000-20261202-{1000 + serial}.pdf").write_bytes(b"%PDF-1.4\n")


@pytest.mark.parametrize(("size", "least"), TARGETS.items(), ids=["1920x1080", "1280x800"])
def test_every_staff_target_is_big_and_fits(
    make_window: MakeWindow, no_highlight: None, size: tuple[int, int], least: int
) -> None:
    window = make_window(size=size)
    drive = VisitDriver(window)
    fake_outbox(window, 12)
    tap_corner(drive, 5)
    check_targets(window, window.staff.pin_page, least, "PIN pad (set up)")
    enter_pin(drive, PIN)
    enter_pin(drive, PIN)
    panel = window.staff.admin_panel
    for lang, large in (("zh_CN", False), ("en", False), ("en", True), ("zh_CN", True)):
        window.set_language(lang)
        if large != window.visit.large_text:
            window.toggle_large_text()
        look = f"{lang}{' large text' if large else ''}"
        for section in SECTIONS:
            drive.tap(f"admin.section.{section}")
            settle(window)
            check_targets(window, panel, least, f"{look}, {section}")
            scrolled = [
                area.objectName() or section
                for area in panel.findChildren(QScrollArea)
                if area.isVisible() and area.verticalScrollBar().maximum() > 0
            ]
            # Buttons are never scrolled away; the overview's figures (text only) may
            # scroll in large text, and the settings may when this machine's CUPS has more
            # queues than a kiosk's one (the test machine has two: by up to 61 px in
            # English large text at 1280x800).
            printers = [
                choice
                for choice in panel.findChildren(QPushButton)
                if choice.objectName().startswith("admin.settings.printer.")
            ]
            many_printers = section == "settings" and len(printers) > 2
            if not (large and section == "overview") and not many_printers:
                assert scrolled == [], f"{look}, {section}: scrolls"
        drive.tap("admin.settings.branch_name.edit")
        check_targets(window, panel, least, f"{look}, keyboard")
        if not large:  # typing needs no scrolling (large text may scroll the note)
            keyboard = drive.widget("admin.keyboard")
            assert keyboard.visibleRegion().boundingRect() == keyboard.rect(), look
        drive.tap("admin.keyboard.cancel")
        # The menu, with back and exit, is on screen whole: never scrolled away.
        for name in ("admin.back", "admin.exit", *(f"admin.section.{s}" for s in SECTIONS)):
            menu_button = drive.widget(name)
            assert menu_button.visibleRegion().boundingRect() == menu_button.rect(), name
    window.set_language("zh_CN")
    window.toggle_large_text()
    settle_layout()
    # Each field's name keeps its distance from the field beside it.
    for key, name in panel.field_names.items():
        beside = [
            global_rect(w)
            for w in shown(panel)
            if global_rect(w).top() <= global_rect(name).center().y() <= global_rect(w).bottom()
            and global_rect(w).left() > global_rect(name).left()
        ]
        assert beside, key
        gap = min(r.left() for r in beside) - global_rect(name).right()
        assert gap >= FIELD_GAP, f"{key}: {gap} px between the name and its field"
    drive.tap("admin.change_pin")
    check_targets(window, window.staff.pin_page, least, "PIN pad (change)")


def idle_value(drive: VisitDriver) -> int:
    return int(drive.text("admin.settings.idle_timeout"))


def saved_idle(settings_file: Path) -> int:
    value = tomllib.loads(settings_file.read_text("utf-8"))["kiosk"]["idle_timeout_s"]
    assert isinstance(value, int)
    return value


def test_minus_and_plus_set_the_idle_timeout_within_its_range(
    window: KioskWindow, drive: VisitDriver, settings_file: Path
) -> None:
    open_admin(drive)
    drive.tap("admin.section.settings")
    assert idle_value(drive) == 90
    drive.tap("admin.settings.idle_timeout.more")
    assert idle_value(drive) == 120
    drive.tap("admin.settings.save")
    assert saved_idle(settings_file) == 120
    assert window.idle.timer.interval() == 120_000
    seen = []
    while drive.widget("admin.settings.idle_timeout.less").isEnabled():
        drive.tap("admin.settings.idle_timeout.less")
        seen.append(idle_value(drive))
    assert seen == sorted(seen, reverse=True)
    assert idle_value(drive) == 5  # the least the settings accept
    drive.tap("admin.settings.save")
    assert drive.text("admin.settings.message") == "已保存。"
    assert saved_idle(settings_file) == 5
    while drive.widget("admin.settings.idle_timeout.more").isEnabled():
        drive.tap("admin.settings.idle_timeout.more")
    assert idle_value(drive) == 3600  # the most
    drive.tap("admin.settings.save")
    assert saved_idle(settings_file) == 3600
    assert load_settings(settings_file).kiosk.idle_timeout_s == 3600


def test_a_timeout_between_two_steps_moves_to_the_next_step(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window("[kiosk]\nidle_timeout_s = 75\n")
    drive = VisitDriver(window)
    open_admin(drive)
    drive.tap("admin.section.settings")
    assert idle_value(drive) == 75
    drive.tap("admin.settings.idle_timeout.more")
    assert idle_value(drive) == 90
    drive.tap("admin.section.overview")
    drive.tap("admin.section.settings")  # unsaved: the settings' value again
    drive.tap("admin.settings.idle_timeout.less")
    assert idle_value(drive) == 60


def test_choices_are_big_toggle_buttons(
    window: KioskWindow, drive: VisitDriver, settings_file: Path
) -> None:
    open_admin(drive)
    drive.tap("admin.section.settings")
    assert drive.widget("admin.settings.language.zh_CN").property("current") == "true"
    assert drive.widget("admin.settings.printer.default").property("current") == "true"
    assert drive.text("admin.settings.printer.default") == "系统默认打印机"
    drive.tap("admin.settings.language.en")
    assert drive.widget("admin.settings.language.zh_CN").property("current") == "false"
    drive.tap("admin.settings.save")
    assert tomllib.loads(settings_file.read_text("utf-8"))["kiosk"]["language"] == "en"


def test_the_branch_name_is_typed_on_the_screen(
    window: KioskWindow, drive: VisitDriver, settings_file: Path
) -> None:
    open_admin(drive)
    drive.tap("admin.section.settings")
    drive.tap("admin.settings.branch_name.edit")
    field = drive.widget("admin.keyboard.text")
    assert isinstance(field, QLineEdit)
    assert field.text() == "示例证券 示例营业部"  # starts from the name as it is
    note = drive.text("admin.keyboard.note")
    assert "branch.name" in note
    assert str(settings_file) in note
    drive.tap("admin.keyboard.clear")
    for key in ("shift", "key.h", "key.a", "key.r", "key.b", "key.o", "key.u", "key.r", "space"):
        drive.tap(f"admin.keyboard.{key}")
    for key in ("key.n", "key.o", "key..", "space", "key.2", "space", "shift", "key.7"):
        drive.tap(f"admin.keyboard.{key}")
    drive.tap("admin.keyboard.left")
    drive.tap("admin.keyboard.backspace")  # the space before "&"
    assert field.text() == "Harbour no. 2&"
    drive.tap("admin.keyboard.done")
    name = drive.widget("admin.settings.branch_name")
    assert isinstance(name, QLineEdit)
    assert name.text() == "Harbour no. 2&"
    drive.tap("admin.settings.branch_name.edit")
    drive.tap("admin.keyboard.key.x")
    drive.tap("admin.keyboard.cancel")  # nothing changes
    assert name.text() == "Harbour no. 2&"
    drive.tap("admin.settings.save")
    assert tomllib.loads(settings_file.read_text("utf-8"))["branch"]["name"] == "Harbour no. 2&"
    assert window.branch_label.text() == "Harbour no. 2&"


def test_cancel_on_change_pin_returns_to_the_staff_panel(
    window: KioskWindow, drive: VisitDriver, settings_file: Path
) -> None:
    open_admin(drive)
    stored = tomllib.loads(settings_file.read_text("utf-8"))["admin"]["pin_hash"]
    drive.tap("admin.section.settings")
    drive.tap("admin.change_pin")
    assert drive.screen == "pin"
    drive.tap("admin.pin.key.1")
    drive.tap_and_wait("admin.pin.cancel")
    assert drive.screen == "admin"
    assert window.staff.admin_panel.section == "settings"  # where staff were
    assert drive.widget("admin.settings.save").isVisible()
    assert tomllib.loads(settings_file.read_text("utf-8"))["admin"]["pin_hash"] == stored
    # The corner's PIN pad still cancels to the start screen.
    drive.tap_and_wait("admin.back")
    tap_corner(drive, 5)
    assert drive.screen == "pin"
    drive.tap_and_wait("admin.pin.cancel")
    assert drive.screen == "attract"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_test_page_says_it_is_not_a_client_sheet(
    questionnaire: Questionnaire, lang: str
) -> None:
    settings = default_settings()
    settings = replace(settings, kiosk=replace(settings.kiosk, language=lang))
    reader = PdfReader(io.BytesIO(SheetService(settings, questionnaire).test_page().pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "测试页 — 非客户建议书" in text
    assert "TEST — not a client sheet" in text


def test_a_client_sheet_has_no_watermark(questionnaire: Questionnaire) -> None:
    profile = score(questionnaire, json.loads(WORKED_EXAMPLE.read_text("utf-8")))
    header = SheetHeader("示例营业部", "0000-20261202-1001", datetime(2026, 12, 2, 10, 0))
    plain = build_sheet(questionnaire, profile, header, lang="en")
    marked = build_sheet(questionnaire, profile, header, lang="en", watermark=["TEST X"])
    assert "TEST X" not in PdfReader(io.BytesIO(plain)).pages[0].extract_text()
    assert "TEST X" in PdfReader(io.BytesIO(marked)).pages[0].extract_text()
