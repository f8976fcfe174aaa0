"""packaging/linux/kiosk-session: systemd's SIGTERM goes to the kiosk, not to cage.

Debian 12's cage aborts on SIGTERM and never passes it on, so a stop or restart of the
unit would take the display away from the kiosk before it recorded the visit in progress.
Here a stand-in for cage (same command line: options, `--`, the client) runs the real
kiosk offscreen and records any signal that reaches it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SESSION = ROOT / "packaging" / "linux" / "kiosk-session"

FAKE_CAGE = textwrap.dedent(
    """\
    import signal, subprocess, sys
    def told(signum, _frame):
        with open(sys.argv[1], "a") as log:
            log.write(f"cage got {signal.Signals(signum).name}\\n")
        sys.exit(134)  # what Debian's cage does: abort
    signal.signal(signal.SIGTERM, told)
    client = sys.argv[sys.argv.index("--") + 1 :]
    sys.exit(subprocess.call(client))  # cage ends when its client does
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux kiosk session")
def test_a_stop_reaches_the_kiosk_which_ends_cleanly_and_cage_follows(tmp_path: Path) -> None:
    cage_log = tmp_path / "cage.log"
    fake = tmp_path / "cage"
    fake.write_text(f"#!{sys.executable}\n{FAKE_CAGE}", "utf-8")
    fake.chmod(0o755)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    env = {
        **os.environ,
        "KIOSK_CAGE": str(fake),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    command = [sys.executable, "-m", "kiosk", "--lockdown", "--settings", str(settings)]
    # The stand-in takes its log as its first option, where cage would take -d -s.
    session = subprocess.Popen(
        ["sh", str(SESSION), str(cage_log), "--", *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        db = tmp_path / "data" / "sessions.sqlite3"
        deadline = time.monotonic() + 60
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.2)  # the kiosk's second stage has opened its session log
        assert db.exists(), "the kiosk did not start under kiosk-session"
        session.send_signal(signal.SIGTERM)
        assert session.wait(timeout=30) == 0, "the kiosk did not end cleanly"
    finally:
        if session.poll() is None:
            session.kill()
            session.wait()
    assert not cage_log.exists(), cage_log.read_text("utf-8")
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


VERIFY = ROOT / "packaging" / "linux" / "verify.sh"
needs_verify_tools = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or shutil.which("shellcheck") is None,
    reason="packaging/linux/verify.sh needs systemd-analyze and shellcheck",
)


def system_units() -> Path:
    for folder in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if folder.is_dir():
            return folder
    pytest.skip("no system unit folder")


def verify(env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(VERIFY)],
        check=False,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


@needs_verify_tools
def test_verify_passes_here() -> None:
    run = verify()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PROBLEM" not in run.stdout


@needs_verify_tools
def test_verify_passes_on_a_system_without_dbus(tmp_path: Path) -> None:
    """A minimal Debian has no dbus package: no dbus.socket, which the unit wants."""
    units = tmp_path / "units"
    shutil.copytree(system_units(), units, symlinks=True)
    for name in ("dbus.socket", "dbus.service"):
        (units / name).unlink(missing_ok=True)
    run = verify({"KIOSK_VERIFY_UNIT_DIR": str(units)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PROBLEM" not in run.stdout
    assert "dbus.socket is not installed here" in run.stdout, run.stdout
