"""Idle wipe, lockdown, the admin gesture and PIN, sizes, large text, start-up errors."""

from __future__ import annotations

import tomllib
import wave
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.pin import hash_pin, verify_pin
from kiosk.storage.sessions import VisitRecord
from kiosk.ui import main_window
from kiosk.ui.admin import LOCKOUT_S, CornerTaps, PinGuard
from kiosk.ui.driver import VisitDriver, wait_until
from kiosk.ui.idle import CHIME
from kiosk.ui.speech import Speaker, real_engines
from kiosk.ui.widgets import WrapButton
from kiosk.ui.window import KioskWindow, StartupErrorWindow
from tests.helpers import run_kiosk
from tests.helpers.ui import EXAMPLE, enter_pin, start_visit, tap_corner, visible_texts
from tests.ui.conftest import MakeWindow

# ---------------------------------------------------------------------- idle


def test_idle_countdown_then_wipe_leaves_nothing(
    make_window: MakeWindow, no_highlight: None, qtbot: QtBot
) -> None:
    window = make_window("[kiosk]\nidle_timeout_s = 5\n")
    window.idle.countdown_s = 2  # the settings' least is 20 s; the test need not wait so long
    drive = VisitDriver(window)
    start_visit(drive)
    drive.tap("text.large")
    assert window.visit.large_text
    qtbot.waitUntil(window.overlay.isVisible, timeout=8000)
    assert drive.widget("idle.countdown").isVisible()
    assert drive.text("idle.seconds") in ("2", "1")
    qtbot.waitUntil(lambda: window.visit.screen == "attract", timeout=5000)
    assert not window.overlay.isVisible()
    assert window.visit.answers == {}
    assert window.lang.lang == "zh_CN"
    assert not window.visit.large_text
    # No page still shows an answer: the number pad is empty, the review knows nothing.
    assert window.pages["age"].entry == ""  # type: ignore[attr-defined]
    review = "\n".join(label.text() for label in window.pages["review"].findChildren(QLabel))
    assert "38" not in review
    assert "Ordinary salary" not in review
    assert "一般收入" not in review
    assert all(button.property("chosen") != "true" for button in window.findChildren(WrapButton))


def test_continue_keeps_the_visit(window: KioskWindow, drive: VisitDriver) -> None:
    start_visit(drive)
    window.idle.start_countdown()
    assert window.overlay.isVisible()
    drive.tap("idle.continue")
    assert not window.overlay.isVisible()
    assert window.visit.answers == {k: EXAMPLE[k] for k in ("age", "job", "burden")}
    assert window.visit.screen == "housing"


def test_the_attract_screen_never_counts_down(window: KioskWindow) -> None:
    window.idle.start_countdown()
    assert not window.overlay.isVisible()
    assert not window.idle.timer.isActive()


def test_a_tap_anywhere_on_the_countdown_continues(
    window: KioskWindow, drive: VisitDriver, qtbot: QtBot
) -> None:
    start_visit(drive)
    window.idle.start_countdown()
    assert window.overlay.isVisible()
    assert window.overlay.announced == 1  # the chime rang (where there is sound)
    assert drive.text("idle.seconds") == "20"
    # Not the button: the dimmed screen around the card.
    qtbot.mouseClick(window.overlay, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not window.overlay.isVisible()
    assert window.visit.screen == "housing"
    assert window.idle.timer.isActive()


def test_the_chime_is_a_real_sound_file() -> None:
    with wave.open(str(CHIME)) as chime:
        seconds = chime.getnframes() / chime.getframerate()
    assert 0.3 <= seconds <= 1.0


# ---------------------------------------------------------------------- lockdown


def press(window: KioskWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))


def test_lockdown_ignores_close_escape_and_alt_f4(make_window: MakeWindow) -> None:
    window = make_window(lockdown=True)
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert not window.close()
    assert window.isVisible()
    press(window, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    press(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert window.isVisible()
    window.exit_to_desktop()
    assert not window.isVisible()


def test_a_demo_window_closes_normally(make_window: MakeWindow) -> None:
    window = make_window()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.close()


# ---------------------------------------------------------------------- admin


def test_five_taps_open_the_pin_pad(window: KioskWindow, drive: VisitDriver) -> None:
    tap_corner(drive, 4)
    assert drive.screen == "attract"
    tap_corner(drive, 1)
    assert drive.screen == "pin"
    drive.tap_and_wait("admin.pin.cancel")
    assert drive.screen == "attract"


def test_slow_taps_do_not_open_it() -> None:
    now = [0.0]
    taps = CornerTaps(clock=lambda: now[0])
    opened = []
    for _ in range(5):
        opened.append(taps.tap())
        now[0] += 0.8  # five taps over 3.2 s
    assert opened == [False] * 5
    now[0] += 10
    for _ in range(4):
        now[0] += 0.5
        assert not taps.tap()
    assert taps.tap()  # five within 3 s


@pytest.mark.expected_log("kiosk.ui", "staff PIN pad: pin_wrong")
def test_first_unlock_sets_a_pin_that_is_saved_and_verified(
    window: KioskWindow, drive: VisitDriver, settings_file: Path, make_window: MakeWindow
) -> None:
    tap_corner(drive, 5)
    assert drive.text("admin.pin.title") == "请设置6位员工密码"
    enter_pin(drive, "12345")
    assert drive.text("admin.pin.message") == "密码为6位数字。"
    enter_pin(drive, "246810")
    enter_pin(drive, "246811")
    assert drive.text("admin.pin.message") == "两次输入的密码不同，请重新设置。"
    enter_pin(drive, "246810")
    enter_pin(drive, "246810")
    assert drive.screen == "admin"
    stored = tomllib.loads(settings_file.read_text("utf-8"))["admin"]["pin_hash"]
    assert stored.startswith("scrypt$")
    assert verify_pin("246810", stored)
    assert "246810" not in settings_file.read_text("utf-8")
    drive.tap_and_wait("admin.back")
    assert drive.screen == "attract"
    # A restarted kiosk asks for that PIN.
    again = VisitDriver(make_window())
    tap_corner(again, 5)
    assert again.text("admin.pin.title") == "员工密码"
    enter_pin(again, "000000")
    assert again.text("admin.pin.message") == "密码错误。"
    enter_pin(again, "246810")
    assert again.screen == "admin"


@pytest.mark.expected_log("kiosk.ui", "staff PIN pad: pin_")
def test_five_wrong_pins_lock_the_pad_for_five_minutes(
    window: KioskWindow, drive: VisitDriver
) -> None:
    now = [1000.0]
    window.staff.pin_guard.clock = lambda: now[0]
    window.staff.pin_guard.stored = "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$AAAA"
    tap_corner(drive, 5)
    for _ in range(5):
        enter_pin(drive, "111111")
    assert "5:00" in drive.text("admin.pin.message")
    assert not drive.widget("admin.pin.ok").isEnabled()
    assert not drive.widget("admin.pin.key.1").isEnabled()
    now[0] += 61
    window.staff.pin_page.retranslate()
    assert "3:59" in drive.text("admin.pin.message")
    now[0] += LOCKOUT_S
    window.staff.pin_page.retranslate()
    assert drive.widget("admin.pin.ok").isEnabled()


def test_pin_guard_counts_failures_and_resets_on_success() -> None:
    now = [0.0]
    guard = PinGuard(hash_pin("123456"), clock=lambda: now[0])
    for _ in range(4):
        assert not guard.check("000000")
    assert guard.check("123456")
    assert guard.failures == 0
    for _ in range(5):
        assert not guard.check("000000")
    assert guard.locked_for() == LOCKOUT_S
    assert not guard.check("123456")  # even the right PIN waits
    now[0] += LOCKOUT_S
    assert guard.check("123456")


def test_admin_exit_closes_a_locked_down_kiosk(make_window: MakeWindow, no_highlight: None) -> None:
    window = make_window(f'[admin]\npin_hash = "{hash_pin("135790")}"\n', lockdown=True)
    drive = VisitDriver(window)
    tap_corner(drive, 5)
    enter_pin(drive, "135790")
    assert drive.screen == "admin"
    drive.tap("admin.exit")
    assert not window.isVisible()


# ---------------------------------------------------------------------- sizes, text


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800), (1080, 1920)])
def test_every_screen_fits_the_display(make_window: MakeWindow, size: tuple[int, int]) -> None:
    window = make_window(size=size)
    for name, page in window.pages.items():
        window.show_screen(name)
        QApplication.processEvents()
        assert (window.width(), window.height()) == size, name
        hint = page.minimumSizeHint()
        assert hint.width() <= size[0], (name, hint)
    window.show_screen("attract")


def test_option_buttons_are_big_and_show_their_whole_text(
    window: KioskWindow, drive: VisitDriver
) -> None:
    start_visit(drive, answers=1)
    for option in window.pages["job"].findChildren(WrapButton):
        assert option.height() >= 90
        inner = option.findChild(QLabel)
        assert inner is not None
        assert inner.text() == option.text()
        assert inner.height() >= inner.heightForWidth(inner.width())


def test_large_text_scales_the_text(window: KioskWindow, drive: VisitDriver) -> None:
    start_visit(drive, answers=1)
    option = drive.widget("job.regular_income").findChild(QLabel)
    assert option is not None
    before = option.fontInfo().pixelSize()
    drive.tap("text.large")
    after = option.fontInfo().pixelSize()
    assert after >= before * 1.2
    assert drive.widget("job.regular_income").height() >= 90


def test_the_screens_use_the_bundled_font(window: KioskWindow) -> None:
    assert window.font().family() == "WenQuanYi Micro Hei"
    assert "示例证券" in visible_texts(window)


# ---------------------------------------------------------------------- start-up, screenshots


def test_a_bad_settings_file_shows_the_staff_error_screen(qtbot: QtBot, tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[kiosk]\nidle_timeout_s = 2\n", "utf-8")
    window = main_window(settings)
    qtbot.addWidget(window)
    assert isinstance(window, StartupErrorWindow)
    problems = window.findChild(QLabel, "error.problems")
    assert problems is not None
    assert f"{settings}: kiosk.idle_timeout_s: 2 is out of range" in problems.text()
    exit_button = window.findChild(QPushButton, "error.exit")
    assert exit_button is not None
    window.show()
    exit_button.click()
    assert not window.isVisible()


def test_screenshots_command_writes_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    run = run_kiosk("screenshots", "--out", str(out), "--lang", "en", "--size", "1280x800")
    assert run.code == 0, run.err
    files = sorted(out.glob("*.png"))
    names = [f.stem.split("-", 1)[1] for f in files]
    for expected in (
        "attract",
        "consent",
        "number-pad-refuses-150",
        "choice-question",
        "optional-question",
        "review",
        "result",
        "idle-countdown",
        "printing",
        "print-failure-message",
        "pin-pad",
        "admin",
        "large-text",
    ):
        assert expected in names
    for file in files:
        data = file.read_bytes()
        assert data.startswith(b"\x89PNG")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1280, 800), file.name


def test_screenshots_reject_a_bad_size(tmp_path: Path) -> None:
    run = run_kiosk("screenshots", "--out", str(tmp_path), "--size", "huge")
    assert run.code == 2
    assert run.err_lines == ["kiosk screenshots: --size 'huge' is not WIDTHxHEIGHT, e.g. 1920x1080"]


def test_the_daily_purge_removes_old_records(window: KioskWindow) -> None:
    wait_until(lambda: window.tasks.pending == 0)  # the start's own purge is done
    old = datetime.now() - timedelta(days=400)
    window.sessions.record(
        VisitRecord(started_at=old, ended_at=old, language="zh_CN", outcome="declined")
    )
    # As if written 400 days ago on a sane clock (a record written now with an old date
    # is a wrong clock's, and kept: kiosk.storage.retention).
    window.sessions.db.execute("UPDATE visits SET trusted_at = started_at")
    assert window.sessions.visit_count() == 1
    assert window.staff.purge_timer.isActive()
    assert window.staff.purge_timer.interval() == 24 * 3600 * 1000
    window.staff.purge_timer.timeout.emit()
    wait_until(lambda: window.tasks.pending == 0)
    assert window.sessions.visit_count() == 0


def test_read_aloud_speaks_the_question_and_options(
    window: KioskWindow, drive: VisitDriver
) -> None:
    window.speaker = Speaker(engine="mock")  # Qt's own test engine: it reports what it says
    start_visit(drive, answers=1)
    drive.tap("job.speak")
    assert window.speaker.last is not None
    text, lang = window.speaker.last
    assert lang == "en"
    assert text.startswith("Which best describes your income from work?")
    assert "1. Stable salary" in text
    assert "5. Laid off / no regular income" in text


@pytest.mark.skipif(not real_engines(), reason="no speech engine (speech-dispatcher) here")
def test_a_real_speech_engine_is_found_and_speaks(window: KioskWindow, qtbot: QtBot) -> None:
    speaker = Speaker()
    assert speaker.available
    assert window.pages["job"].speaker.isVisibleTo(window.pages["job"])
    speaker.say("您的年龄是？", "zh_CN")
    # Connecting takes seconds (the engine lists its voices), in the speech thread.
    qtbot.waitUntil(lambda: speaker.begun, timeout=30_000)
    qtbot.waitUntil(lambda: speaker.settled, timeout=5000)
    voice = speaker.engine_voice()
    assert voice is not None
    assert "Mandarin" in voice[0]
    assert "latin as English" not in voice[0]
    speaker.stop()


def test_an_earlier_thanks_screen_cannot_end_a_later_one(window: KioskWindow, qtbot: QtBot) -> None:
    window.thanks_timer.setInterval(400)
    window.show_screen("thanks")
    qtbot.wait(250)
    window.wipe()
    window.show_screen("thanks")
    qtbot.wait(250)  # 500 ms after the first thanks screen: its timer would have fired
    assert window.visit.screen == "thanks"
    qtbot.waitUntil(lambda: window.visit.screen == "attract", timeout=2000)
