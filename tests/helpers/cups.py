"""The real CUPS the printing tests use: the PDF queue kiosk-pdf (scripts/cups.sh sets
it up when root on Debian), its output, and commands on queues."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

QUEUE = "kiosk-pdf"


def queue_problem() -> str:
    """'' when the CUPS queue can be used, else why not."""
    if shutil.which("lpstat") is None:
        return "CUPS's lpstat is not installed (scripts/test installs it when root on Debian)"
    done = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"the CUPS queue {QUEUE} does not exist: {done.stderr.strip()}"
    return ""


NO_CUPS = queue_problem()
"""Why the printing tests skip here ('' when they run)."""


def cups(*command: str) -> None:
    subprocess.run(list(command), check=True, capture_output=True, timeout=30)


def jobs_not_completed(queue: str) -> list[str]:
    """The queue's jobs that CUPS has not completed (one line each)."""
    done = subprocess.run(
        ["lpstat", "-W", "not-completed", "-o", queue],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    return done.stdout.splitlines()


def pdf_output_dir() -> Path:
    return Path(os.environ.get("KIOSK_CUPS_PDF_DIR", str(Path.home() / "PDF")))


def printed_file(number: str, timeout_s: float = 30) -> Path:
    """The PDF that cups-pdf wrote for our job (its name carries the job's title)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [p for p in pdf_output_dir().glob("*.pdf") if number in p.name]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no PDF for sheet {number} in {pdf_output_dir()}")
