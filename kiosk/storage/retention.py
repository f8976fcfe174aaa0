"""Retention: what is older than `storage.retention_days` is deleted — session records, the
sheets of the deleted visits, and the CSV exports and diagnostics zips the staff panel left
in the data folder — but only on a clock the kiosk can trust, and never a record because
the clock was wrong when it was written.

The kiosk's clock can be wrong (a flat RTC battery, a bad time server, someone changing
it): a clock a year ahead would make the whole log look old, and a visit stored with a
clock ten years behind would look ancient. So:

- **The trusted time.** The session log keeps the latest time it has trusted (meta row
  `clock_seen`). A time is trusted when it is at most a day after it (`CLOCK_STEP`) and
  not more than an hour before it (`CLOCK_SLACK`: daylight-saving's hour back, small
  corrections); the trusted time then moves up to it. Every record written (visit, print,
  staff action) and every purge is such a check; a fresh log trusts its first time.
- **The purge refuses** when `now` is more than the slack before the trusted time (the
  clock is before the newest record written on a trusted clock: "behind") or more than a
  day after it (the clock jumped forward since the kiosk last ran or wrote: "jumped"). It
  logs why and keeps the refusal (meta row `purge`) for the staff panel. Nothing moves the
  trusted time past a refused jump by itself — a clock left a year ahead stays refused at
  every start and every daily purge — except the clock coming back within a day of it, or
  staff confirming the date and time in the staff panel (`confirmed=True`), which makes
  `now` the trusted time. A kiosk switched off for more than a day therefore waits for
  that tap before it purges again; records are only ever kept longer, never lost.
- **Rows are dated by the trusted clock.** Each row keeps `trusted_at`: its own time when
  it was written on the trusted clock, else NULL. Rows are written in order, so a row was
  really written no later than any row after it: a row is due when the first trusted time
  at or after it, in the order rows were written, is older than the cutoff. A row written
  with a clock behind or ahead (NULL) is therefore kept as long as the next row written
  with the clock right, and a row with no trusted row after it is kept. Visits, prints
  and staff actions are each ordered in their own table; a visit's prints go with it.
- **Files.** A deleted visit's sheet (`outbox/<number>.pdf`) goes with it. Other files go
  when their modification time is before the cutoff, and only those the kiosk writes, by
  name, in its own folders: sheets in the outbox whose visit is not in the log (a visit
  never recorded, or purged before this rule), `exports/kiosk-sessions-*.csv` and
  `exports/kiosk-diagnostics-*.zip`, and the temporary files of a write cut short. Copies
  on USB drives have left the kiosk and are not touched. A file has only its modification
  time, stamped by the clock of the moment: one written while the clock was behind goes
  at the first purge, unless it is the sheet of a visit still kept.
- **Statistics** count visits started from the period's start up to now, so a row dated
  in the future is not "today".
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.storage.outbox import Outbox, OutboxError

if TYPE_CHECKING:
    from kiosk.storage.sessions import SessionLog

log = logging.getLogger("kiosk.storage")

CLOCK_SLACK = timedelta(hours=1)
CLOCK_STEP = timedelta(days=1)
EXPORTS = "exports"
_EXPORT = r"kiosk-(?:sessions-\d{8}-\d{6}\.csv|diagnostics-\d{8}-\d{6}\.zip)"
_EXPORT_NAME = re.compile(rf"^(?:{_EXPORT}|\.{_EXPORT}\.tmp)$")
_SHEET_TMP = re.compile(r"^\.(?P<number>[^/]+)\.pdf\.\w+\.tmp$")


def clock_problem(seen: datetime | None, now: datetime) -> str | None:
    """None when `now` may be trusted after the trusted time `seen`, else "behind" or
    "jumped"."""
    if seen is None:
        return None
    if now < seen - CLOCK_SLACK:
        return "behind"
    if now > seen + CLOCK_STEP:
        return "jumped"
    return None


@dataclass(frozen=True)
class PurgeResult:
    at: datetime
    """The clock's time when the purge ran."""
    refused: str | None = None
    """None when it ran; "behind" or "jumped" when the clock could not be trusted."""
    trusted: datetime | None = None
    """The trusted time the clock was held against."""
    visits: int = 0
    prints: int = 0
    admin_actions: int = 0
    sheets: int = 0
    """Sheet PDFs (and their temporary files) deleted from the outbox."""
    files: int = 0
    """CSV exports and diagnostics zips (and their temporary files) deleted."""

    def to_json(self) -> str:
        data = asdict(self)
        data["at"] = self.at.isoformat(timespec="seconds")
        data["trusted"] = self.trusted.isoformat(timespec="seconds") if self.trusted else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> PurgeResult:
        data = json.loads(text)
        data["at"] = datetime.fromisoformat(data["at"])
        if data.get("trusted"):
            data["trusted"] = datetime.fromisoformat(data["trusted"])
        return cls(**data)


def purge_old_records(
    sessions: SessionLog,
    data_path: Path,
    retention_days: int,
    now: datetime,
    *,
    confirmed: bool = False,
    keep_unsynced: bool = False,
) -> PurgeResult:
    """Delete what is older than `retention_days` before `now`, if `now` can be trusted
    (`confirmed`: staff said it is right). Never raises for a file; the result is also
    kept in the log (`last_purge`). `keep_unsynced` (the fleet database is on): records
    not yet pushed are kept, with a warning."""
    problem, trusted = sessions.check_clock(now, confirmed=confirmed)
    if problem is not None:
        result = PurgeResult(now, problem, trusted)
        log.warning(
            "old records not purged: the clock (%s) is %s the newest time the kiosk "
            "trusted (%s); staff can confirm the date and time in the staff panel",
            now.isoformat(timespec="seconds"),
            "before" if problem == "behind" else "more than a day after",
            trusted.isoformat(timespec="seconds") if trusted else "-",
        )
    else:
        if confirmed:
            log.warning(
                "staff confirmed the clock (%s); it was held against %s",
                now.isoformat(timespec="seconds"),
                trusted.isoformat(timespec="seconds") if trusted else "-",
            )
        cutoff = now - timedelta(days=retention_days)
        purged = sessions.purge(cutoff, keep_unsynced=keep_unsynced)
        if purged.kept_unsynced:
            log.warning(
                "%d old records kept: they are not in the fleet database yet "
                "(kiosk sync --once says why)",
                purged.kept_unsynced,
            )
        sheets = _remove_sheets(data_path, purged.sheet_numbers, sessions.sheet_numbers(), cutoff)
        files = _remove_exports(data_path / EXPORTS, cutoff)
        result = PurgeResult(
            now, None, trusted, purged.visits, purged.prints, purged.admin_actions, sheets, files
        )
        log.info(
            "purged what is older than %s: %d visits, %d prints, %d staff actions, "
            "%d sheets, %d exports",
            cutoff.isoformat(timespec="seconds"),
            result.visits,
            result.prints,
            result.admin_actions,
            result.sheets,
            result.files,
        )
    sessions.set_meta("purge", result.to_json())
    return result


def last_purge(sessions: SessionLog) -> PurgeResult | None:
    """The latest purge's result (refused or not), as kept in the log."""
    text = sessions.meta("purge")
    if text is None:
        return None
    try:
        return PurgeResult.from_json(text)
    except (ValueError, TypeError, KeyError):
        return None


def _remove_sheets(
    data_path: Path, purged: tuple[str, ...], kept: set[str], cutoff: datetime
) -> int:
    outbox = Outbox(data_path)
    removed = 0
    gone = set(purged)
    for entry in _files(outbox.folder):
        number = entry.name.removesuffix(".pdf") if entry.name.endswith(".pdf") else None
        leftover = _SHEET_TMP.match(entry.name)
        if leftover is not None:
            number = leftover["number"]
        if number is None or not _is_sheet_number(outbox, number):
            continue
        if leftover is None and number in kept:
            continue  # the sheet of a visit still in the log stays with it
        if number in gone or _older(entry, cutoff):
            removed += _remove(Path(entry.path))
    return removed


def _remove_exports(folder: Path, cutoff: datetime) -> int:
    return sum(
        _remove(Path(entry.path))
        for entry in _files(folder)
        if _EXPORT_NAME.match(entry.name) and _older(entry, cutoff)
    )


def _is_sheet_number(outbox: Outbox, number: str) -> bool:
    try:
        outbox.path(number)
    except OutboxError:
        return False
    return True


def _files(folder: Path) -> list[os.DirEntry[str]]:
    """The regular files in `folder` (not following links); none if it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            return [entry for entry in entries if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _older(entry: os.DirEntry[str], cutoff: datetime) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_mtime < cutoff.timestamp()
    except OSError:
        return False


def _remove(path: Path) -> int:
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        log.warning("%s: not deleted (%s)", path, exc.strerror)
        return 0
    return 1


__all__ = ["CLOCK_SLACK", "CLOCK_STEP", "PurgeResult", "last_purge", "purge_old_records"]
