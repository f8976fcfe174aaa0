"""A private IPP printer for a test: CUPS's IPP Everywhere simulator `ippeveprinter` on
its own port and spool folder, behind its own driverless CUPS queue, steered through the
job command scripts/ipp-job.sh (the `printer` fixture, registered in tests/conftest.py).

Needs root, a running CUPS, pycups, `ippeveprinter` (cups-ipp-utils) and a running
avahi-daemon (scripts/test sets all of it up when root on Debian); elsewhere the fixture
skips and says why.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

from kiosk.printing import device, ipp
from kiosk.printing.ipp import IppBackend
from kiosk.printing.model import NO_CUPS

ROOT = Path(__file__).resolve().parents[2]
JOB_COMMAND = ROOT / "scripts" / "ipp-job.sh"
A4 = "iso_a4_210x297mm"


def _why_no_printer() -> str:
    """'' when a private IPP printer can be started here, else why not."""
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root on Linux (lpadmin creates a queue per test)"
    if not ipp.available():
        return "pycups is not installed (pip builds it from source: libcups2-dev, gcc)"
    if shutil.which("ippeveprinter") is None or shutil.which("ipptool") is None:
        return "ippeveprinter is not installed (Debian: cups-ipp-utils; scripts/test installs it)"
    if shutil.which("lpadmin") is None:
        return "CUPS's lpadmin is not installed"
    status = IppBackend().status("no-such-queue-just-asking", device=False)
    if status.reason == NO_CUPS:
        return f"no CUPS scheduler: {status.detail}"
    check = subprocess.run(["avahi-daemon", "--check"], capture_output=True, check=False)
    if check.returncode != 0:
        return "avahi-daemon is not running (ippeveprinter needs it; scripts/test starts it)"
    return ""


WHY = _why_no_printer()
_queues = count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Printer:
    """One ippeveprinter and its driverless CUPS queue."""

    queue: str
    uri: str
    port: int
    spool: Path
    control: Path
    log: Path
    process: subprocess.Popen[bytes]

    def steer(self, script: str) -> None:
        """What scripts/ipp-job.sh does for each following job (shell)."""
        self.control.write_text(script, "utf-8")

    def received(self) -> list[Path]:
        return sorted(self.spool.glob("*.pdf"), key=lambda p: int(p.name.split("-", 1)[0]))

    def web(self, page: str, **values: object) -> None:
        """ippeveprinter's own test forms (/media, /supplies) take GET parameters."""
        query = "&".join(f"{key}={value}" for key, value in values.items())
        with urllib.request.urlopen(f"http://localhost:{self.port}/{page}?{query}", timeout=5):
            pass

    def set_paper(self, sheets: int) -> None:
        # Trays: auto, main, manual, by-pass-tray; each unnamed tray's level would be 0.
        self.web("media", size1=A4, level1=sheets, size3=A4, level3=min(sheets, 25))

    def kill(self) -> None:
        """Gone at once, with its job command (the whole session)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def run_cups(*command: str) -> None:
    subprocess.run(list(command), check=True, capture_output=True, timeout=30)


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[Printer]:
    if WHY:
        pytest.skip(WHY)
    port = free_port()
    spool = tmp_path / "spool"
    spool.mkdir()
    control = tmp_path / "control"
    log = tmp_path / "ippeveprinter.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                "ippeveprinter",
                "-p",
                str(port),
                "-k",
                "-d",
                str(spool),
                "-c",
                str(JOB_COMMAND),
                "-f",
                "application/pdf,image/pwg-raster",
                f"Kiosk Test {port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "KIOSK_IPP_CONTROL": str(control)},
            start_new_session=True,
        )
    uri = f"ipp://localhost:{port}/ipp/print"
    queue = f"kiosk-ipp-test-{os.getpid()}-{next(_queues)}"
    made = Printer(queue, uri, port, spool, control, log, process)
    try:
        deadline = time.monotonic() + 10
        while not device.query(uri, 1.0).answered:
            if process.poll() is not None or time.monotonic() > deadline:
                said = log.read_text("utf-8", "replace").strip().splitlines()[-1:]
                pytest.fail(f"ippeveprinter did not start: {said}")
            time.sleep(0.1)
        run_cups("lpadmin", "-p", queue, "-v", uri, "-m", "everywhere", "-E")
        yield made
    finally:
        subprocess.run(["cancel", "-a", queue], capture_output=True, check=False)
        subprocess.run(["lpadmin", "-x", queue], capture_output=True, check=False)
        made.kill()
