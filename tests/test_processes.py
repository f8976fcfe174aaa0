"""Nothing the kiosk or the tests start outlives them.

Read-aloud runs a speech-dispatcher daemon; left to libspeechd's autospawn it is detached
and stays after the kiosk (or a test session) ends. The test command starts cupsd when
none runs (scripts/cups.sh) and stops it at its end. A child marks its environment with a
unique variable, which every process it starts inherits; after it ends, no live process
may carry the mark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from kiosk.ui.speech import real_engines

ROOT = Path(__file__).resolve().parent.parent
CUPS_SH = ROOT / "scripts" / "cups.sh"

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; the Linux kiosk"
)
needs_speechd = pytest.mark.skipif(
    "speechd" not in real_engines(), reason="no speech-dispatcher engine here"
)


def marked(tmp_path: Path) -> tuple[str, dict[str, str]]:
    mark = uuid.uuid4().hex
    env = {
        **os.environ,
        "KIOSK_PROCESS_MARK": mark,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),  # speech-dispatcher's default socket
        "TMPDIR": str(tmp_path),  # the kiosk's speech-dispatcher folder, left when killed
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    return mark, env


def processes_with(mark: str) -> list[str]:
    """Live processes (zombies do not count) whose environment carries the mark."""
    wanted = f"KIOSK_PROCESS_MARK={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        if state != "Z":
            found.append(f"{entry.name}: {command.strip()}")
    return found


def left_behind(mark: str, seconds: float = 5) -> list[str]:
    """What still carries the mark after a few seconds (a daemon may take a moment)."""
    deadline = time.monotonic() + seconds
    while (found := processes_with(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


SPEAK = textwrap.dedent(
    """\
    import os, signal, sys, time
    from PySide6.QtWidgets import QApplication
    from kiosk.ui.speech import Speaker
    from tests.test_processes import processes_with

    def daemons():
        mine = processes_with(os.environ["KIOSK_PROCESS_MARK"])
        return [p for p in mine if "speech-dispatcher" in p]

    app = QApplication([])
    speaker = Speaker()
    speaker.say("您的年龄是？", "zh_CN")
    deadline = time.monotonic() + 30
    while not daemons() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):  # let it speak a little
        app.processEvents()
        time.sleep(0.05)
    print(len(daemons()), flush=True)
    if sys.argv[1] == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


@linux_only
@needs_speechd
@pytest.mark.parametrize("end", ["exits", "killed"])
def test_read_aloud_leaves_no_speech_dispatcher_behind(tmp_path: Path, end: str) -> None:
    mark, env = marked(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", SPEAK, end],
        check=False,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.strip() not in ("", "0"), (
        f"no speech-dispatcher ran: {run.stdout}{run.stderr}"
    )
    assert left_behind(mark) == []


@linux_only
@needs_speechd
def test_a_test_session_leaves_no_speech_dispatcher_behind(tmp_path: Path) -> None:
    mark, env = marked(tmp_path)
    test = "tests/ui/test_kiosk.py::test_a_real_speech_engine_is_found_and_speaks"
    inner = str(tmp_path / "inner")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", inner, test],
        check=False,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout, run.stdout  # it spoke, not skipped
    assert left_behind(mark) == []


FAKE_CUPSD = "#!/bin/sh\nwhile :; do sleep 1; done\n"  # named cupsd: `ps -C cupsd` lists it


@linux_only
@pytest.mark.skipif(shutil.which("flock") is None, reason="no flock (util-linux)")
def test_the_test_command_stops_the_cupsd_it_started_when_no_other_run_uses_it(
    tmp_path: Path,
) -> None:
    mark, env = marked(tmp_path)
    cupsd = tmp_path / "cupsd"
    cupsd.write_text(FAKE_CUPSD, "utf-8")
    cupsd.chmod(0o755)
    daemon = subprocess.Popen([str(cupsd)], env=env, start_new_session=True)
    env |= {
        "KIOSK_CUPS_LOCK": str(tmp_path / "cups.lock"),
        "KIOSK_CUPS_STARTED": str(tmp_path / "cups.pid"),
    }
    (tmp_path / "cups.pid").write_text(f"{daemon.pid}\n")
    # Two runs of the test command use the scheduler (what ensure_cups does first); the
    # first to end leaves it to the other, the last one stops it.
    run = textwrap.dedent(
        """\
        set -euo pipefail
        source "$1"
        exec {KIOSK_CUPS_LOCK_FD}>>"$KIOSK_CUPS_LOCK"
        flock -s "$KIOSK_CUPS_LOCK_FD"
        echo using
        read -r _
        cups_release
        """
    )
    runs = [
        subprocess.Popen(
            ["bash", "-c", run, "run", str(CUPS_SH)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for each in runs:
            assert each.stdout is not None
            assert each.stdout.readline() == "using\n"
        _, first = runs[0].communicate("\n", timeout=30)
        assert runs[0].returncode == 0, first
        assert daemon.poll() is None, "cupsd was stopped while another run still used it"
        _, second = runs[1].communicate("\n", timeout=30)
        assert runs[1].returncode == 0, second
        assert "stopped the cupsd started for the tests" in second
        daemon.wait(timeout=10)
        assert not (tmp_path / "cups.pid").exists()
    finally:
        for each in [*runs, daemon]:
            if each.poll() is None:
                each.kill()
                each.wait()
    assert left_behind(mark) == []
