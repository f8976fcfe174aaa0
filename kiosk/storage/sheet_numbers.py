"""Sheet numbers `<branch code>-<YYYYMMDD>-<kiosk_no><NNN>` that never repeat.

The day's serial is four digits: the kiosk's number in its branch (`branch.kiosk_no`,
1–9) and a three-digit count, so two kiosks of one branch never share a number and each
has 999 numbers a day; the 1000th asks for staff (SheetNumberError) instead of reusing one.

The counter lives in the data folder (`sheet_numbers.json`: the last count used on each
date), so it survives restarts, and a clock set back to an earlier day continues that
day's count. When the counter is missing or damaged (a damaged one is kept aside as
`sheet_numbers.damaged`), the day's count resumes above the highest number of that day
found in the outbox and in the session log. A number whose sheet is already in the
outbox is never handed out. Every update holds an exclusive lock and replaces the file
atomically, so two processes (the kiosk and `kiosk report`) never take one number twice.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from kiosk.engine.errors import KioskError
from kiosk.files import write_atomic
from kiosk.storage.outbox import Outbox
from kiosk.storage.session_schema import DB_FILE

COUNTER_FILE = "sheet_numbers.json"
LOCK_FILE = ".sheet_numbers.lock"
DAILY_LIMIT = 999
"""Numbers one kiosk can issue a day: the serial's last three digits."""

_NUMBER = re.compile(r"^(?P<code>[A-Za-z0-9]{1,16})-(?P<day>\d{8})-(?P<serial>\d{4})$")


class SheetNumberError(KioskError):
    """No number can be taken; names the file or the limit and what to do."""


def format_number(branch_code: str, day: date, kiosk_no: int, count: int) -> str:
    return f"{branch_code}-{day:%Y%m%d}-{kiosk_no}{count:03d}"


def next_sheet_number(data_path: Path, branch_code: str, today: date, kiosk_no: int = 1) -> str:
    """Take the next number for `today`.

    Raises SheetNumberError when the data folder is unusable or the kiosk has used all
    999 of today's numbers."""
    counter = data_path / COUNTER_FILE
    key = f"{today:%Y%m%d}"
    try:
        data_path.mkdir(parents=True, exist_ok=True)
        with _locked(data_path / LOCK_FILE):
            used, lost = _read(counter)
            if key in used:
                count = used[key]
            else:
                # A new day, or a counter that was lost: start above what was issued.
                count = _highest_issued(data_path, key, kiosk_no) if lost else 0
            count += 1
            # Never a number whose sheet is already kept (a counter restored from a backup).
            outbox = Outbox(data_path)
            while (
                count <= DAILY_LIMIT
                and outbox.path(format_number(branch_code, today, kiosk_no, count)).exists()
            ):
                count += 1
            if count > DAILY_LIMIT:
                raise SheetNumberError(
                    f"this kiosk has issued all {DAILY_LIMIT} sheet numbers of {today:%Y-%m-%d} "
                    f"(kiosk_no {kiosk_no}); sheets can be numbered again tomorrow, or give "
                    "this kiosk another branch.kiosk_no in the settings"
                )
            used[key] = count
            write_atomic(counter, json.dumps(used, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        raise SheetNumberError(
            f"{counter}: cannot record the sheet number ({exc.strerror}); "
            "check that the data folder exists, is writable and has free space"
        ) from None
    return format_number(branch_code, today, kiosk_no, count)


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
    """The counts by date, and whether the counter was lost (missing or damaged; a
    damaged file is kept aside for staff)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, True
    except (ValueError, UnicodeDecodeError):
        raw = None
    if isinstance(raw, dict) and all(
        isinstance(k, str) and type(v) is int and 0 <= v <= DAILY_LIMIT for k, v in raw.items()
    ):
        return raw, False
    path.replace(path.with_suffix(".damaged"))
    return {}, True


def _highest_issued(data_path: Path, day: str, kiosk_no: int) -> int:
    """The highest count this kiosk issued on `day`, from the outbox and the session log."""
    kept = Outbox(data_path).numbers()
    counts = [
        int(serial) - kiosk_no * 1000
        for serial in _serials(kept + _logged_numbers(data_path / DB_FILE, day), day)
        if serial[0] == str(kiosk_no)
    ]
    return max(counts, default=0)


def _serials(numbers: Iterable[str], day: str) -> Iterator[str]:
    for number in numbers:
        match = _NUMBER.match(number)
        if match and match["day"] == day:
            yield match["serial"]


def _logged_numbers(path: Path, day: str) -> list[str]:
    """The day's sheet numbers in the session log (read-only; [] when it cannot be read)."""
    if not path.is_file():
        return []
    import sqlite3  # noqa: PLC0415 - only a lost counter needs it; the first screen does not

    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT sheet_number FROM visits WHERE sheet_number LIKE ?"
                " UNION SELECT sheet_number FROM prints WHERE sheet_number LIKE ?",
                (f"%-{day}-%", f"%-{day}-%"),
            ).fetchall()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows if isinstance(row[0], str)]
