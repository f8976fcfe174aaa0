"""What assistive technology is told: names in the screen's language, checked states,
text alternatives, announcements and focus (issue 12, point 4).

Most tests read the window through Qt's own accessibility API (QAccessible), as the AT-SPI
bridge does; they run everywhere. The last one asks a real AT-SPI client
(scripts/atspi_tree.py: pyatspi, under Xvfb, in a private D-Bus session) and is skipped,
saying why, where those are not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui import access
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"


def interface(widget: QWidget) -> Any:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None, widget.objectName()
    return found


def name(widget: QWidget) -> str:
    return str(interface(widget).text(QAccessible.Text.Name))


def description(widget: QWidget) -> str:
    return str(interface(widget).text(QAccessible.Text.Description))


def checked(widget: QWidget) -> bool:
    state = interface(widget).state()
    return bool(state.checkable and state.checked)


def actionable(window: QWidget) -> list[QAbstractButton]:
    """The buttons a person can use on the screen now (the staff corner is not one)."""
    return [
        button
        for button in window.findChildren(QAbstractButton)
        if button.isVisible() and button.objectName() not in access.HIDDEN
    ]


def walk_to(drive: VisitDriver, screen: str, lang: str = "") -> None:
    drive.begin(lang)
    while drive.screen != screen:
        drive.answer(drive.screen, EXAMPLE[drive.screen])


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[QAccessible.Event, str]]]:
    """Assistive technology listens (QAccessible is active); the events the kiosk posts."""
    events: list[tuple[QAccessible.Event, str]] = []

    def post(event: QAccessibleEvent) -> None:
        message = event.message() if isinstance(event, QAccessibleAnnouncementEvent) else ""
        events.append((event.type(), message))

    monkeypatch.setattr(access, "post", post)
    QAccessible.setActive(True)
    yield events
    QAccessible.setActive(False)


# ---------------------------------------------------------------------- names


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_button_of_every_question_has_a_name_in_the_screens_language(
    window: KioskWindow, drive: VisitDriver, lang: str
) -> None:
    drive.begin(lang)
    seen = 0
    while drive.screen != "review":
        for button in actionable(window):
            spoken = name(button)
            assert spoken.strip(), f"{button.objectName()} has no name on {drive.screen}"
            assert "\u2060" not in spoken  # the word joiners of Chinese line breaks
            seen += 1
        assert name(drive.widget("nav.back")) == ("Back" if lang == "en" else "上一步")
        page = window.pages[drive.screen]
        assert page.accessibleName(), drive.screen
        assert not any("\u2060" in label.accessibleName() for label in page.findChildren(QLabel))
        if drive.screen == "optional_intro":
            drive.tap_and_wait("nav.next")
        else:
            drive.answer(drive.screen, EXAMPLE.get(drive.screen))
    assert seen > 150


def test_options_are_named_by_their_text_and_follow_the_language(
    window: KioskWindow, drive: VisitDriver
) -> None:
    walk_to(drive, "job")
    option = drive.widget("job.stable_income")
    assert name(option) == "稳定收入"
    assert interface(option).role() == QAccessible.Role.CheckBox  # it can say "chosen"
    drive.tap("lang.en")
    assert name(option) == "Stable salary"
    page = window.question_pages["job"]
    assert page.accessibleName() == "Which best describes your income from work?"
    assert page.accessibleDescription() == page.help.text()
    assert name(drive.widget("nav.next")) == "Next"
    assert name(drive.widget("job.speak")) in ("Read aloud", "")  # hidden without speech


def test_the_number_pad_and_the_typed_value_are_named(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.begin("")
    assert name(drive.widget("age.key.clear")) == "清除"
    assert [name(drive.widget(f"age.key.{digit}")) for digit in "0123456789"] == list("0123456789")
    assert name(drive.widget("age.value")) == "尚未输入"
    drive.type_number("age", 38)
    assert name(drive.widget("age.value")) == "已输入：38 岁"
    assert "请输入 18 至 100 之间的数字" in window.question_pages["age"].accessibleDescription()


def test_each_change_button_of_the_review_names_its_question(
    window: KioskWindow, drive: VisitDriver
) -> None:
    required = {key: value for key, value in EXAMPLE.items() if key not in window.optional}
    drive.begin("")
    while drive.screen in window.question_pages:
        drive.answer(drive.screen, required.get(drive.screen))
    drive.tap_and_wait("optional.skip_all")
    assert drive.screen == "review"
    names = [name(drive.widget(f"review.edit.{q.id}")) for q in window.questionnaire.questions]
    assert names[0] == "修改：您的年龄是？"
    assert len(set(names)) == len(names) == 17
    drive.tap("lang.en")
    assert name(drive.widget("review.edit.age")) == "Change: How old are you?"
    assert drive.text("review.edit.age") == "Change"  # what is shown stays as it was


def test_the_start_thanks_and_language_buttons_are_named(
    window: KioskWindow, drive: VisitDriver
) -> None:
    start = drive.widget("attract.start")
    assert name(start) == "轻触屏幕开始 · Touch the screen to start"
    assert "three-minute" in description(start)
    assert description(drive.widget("attract.lang.en")) == "Start in this language"
    assert description(drive.widget("attract.lang.zh_CN")) == "用中文开始"
    window.show_screen("thanks")
    assert name(drive.widget("thanks.done")) == "谢谢您，祝您愉快！"


def test_the_staff_corner_is_hidden_from_assistive_technology(window: KioskWindow) -> None:
    corner = window.findChild(QWidget, "admin.corner")
    assert corner is not None
    assert corner.isVisible()
    assert interface(corner).state().invisible
    assert not interface(corner).state().focusable


# ---------------------------------------------------------------------- states


def test_the_chosen_option_the_language_and_large_text_are_checked(
    window: KioskWindow, drive: VisitDriver
) -> None:
    walk_to(drive, "burden")
    assert checked(drive.widget("lang.zh_CN"))
    assert not checked(drive.widget("lang.en"))
    assert not checked(drive.widget("text.large"))
    drive.tap("text.large")
    assert window.visit.large_text
    assert checked(drive.widget("text.large"))
    drive.tap("text.large")  # a tap toggles large text once, and the state follows it
    assert not window.visit.large_text
    assert not checked(drive.widget("text.large"))
    drive.tap("lang.zh_CN")  # tapping the current language leaves it current
    assert checked(drive.widget("lang.zh_CN"))
    drive.tap_and_wait("nav.back")
    assert drive.screen == "job"
    chosen = drive.widget(f"job.{EXAMPLE['job']}")
    assert checked(chosen)
    others = [w for key, w in window.question_pages["job"].options.items() if key != EXAMPLE["job"]]
    assert not any(checked(other) for other in others)
    # Tapping the chosen option again still answers and moves on, and stays chosen.
    drive.tap_and_wait(f"job.{EXAMPLE['job']}")
    assert drive.screen == "burden"
    assert checked(chosen)
    window.wipe()
    assert not checked(chosen)  # a new visit has chosen nothing


def test_a_checked_button_looks_as_it_did(window: KioskWindow, drive: VisitDriver) -> None:
    """The checked state is for assistive technology only: the pixels are the same."""
    walk_to(drive, "burden")
    drive.tap_and_wait("nav.back")
    chosen = drive.widget(f"job.{EXAMPLE['job']}")
    assert checked(chosen)
    before = chosen.grab().toImage()
    chosen.setChecked(False)
    assert chosen.grab().toImage() == before
    chosen.setChecked(True)


# ---------------------------------------------------------------------- text alternatives


def test_gauges_and_the_allocation_have_text_alternatives(
    window: KioskWindow, drive: VisitDriver
) -> None:
    drive.visit(EXAMPLE)
    gauge = drive.widget("result.capacity.gauge")
    assert interface(gauge).role() == QAccessible.Role.Graphic
    assert name(gauge) == "风险承受力 67 分，中高承受力"
    assert description(gauge).startswith("0 至 100 分：低 0–19、中低 20–39")
    assert name(drive.widget("result.attitude.gauge")) == "风险承受度 58 分，中承受度"
    chart = drive.widget("result.allocation.chart")
    assert interface(chart).role() == QAccessible.Role.Graphic
    assert name(chart) == "建议资产配置：低风险产品 0%、中风险产品 40%、高风险产品 60%"
    drive.tap("lang.en")
    assert name(gauge) == "Risk capacity: 67 points, Medium-high risk capacity"
    classes = [risk_class.name.get("en") for risk_class in window.questionnaire.tables.risk_classes]
    shares = ", ".join(
        f"{risk_class} {share}%" for risk_class, share in zip(classes, (0, 40, 60), strict=True)
    )
    assert name(chart) == f"Suggested asset allocation: {shares}"
    summary = window.pages["result"].accessibleDescription().splitlines()
    assert summary == [name(gauge), name(drive.widget("result.attitude.gauge")), name(chart)]


# ---------------------------------------------------------------------- announcements, focus


def test_a_new_question_is_announced_and_takes_the_focus(
    window: KioskWindow, drive: VisitDriver, heard: list[tuple[QAccessible.Event, str]]
) -> None:
    drive.begin("")
    assert drive.screen == "age"
    assert heard[-1][0] == QAccessible.Event.Announcement
    assert heard[-1][1].splitlines() == [
        "第 1 题 / 共 12 题",
        "您的年龄是？",
        "请用数字键输入您的周岁年龄。",
        "请输入 18 至 100 之间的数字",
    ]
    assert window.focusWidget() is drive.widget("age.key.1")
    drive.answer("age", EXAMPLE["age"])
    assert heard[-1] == (
        QAccessible.Event.Announcement,
        "第 2 题 / 共 12 题\n您的工作收入属于哪一种？\n选最接近您现在情况的一项。",
    )
    assert window.focusWidget() is drive.widget("job.stable_income")
    # Every button can be reached by the keyboard now (Tab only: a tap takes no focus),
    # but the hidden staff corner.
    for button in actionable(window):
        assert button.focusPolicy() == Qt.FocusPolicy.TabFocus, button.objectName()
    corner = window.findChild(QWidget, "admin.corner")
    assert corner is not None
    assert corner.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_the_result_is_announced_in_a_few_words(
    window: KioskWindow, drive: VisitDriver, heard: list[tuple[QAccessible.Event, str]]
) -> None:
    drive.visit(EXAMPLE)
    kind, text = heard[-1]
    assert kind == QAccessible.Event.Announcement
    assert text.splitlines() == [
        "您的测评结果",
        "风险承受力 67 分，中高承受力",
        "风险承受度 58 分，中承受度",
        "建议资产配置：低风险产品 0%、中风险产品 40%、高风险产品 60%",
    ]
    # On the main action: printing, or saving when the printer check said it cannot print
    # (here before or after the result appeared, as the check came back).
    assert window.focusWidget() in (drive.widget("result.print"), drive.widget("result.export"))


def test_without_assistive_technology_nothing_changes(
    window: KioskWindow, drive: VisitDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    posted: list[QAccessibleEvent] = []
    monkeypatch.setattr(access, "post", posted.append)
    assert not QAccessible.isActive()
    walk_to(drive, "job")
    assert posted == []
    assert drive.widget("job.stable_income").focusPolicy() == Qt.FocusPolicy.NoFocus
    assert window.focusWidget() is None or not window.focusWidget().isVisible()


def test_the_screens_language_is_the_windows_locale_for_a_screen_reader(
    window: KioskWindow, drive: VisitDriver, heard: list[tuple[QAccessible.Event, str]]
) -> None:
    drive.begin("en")
    assert window.locale().name() == "en_US"
    assert drive.widget("nav.back").locale().name() == "en_US"
    drive.tap("lang.zh_CN")
    assert drive.widget("nav.back").locale().name() == "zh_CN"
    window.wipe()
    drive.begin("en")
    assert window.locale().name() == "en_US"


def test_without_a_screen_reader_the_locale_is_left_alone(
    window: KioskWindow, drive: VisitDriver
) -> None:
    before = window.locale().name()
    drive.begin("en")
    assert window.locale().name() == before  # ~15 ms a language tap, for nobody


# ---------------------------------------------------------------------- a real screen reader's view


def atspi_missing() -> str:
    """Why the AT-SPI check cannot run here ('' when it can)."""
    for tool in ("dbus-run-session", "xvfb-run", "xauth"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core is not installed"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False, timeout=60
    )
    if probe.returncode != 0:
        return f"python3-pyatspi is not installed for {SYSTEM_PYTHON}"
    return ""


def test_a_screen_reader_sees_the_job_question() -> None:
    missing = atspi_missing()
    if missing:
        pytest.skip(f"no AT-SPI client here: {missing}")
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    command = [SYSTEM_PYTHON, str(ROOT / "scripts" / "atspi_tree.py"), "--screen", "job", "--json"]
    # In a process group of its own: on a timeout the whole session goes (Xvfb, D-Bus).
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.communicate()
            raise
    run = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if run.returncode == 3:
        pytest.skip(f"no AT-SPI client here: {run.stderr.strip().splitlines()[-1]}")
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    nodes = {(node["role"], node["name"]): node for node in report["nodes"]}
    assert report["window_locale"] == "zh_CN"
    page = nodes[("filler", "您的工作收入属于哪一种？")]
    assert page["description"] == "选最接近您现在情况的一项。"
    for option in ("稳定收入", "一般收入", "提成收入", "自营业", "下岗 / 无固定收入"):
        assert "checkable" in nodes[("check box", option)]["states"]
        assert "focusable" in nodes[("check box", option)]["states"]
    assert "focused" in nodes[("check box", "稳定收入")]["states"]
    assert "checked" in nodes[("check box", "中文")]["states"]
    assert "checked" not in nodes[("check box", "大字")]["states"]
    assert ("push button", "上一步") in nodes
    assert "disabled" in nodes[("push button", "下一步")]["states"]
    buttons = [n for n in report["nodes"] if n["role"] in ("push button", "check box")]
    assert [n for n in buttons if not n["name"]] == []
    assert "仅限工作人员" not in [n["name"] for n in buttons]  # the staff corner is hidden
    announcements = [e["detail"] for e in report["events"] if e["type"] == "object:announcement"]
    assert announcements[-1].splitlines() == [
        "第 2 题 / 共 12 题",
        "您的工作收入属于哪一种？",
        "选最接近您现在情况的一项。",
    ]
    focus = [e["source"] for e in report["events"] if e["type"] == "focus:"]
    assert focus[-1] == "check box '稳定收入'"
