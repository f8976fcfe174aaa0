"""Nobody takes over the kiosk: no PIN means no staff access in lockdown, the PIN comes
from `kiosk set-pin`, the corner never interrupts a visit, the staff panel logs itself
out, and wrong PINs and the lockout are kept in the session log across restarts."""

from __future__ import annotations

import re
import sqlite3
import tomllib
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.diagnostics import write_diagnostics
from kiosk.pin import hash_pin, verify_pin
from kiosk.settings import load_settings
from kiosk.storage.sessions import DB_FILE
from kiosk.ui.admin import LOCKOUT_S, MAX_TRIES
from kiosk.ui.driver import VisitDriver
from kiosk.ui.window import KioskWindow
from tests.helpers import run_kiosk
from tests.helpers.ui import enter_pin, tap_corner
from tests.ui.conftest import MakeWindow

PIN = "246810"
WITH_PIN = f'[admin]\npin_hash = "{hash_pin(PIN)}"\n'


def set_pin(settings_file: Path, *lines: str) -> tuple[int, str]:
    run = run_kiosk("--settings", str(settings_file), "set-pin", stdin="".join(lines))
    return run.code, run.out + run.err


def admin_actions(window: KioskWindow) -> list[tuple[str, str]]:
    window.tasks.shutdown()  # every pending write done
    with sqlite3.connect(window.settings.data_path / DB_FILE) as db:
        rows = db.execute("SELECT action, detail FROM admin_actions ORDER BY id").fetchall()
    return [(str(action), str(detail)) for action, detail in rows]


@pytest.mark.expected_log("kiosk.ui", "no staff PIN is set")
def test_a_locked_down_kiosk_without_a_pin_has_no_staff_access(
    make_window: MakeWindow, no_highlight: None, settings_file: Path
) -> None:
    before = settings_file.read_text("utf-8")
    window = make_window(lockdown=True)
    drive = VisitDriver(window)
    tap_corner(drive, 10)
    assert drive.screen == "attract"
    assert settings_file.read_text("utf-8") == before


def test_set_pin_gives_staff_access_without_a_restart(
    make_window: MakeWindow, no_highlight: None, settings_file: Path
) -> None:
    window = make_window(lockdown=True)
    drive = VisitDriver(window)
    code, said = set_pin(settings_file, f"{PIN}\n", f"{PIN}\n")
    assert code == 0, said
    assert said.strip() == f"staff PIN set in {settings_file}"
    stored = tomllib.loads(settings_file.read_text("utf-8"))["admin"]["pin_hash"]
    assert verify_pin(PIN, stored)
    assert PIN not in settings_file.read_text("utf-8")
    tap_corner(drive)
    assert drive.screen == "pin"
    assert drive.text("admin.pin.title") == "员工密码"  # verify, not set up
    enter_pin(drive, PIN)
    assert drive.screen == "admin"
    # A later save from the staff panel keeps the PIN that set-pin wrote.
    window.staff.admin_panel.save({"kiosk": {"idle_timeout_s": 120}})
    assert load_settings(settings_file).admin.pin_hash == stored


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (("246810\n", "246811\n"), "the two PINs differ"),
        (("24681\n", "24681\n"), "the PIN must be 6 digits"),
        (("abcdef\n", "abcdef\n"), "the PIN must be 6 digits"),
        (("246810\n",), "the two PINs differ"),
    ],
)
def test_set_pin_refuses_a_bad_pin_and_changes_nothing(
    settings_file: Path, lines: tuple[str, ...], problem: str
) -> None:
    before = settings_file.read_text("utf-8")
    code, said = set_pin(settings_file, *lines)
    assert code == 2
    assert said.strip() == f"kiosk set-pin: {problem}; nothing changed"
    assert settings_file.read_text("utf-8") == before


def test_the_corner_does_nothing_during_a_visit(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window(WITH_PIN, lockdown=True)
    drive = VisitDriver(window)
    drive.tap_and_wait("attract.start")
    tap_corner(drive)
    assert drive.screen == "consent"
    drive.tap("consent.accept")
    tap_corner(drive)
    assert drive.screen == "age"


@pytest.fixture
def at_the_pin_pad(make_window: MakeWindow, no_highlight: None) -> VisitDriver:
    """A kiosk with a PIN and a short idle time, its PIN pad open."""
    window = make_window(WITH_PIN + "[kiosk]\nidle_timeout_s = 5\n")
    window.idle.countdown_s = 1  # the settings' least is 20 s
    drive = VisitDriver(window)
    tap_corner(drive)
    return drive


def test_the_staff_panel_logs_itself_out_after_the_idle_timeout(
    at_the_pin_pad: VisitDriver, qtbot: QtBot
) -> None:
    drive = at_the_pin_pad
    window = drive.window
    assert isinstance(window, KioskWindow)
    enter_pin(drive, PIN)
    assert drive.screen == "admin"
    qtbot.waitUntil(window.overlay.isVisible, timeout=8000)
    assert drive.widget("idle.countdown").isVisible()
    qtbot.waitUntil(lambda: drive.screen == "attract", timeout=4000)


def test_the_pin_pad_also_times_out(at_the_pin_pad: VisitDriver, qtbot: QtBot) -> None:
    drive = at_the_pin_pad
    assert drive.screen == "pin"
    qtbot.waitUntil(lambda: drive.screen == "attract", timeout=9000)


@pytest.mark.expected_log("kiosk.ui", "staff PIN pad: pin_")
@pytest.mark.expected_log("kiosk.tasks", "a task after shutdown was dropped")
def test_wrong_pins_and_the_lockout_are_logged_and_survive_a_restart(
    make_window: MakeWindow, no_highlight: None
) -> None:
    window = make_window(WITH_PIN, lockdown=True)
    drive = VisitDriver(window)
    tap_corner(drive)
    enter_pin(drive, "111111")
    enter_pin(drive, "222222")
    actions = admin_actions(window)
    assert actions == [("pin_wrong", "1 of 5"), ("pin_wrong", "2 of 5")]
    window.exit_to_desktop()

    # Restarted: the two failures still count, so three more lock the pad.
    again = make_window(lockdown=True)
    drive = VisitDriver(again)
    assert again.staff.pin_guard.failures == 2
    tap_corner(drive)
    for _ in range(MAX_TRIES - 2):
        enter_pin(drive, "333333")
    assert again.staff.pin_guard.locked_for() > LOCKOUT_S - 5
    assert [action for action, _ in admin_actions(again)][-2:] == ["pin_wrong", "pin_locked"]
    again.exit_to_desktop()

    # Restarted during the lockout: still locked, even for the right PIN.
    third = make_window(lockdown=True)
    drive = VisitDriver(third)
    assert third.staff.pin_guard.locked_for() > LOCKOUT_S - 10
    tap_corner(drive)
    assert not drive.widget("admin.pin.ok").isEnabled()
    assert re.search(r"[45]:\d\d", drive.text("admin.pin.message"))


TOML_SPELLINGS = [
    "[admin]\npin_hash = '{hash}'\n",
    '[admin]\npin_hash = """{hash}"""\n',
    "[admin]\npin_hash = '''{hash}'''\n",
    'admin.pin_hash = "{hash}"\n',
    'admin = {{ pin_hash = "{hash}" }}\n',
    '[admin]\n  "pin_hash"   =   "{hash}"   # staff\n',
]


@pytest.mark.parametrize("spelling", TOML_SPELLINGS)
def test_the_diagnostics_zip_never_holds_the_pin_hash(tmp_path: Path, spelling: str) -> None:
    stored = hash_pin(PIN)
    settings_path = tmp_path / "settings.toml"
    # The spelling first: a dotted key after [storage] would belong to that table.
    settings_path.write_text(
        spelling.format(hash=stored) + f'[storage]\ndata_dir = "{tmp_path / "data"}"\n',
        "utf-8",
    )
    settings = load_settings(settings_path)
    assert settings.admin.pin_hash == stored
    target = write_diagnostics(tmp_path / "out", settings, {})
    with zipfile.ZipFile(target) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        written = tomllib.loads(archive.read("settings.toml").decode("utf-8"))
    salt, digest = stored.split("$")[4:]
    assert salt.encode() not in everything
    assert digest.encode() not in everything
    assert written["admin"]["pin_hash"] == "(removed)"
    assert written["storage"]["data_dir"] == str(tmp_path / "data")


def test_a_lone_tap_on_the_corner_starts_a_visit_like_the_rest_of_the_start_screen(
    window: KioskWindow, qtbot: QtBot
) -> None:
    drive = VisitDriver(window)
    tap_corner(drive, 1)
    assert drive.screen == "attract"  # a moment: staff tap five times in a row
    qtbot.waitUntil(lambda: drive.screen == "consent", timeout=2000)
    # Staff's five quick taps still open the pad (in a window without a PIN: to set one).
    window.wipe()
    tap_corner(drive, 5)
    assert drive.screen == "pin"
    qtbot.wait(800)
    assert drive.screen == "pin"
