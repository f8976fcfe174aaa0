"""Retention (issue 11): old records, their sheets, CSVs and zips go; a wrong clock deletes
nothing and a record written under a wrong clock is not deleted for its wrong date."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.storage.outbox import Outbox
from kiosk.storage.retention import last_purge, purge_old_records
from kiosk.storage.sessions import DB_FILE, MIGRATIONS, SessionLog, VisitRecord

T = datetime(2026, 11, 25, 10, 0)
DAYS = 30  # (the default is 180: fewer days of history make the same points)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def log(data: Path) -> SessionLog:
    return SessionLog(data / DB_FILE)


def number(when: datetime, serial: int = 1) -> str:
    return f"0000-{when:%Y%m%d}-{serial:04d}"


def stamp(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def printed(log: SessionLog, data: Path, when: datetime, serial: int = 1) -> str:
    """A printed visit at `when` (by the kiosk's clock), its sheet in the outbox."""
    sheet = number(when, serial)
    stamp(Outbox(data).save(sheet, b"%PDF-1.4 a sheet"), when)
    log.record(
        VisitRecord(
            started_at=when,
            ended_at=when + timedelta(minutes=3),
            language="zh_CN",
            outcome="printed",
            answers={"age": 40},
            sheet_number=sheet,
        )
    )
    log.record_print(sheet, "kiosk-pdf", "printed", when + timedelta(minutes=2))
    return sheet


def run_days(
    log: SessionLog, data: Path, first: datetime, days: int, *, visits: bool = True
) -> list[str]:
    """The kiosk runs from `first` for `days` days: the daily purge, then a visit a day."""
    sheets = []
    for day in range(days):
        when = first + timedelta(days=day)
        assert purge_old_records(log, data, DAYS, when).refused is None
        if visits:
            sheets.append(printed(log, data, when + timedelta(hours=1)))
    return sheets


def sheets_in(data: Path) -> set[str]:
    return set(Outbox(data).numbers())


def visit_sheets(log: SessionLog) -> set[str]:
    return {n for (n,) in log.db.execute("SELECT sheet_number FROM visits")}


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
def test_a_start_with_the_clock_a_year_ahead_purges_nothing(log: SessionLog, data: Path) -> None:
    """Issue 11: "one start with the clock a year ahead purged the whole session log"."""
    run_days(log, data, T - timedelta(days=40), 40)
    sheets = visit_sheets(log)  # the last 31 days' (the daily purges took the rest)
    assert len(sheets) == 31
    result = purge_old_records(log, data, DAYS, T + timedelta(days=365))
    assert result.refused == "jumped"
    assert result.trusted == T - timedelta(hours=23) + timedelta(minutes=3)  # the last visit
    assert visit_sheets(log) == sheets == sheets_in(data)
    # Nor the next start, nor the next day's purge, while the clock stays wrong; the
    # visits recorded meanwhile are kept.
    late = printed(log, data, T + timedelta(days=365, hours=1))
    for hours in (2, 26):
        later = purge_old_records(log, data, DAYS, T + timedelta(days=365, hours=hours))
        assert later.refused == "jumped"
    assert visit_sheets(log) == {*sheets, late} == sheets_in(data)
    assert log.visit_count() == 32
    # The clock set right again: what really is older than the retention goes, no more.
    right = purge_old_records(log, data, DAYS, T + timedelta(minutes=30))
    assert right.refused is None
    cutoff = T + timedelta(minutes=30) - timedelta(days=DAYS)
    kept = {s for s in sheets if s >= number(cutoff)}
    assert (right.visits, right.sheets) == (len(sheets) - len(kept), len(sheets) - len(kept))
    assert visit_sheets(log) == {*kept, late} == sheets_in(data)


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
def test_a_clock_before_the_newest_record_purges_nothing(log: SessionLog, data: Path) -> None:
    run_days(log, data, T - timedelta(days=40), 40)
    sheets = visit_sheets(log)
    result = purge_old_records(log, data, DAYS, T - timedelta(days=30))
    assert result.refused == "behind"
    assert visit_sheets(log) == sheets == sheets_in(data)
    assert last_purge(log) == result  # kept for the staff panel


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
def test_a_visit_recorded_with_a_clock_ten_years_behind_is_kept(
    log: SessionLog, data: Path
) -> None:
    """Issue 11: "a visit stored with a clock ten years behind was purged at the next
    start" (here even when the visit before it is due to go)."""
    early = run_days(log, data, T - timedelta(days=DAYS), 1)
    run_days(log, data, T - timedelta(days=DAYS - 1), DAYS, visits=False)  # a quiet kiosk
    wrong = T - timedelta(days=3652)
    assert purge_old_records(log, data, DAYS, wrong).refused == "behind"
    behind = printed(log, data, wrong + timedelta(minutes=5))
    # The next start, with the clock right: the early visit is due, the other is not.
    result = purge_old_records(log, data, DAYS, T + timedelta(hours=2))
    assert result.refused is None
    assert (result.visits, result.sheets) == (1, 1)
    assert visit_sheets(log) == {behind} == sheets_in(data)
    assert early[0] not in sheets_in(data)
    # It goes once a visit recorded after it (with the clock right) is old enough.
    after = run_days(log, data, T + timedelta(days=1), DAYS)
    assert visit_sheets(log) == {behind, *after}
    run_days(log, data, T + timedelta(days=1 + DAYS), 2, visits=False)
    assert visit_sheets(log) == set(after[1:]) == sheets_in(data)


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
@pytest.mark.expected_log("kiosk.storage", "staff confirmed the clock")
def test_a_jump_of_more_than_a_day_waits_for_staff(log: SessionLog, data: Path) -> None:
    """The kiosk off for a long weekend looks the same as a wrong clock: staff say which."""
    run_days(log, data, T - timedelta(days=40), 40)
    sheets = visit_sheets(log)
    monday = T + timedelta(days=3)
    assert purge_old_records(log, data, DAYS, monday).refused == "jumped"
    assert purge_old_records(log, data, DAYS, monday + timedelta(days=1)).refused == "jumped"
    confirmed = purge_old_records(
        log, data, DAYS, monday + timedelta(days=1, hours=1), confirmed=True
    )
    assert confirmed.refused is None
    cutoff = monday + timedelta(days=1, hours=1) - timedelta(days=DAYS)
    due = {s for s in sheets if s < number(cutoff)}
    assert (confirmed.visits, confirmed.sheets) == (len(due), len(due)) == (5, 5)
    assert visit_sheets(log) == sheets - due == sheets_in(data)
    assert purge_old_records(log, data, DAYS, monday + timedelta(days=2)).refused is None


def test_the_purge_takes_sheets_csvs_and_zips_the_kiosk_wrote_and_nothing_else(
    log: SessionLog, data: Path
) -> None:
    run_days(log, data, T - timedelta(days=1), 1, visits=False)
    old, new = T - timedelta(days=DAYS + 1), T - timedelta(days=DAYS - 1)
    exports = data / "exports"
    exports.mkdir(parents=True)
    files = {
        "exports/kiosk-sessions-20260501-101010.csv": old,
        "exports/kiosk-diagnostics-20260501-101010.zip": old,
        "exports/.kiosk-sessions-20260501-101011.csv.tmp": old,  # a crash's leftover
        "exports/kiosk-sessions-20260601-101010.csv": new,
        "exports/kiosk-diagnostics-20260601-101010.zip": new,
        "exports/branch-report.csv": old,  # not the kiosk's: staff put it there
        "exports/kiosk-sessions-old.csv": old,
        "kiosk-sessions-20260501-101010.csv": old,  # not in the kiosk's exports folder
        "outbox/0000-20260501-0009.pdf": old,  # a sheet whose visit was never recorded
        "outbox/.0000-20260501-0008.pdf.x1y2z3.tmp": old,
        "outbox/0000-20260601-0009.pdf": new,
        "outbox/notes.pdf": old,
    }
    for name, when in files.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        stamp(path, when)
    future = data / "exports" / "kiosk-sessions-20280101-101010.csv"
    future.write_bytes(b"x")
    stamp(future, T + timedelta(days=400))
    result = purge_old_records(log, data, DAYS, T)
    assert result.refused is None
    assert (result.sheets, result.files) == (2, 3)
    gone = {name for name in files if not (data / name).exists()}
    assert gone == {
        "exports/kiosk-sessions-20260501-101010.csv",
        "exports/kiosk-diagnostics-20260501-101010.zip",
        "exports/.kiosk-sessions-20260501-101011.csv.tmp",
        "outbox/0000-20260501-0009.pdf",
        "outbox/.0000-20260501-0008.pdf.x1y2z3.tmp",
    }
    assert future.exists()


@pytest.mark.expected_log("kiosk.storage", "old records not purged")
@pytest.mark.expected_log("kiosk.storage", "staff confirmed the clock")
def test_a_log_from_before_is_migrated_with_its_clock(data: Path) -> None:
    data.mkdir()
    db = sqlite3.connect(data / DB_FILE)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    for started in ("2026-05-01T10:00:00", "2016-05-02T10:00:00", "2026-05-03T10:00:00"):
        db.execute(
            "INSERT INTO visits (started_at, ended_at, language, outcome)"
            " VALUES (?, ?, 'en', 'declined')",
            (started, started),
        )
    db.commit()
    db.close()
    log = SessionLog(data / DB_FILE)
    trusted = [t for (t,) in log.db.execute("SELECT trusted_at FROM visits ORDER BY id")]
    assert trusted == ["2026-05-01T10:00:00", None, "2026-05-03T10:00:00"]
    assert log.meta("clock_seen") == "2026-05-03T10:00:00"
    # A start a year later is a jump; with the clock within a day it purges by the rule.
    later = datetime(2027, 5, 3, 10, 0)
    assert purge_old_records(log, data, 180, later).refused == "jumped"
    result = purge_old_records(log, data, 180, datetime(2026, 10, 30, 9), confirmed=True)
    assert result.visits == 1
    assert log.visit_count() == 2  # the one out of order stays as long as the one after it
