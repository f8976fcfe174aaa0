"""Sheet numbers `<branch code>-<YYYYMMDD>-<4-digit sequence>` that never repeat on a kiosk.

The counter lives in the data folder (`sheet_numbers.json`: the last sequence used on
each date), so it survives restarts, and a clock set back to an earlier day still
continues that day's count. A damaged counter is kept aside as `sheet_numbers.damaged`
and today's count resumes at 5001. Every update holds an exclusive lock and replaces the file
atomically, so two processes (the kiosk and `kiosk report`) never hand out one number twice.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kiosk.engine.errors import KioskError

COUNTER_FILE = "sheet_numbers.json"
LOCK_FILE = ".sheet_numbers.lock"
RECOVERY_START = 5000


class SheetNumberError(KioskError):
    """The counter cannot be read or written; names the file and what to do."""


def next_sheet_number(data_path: Path, branch_code: str, today: date) -> str:
    """Take the next number for `today`; raises SheetNumberError when the folder is unusable."""
    counter = data_path / COUNTER_FILE
    try:
        data_path.mkdir(parents=True, exist_ok=True)
        with _locked(data_path / LOCK_FILE):
            used, damaged = _read(counter)
            key = today.strftime("%Y%m%d")
            # After a damaged counter, today's numbers jump past anything it may have held.
            sequence = used.get(key, RECOVERY_START if damaged else 0) + 1
            used[key] = sequence
            _write(counter, used)
    except OSError as exc:
        raise SheetNumberError(
            f"{counter}: cannot record the sheet number ({exc.strerror}); "
            "check that the data folder exists, is writable and has free space"
        ) from None
    return f"{branch_code}-{key}-{sequence:04d}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        try:
            import fcntl  # noqa: PLC0415 - POSIX only; Windows kiosks run one process
        except ImportError:
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(path: Path) -> tuple[dict[str, int], bool]:
    """The counts by date, and whether the file was damaged (then kept aside for staff)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, False
    except (ValueError, UnicodeDecodeError):
        raw = None
    if isinstance(raw, dict) and all(isinstance(k, str) and type(v) is int for k, v in raw.items()):
        return raw, False
    path.replace(path.with_suffix(".damaged"))
    return {}, True


def _write(path: Path, used: dict[str, int]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(used, handle, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
