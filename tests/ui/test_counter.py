"""`kiosk counter` (SPEC §16): the real counter window, offscreen. A code typed as a USB
scanner types it (the characters, then Enter) shows the whole profile; a changed code, an
unknown sheet number, a huge paste are refused with the reason and show no profile; a
typed sheet number is found in a real session log; the staff copy prints on a real CUPS
queue."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.engine import load_questionnaire, score
from kiosk.engine.sheet_code import encode
from kiosk.storage.sessions import DB_FILE, SessionLog, VisitRecord
from kiosk.ui import counter_window
from kiosk.ui.counter import CounterWindow
from kiosk.ui.driver import wait_until
from kiosk.wording import explanation_lines
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import LONGEST_EXPLANATION, run_kiosk
from tests.helpers.cups import printed_file

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
KEY = "5c" * 32
NUMBER = "0000-20261202-1001"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_counter(
    qtbot: QtBot, tmp_path: Path, data: Path
) -> Iterator[Callable[..., CounterWindow]]:
    made: list[CounterWindow] = []

    def make(extra: str = "", size: tuple[int, int] = (1920, 1080)) -> CounterWindow:
        settings = tmp_path / "settings.toml"
        settings.write_text(
            f'[branch]\nsheet_key = "{KEY}"\n[storage]\ndata_dir = "{data}"\n{extra}', "utf-8"
        )
        window = counter_window(settings)
        assert isinstance(window, CounterWindow)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture
def counter(make_counter: Callable[..., CounterWindow]) -> CounterWindow:
    return make_counter()


def code_for(number: str = NUMBER, key: str = KEY) -> str:
    return encode(load_questionnaire(), EXAMPLE, number, bytes.fromhex(key))


def child(window: QWidget, name: str) -> Any:
    found = window.findChild(QWidget, name)
    assert found is not None, name
    return found


def text(window: QWidget, name: str) -> str:
    widget = child(window, name)
    assert isinstance(widget, QLabel)
    return widget.text()


def scan(qtbot: QtBot, window: CounterWindow, typed: str) -> None:
    """What a USB scanner does: it types the characters, then Enter."""
    field = child(window, "counter.input")
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def shows_profile(window: CounterWindow) -> bool:
    return child(window, "counter.profile").isVisible()


def test_a_scanned_code_shows_the_whole_profile(qtbot: QtBot, counter: CounterWindow) -> None:
    scan(qtbot, counter, code_for())
    assert shows_profile(counter)
    assert not child(counter, "counter.refused").isVisible()
    assert text(counter, "counter.sheet") == f"单号 {NUMBER}"
    assert text(counter, "counter.signature").startswith("签名有效")
    assert (text(counter, "counter.capacity.score"), text(counter, "counter.capacity.level")) == (
        "67",
        "中高承受力",
    )
    assert (text(counter, "counter.attitude.score"), text(counter, "counter.attitude.level")) == (
        "58",
        "中承受度",
    )
    explained = explanation_lines(
        load_questionnaire().tables, score(load_questionnaire(), EXAMPLE), "zh_CN"
    )
    assert text(counter, "counter.explain.limited_by") == explained.limited_by
    assert text(counter, "counter.explain.near.attitude").startswith(explained.near[0].sentence)
    assert not child(counter, "counter.explain.near.capacity").isVisible()
    assert not child(counter, "counter.lowest_category").isVisible()
    assert text(counter, "counter.checks") == "没有需要再次确认的答案。"
    assert text(counter, "counter.allocation") == "低风险产品 0% / 中风险产品 40% / 高风险产品 60%"
    assert text(counter, "counter.segment") == "稳定中型 (stable_medium)"
    assert text(counter, "counter.key_client") == "非重点客户"
    assert text(counter, "counter.service_level").startswith("增值服务")
    assert text(counter, "counter.answer.age") == "38岁"
    assert text(counter, "counter.answer.if_loss") == "影响情绪"
    assert child(counter, "counter.print").isEnabled()
    # the next scan replaces the code (a scanner does not clear the field)
    assert child(counter, "counter.input").selectedText() == code_for()


def test_the_english_switch_says_it_all_in_english(qtbot: QtBot, counter: CounterWindow) -> None:
    scan(qtbot, counter, code_for())
    qtbot.mouseClick(child(counter, "lang.en"), Qt.MouseButton.LeftButton)
    assert text(counter, "counter.capacity.level") == "Medium-high risk capacity"
    assert text(counter, "counter.answer.age") == "38 years"
    assert text(counter, "counter.sheet") == f"Sheet {NUMBER}"


def test_a_changed_code_is_refused_with_the_reason_and_no_profile(
    qtbot: QtBot, counter: CounterWindow
) -> None:
    scan(qtbot, counter, code_for())
    assert shows_profile(counter)
    scan(qtbot, counter, code_for().replace(":38.", ":39."))
    assert not shows_profile(counter)
    assert (
        counter.findChild(QWidget, "counter.capacity.score") is None
        or not child(counter, "counter.capacity.score").isVisible()
    )
    assert text(counter, "counter.refused") == (
        "已拒绝：二维码内容与签名不符。内容可能被改动过，或由其他机构的密钥签名。"
    )
    assert not child(counter, "counter.print").isEnabled()
    scan(qtbot, counter, code_for(key="00" * 32))
    assert not shows_profile(counter)
    assert text(counter, "counter.refused").startswith("已拒绝：二维码内容与签名不符")


def record(data: Path, number: str, code: str | None) -> None:
    log = SessionLog(data / DB_FILE)
    now = datetime(2026, 12, 2, 10, 15)
    log.record(
        VisitRecord(
            now,
            now,
            "zh_CN",
            "printed",
            EXAMPLE,
            score(load_questionnaire(), EXAMPLE),
            number,
            sheet_code=code,
        )
    )
    log.close()


def test_a_typed_sheet_number_is_found_in_the_session_log(
    qtbot: QtBot, counter: CounterWindow, data: Path
) -> None:
    record(data, NUMBER, code_for())
    visits_before = (data / DB_FILE).read_bytes()
    scan(qtbot, counter, NUMBER.lower())
    assert shows_profile(counter)
    assert text(counter, "counter.capacity.score") == "67"
    assert text(counter, "counter.signature").startswith("签名有效")
    scan(qtbot, counter, "0000-20261202-1999")
    assert not shows_profile(counter)
    assert text(counter, "counter.refused") == (
        "本柜台能查阅的记录中没有单号 0000-20261202-1999。请改为扫描结果单上的二维码。"
    )
    assert (data / DB_FILE).read_bytes() == visits_before  # the counter only reads


def test_a_ten_megabyte_paste_is_refused_at_once(qtbot: QtBot, counter: CounterWindow) -> None:
    field = child(counter, "counter.input")
    QGuiApplication.clipboard().setText("RP1:" + "7" * 10_000_000)
    start = time.perf_counter()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    elapsed = time.perf_counter() - start
    assert len(field.text()) == 201
    assert text(counter, "counter.refused") == "已拒绝：内容比任何结果单二维码都长。"
    assert not shows_profile(counter)
    assert elapsed < 1.0, elapsed
    QGuiApplication.clipboard().clear()


def test_control_characters_are_refused(qtbot: QtBot, counter: CounterWindow) -> None:
    field = child(counter, "counter.input")
    field.setText(code_for() + "\x1b[2J\x07")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not shows_profile(counter)
    assert text(counter, "counter.refused") == "已拒绝：内容含有结果单二维码中不会出现的字符。"


def test_the_window_fits_a_small_screen(
    qtbot: QtBot, make_counter: Callable[..., CounterWindow]
) -> None:
    counter = make_counter(size=(1280, 800))
    scan(qtbot, counter, code_for())
    assert shows_profile(counter)
    profile = child(counter, "counter.profile")
    assert profile.width() <= counter.width()
    # below WIDE the answers go under the rest, at the profile's whole width
    answer = child(counter, "counter.answer.age")
    score_label = child(counter, "counter.capacity.score")
    assert (
        answer.mapTo(profile, answer.rect().topLeft()).y()
        > score_label.mapTo(profile, score_label.rect().topLeft()).y()
    )


def test_the_staff_copy_prints_on_a_real_queue(
    qtbot: QtBot, make_counter: Callable[..., CounterWindow], queue: str, data: Path
) -> None:
    counter = make_counter(f'[printing]\nprinter = "{queue}"\n')
    number = f"0000-20261202-{int(time.time()) % 9000 + 1000}"
    scan(qtbot, counter, code_for(number))
    button = child(counter, "counter.print")
    assert isinstance(button, QPushButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert text(counter, "counter.print.message") == "正在打印…"
    wait_until(lambda: counter.tasks.pending == 0, 90)
    assert text(counter, "counter.print.message") == f"{number} 的员工联已在{queue}上打印。"
    pages = PdfReader(printed_file(number)).pages
    assert len(pages) == 2  # the client's page and the staff copy
    assert not (data / "outbox").exists()  # no number taken, nothing kept


def test_a_staff_copy_that_cannot_print_is_saved(
    qtbot: QtBot, make_counter: Callable[..., CounterWindow], data: Path
) -> None:
    counter = make_counter('[printing]\nprinter = "no-such-printer-here"\n')
    scan(qtbot, counter, code_for())
    qtbot.mouseClick(child(counter, "counter.print"), Qt.MouseButton.LeftButton)
    wait_until(lambda: counter.tasks.pending == 0, 90)
    saved = data / "counter" / f"{NUMBER}-staff.pdf"
    assert saved.is_file()
    assert len(PdfReader(saved).pages) == 2
    message = text(counter, "counter.print.message")
    assert message.startswith("未打印：")
    assert message.endswith(f"已保存为 {saved}。")


# ---------------------------------------------------------------------- kiosk counter


def test_kiosk_counter_without_a_display_says_how() -> None:
    run = run_kiosk("counter", unset=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert run.code == 2
    assert run.err_lines == [
        "kiosk: no display to show the counter on (DISPLAY and WAYLAND_DISPLAY are unset); "
        "run it on the counter's screen, or under a virtual one: xvfb-run kiosk counter"
    ]


def test_kiosk_counter_opens_with_its_settings_and_ends_on_sigterm(tmp_path: Path) -> None:
    data = tmp_path / "elsewhere"
    settings = tmp_path / "counter.toml"
    settings.write_text(f'[branch]\nsheet_key = "{KEY}"\n[storage]\ndata_dir = "{data}"\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "counter", "--settings", str(settings)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # it logs to the data folder of --settings once its window is up
        wait_until(lambda: (data / "logs").is_dir() or proc.poll() is not None, 60)
        assert proc.poll() is None, f"kiosk counter ended with {proc.returncode}"
        time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not (data / DB_FILE).exists()  # it only reads: no session log made


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed to read a sheet's QR",
)
def test_the_qr_of_a_sheet_made_by_kiosk_report_shows_its_profile(
    qtbot: QtBot, make_counter: Callable[..., CounterWindow], tmp_path: Path
) -> None:
    """The whole way: `kiosk report` with the counter's key, the PDF rendered, its QR
    read by a real decoder (what a USB scanner does), the text typed into the counter."""
    counter = make_counter()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(EXAMPLE), "utf-8")
    settings = tmp_path / "settings.toml"  # the counter's own
    run = run_kiosk(
        "--settings",
        str(settings),
        "report",
        "--answers",
        str(answers),
        "--out",
        str(tmp_path / "s.pdf"),
    )
    assert run.code == 0, run.err
    number = run.out.split()[1]
    image = tmp_path / "s"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-png",
            str(tmp_path / "s.pdf"),
            str(image),
        ],
        check=True,
        timeout=60,
    )
    read = subprocess.run(
        ["zbarimg", "--nodbus", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", f"{image}.png"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    [code] = read.stdout.decode("utf-8").splitlines()
    scan(qtbot, counter, code)
    assert shows_profile(counter)
    assert text(counter, "counter.sheet") == f"单号 {number}"
    assert text(counter, "counter.signature").startswith("签名有效")
    assert (text(counter, "counter.capacity.score"), text(counter, "counter.attitude.score")) == (
        "67",
        "58",
    )
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    scan(qtbot, counter, changed)
    assert not shows_profile(counter)


def test_a_bad_settings_file_shows_the_staff_error_window(qtbot: QtBot, tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[branch]\nsheet_key = "not hex"\n', "utf-8")
    window = counter_window(settings)
    qtbot.addWidget(window)
    assert not isinstance(window, CounterWindow)
    assert "sheet_key" in " ".join(label.text() for label in window.findChildren(QLabel))


def test_the_longest_explanation_shows_every_check_and_the_lowest_category(
    qtbot: QtBot, counter: CounterWindow
) -> None:
    questionnaire = load_questionnaire()
    profile = score(questionnaire, LONGEST_EXPLANATION)
    explained = explanation_lines(questionnaire.tables, profile, "zh_CN")
    assert explained.checks
    assert explained.lowest_category
    assert len(explained.near) == 2
    code = encode(questionnaire, LONGEST_EXPLANATION, NUMBER, bytes.fromhex(KEY))
    scan(qtbot, counter, code)
    assert text(counter, "counter.checks") == explained.heading
    for check in explained.checks:
        assert child(counter, f"counter.check.{check.id}").isVisible()
        assert text(counter, f"counter.check.{check.id}") == f"• {check.text}"
    for rule in questionnaire.tables.checks:
        if rule.id not in {check.id for check in explained.checks}:
            assert not child(counter, f"counter.check.{rule.id}").isVisible()
    assert text(counter, "counter.lowest_category") == explained.lowest_category
    assert child(counter, "counter.explain.near.capacity").isVisible()
    # the worked example next: what it does not have is gone
    scan(qtbot, counter, code_for())
    assert not child(counter, "counter.lowest_category").isVisible()
    assert not any(child(counter, f"counter.check.{c.id}").isVisible() for c in explained.checks)


def test_the_input_keeps_the_focus_for_the_next_scan(qtbot: QtBot, counter: CounterWindow) -> None:
    """A scanner types wherever the focus is: no button takes it from the input."""
    counter.activateWindow()
    field = child(counter, "counter.input")
    qtbot.waitUntil(field.hasFocus, timeout=3000)
    scan(qtbot, counter, code_for())
    for name in ("lang.en", "counter.show", "lang.zh_CN"):
        qtbot.mouseClick(child(counter, name), Qt.MouseButton.LeftButton)
        assert counter.focusWidget() is field, name
    qtbot.keyClicks(counter.focusWidget(), code_for("0000-20261202-1002"))
    qtbot.keyClick(counter.focusWidget(), Qt.Key.Key_Return)
    assert text(counter, "counter.sheet") == "单号 0000-20261202-1002"
