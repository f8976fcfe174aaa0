"""The session log: a real SQLite file, crash-consistent, purged, counted and exported."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Questionnaire, score
from kiosk.storage.outbox import Outbox, OutboxError
from kiosk.storage.sessions import SCHEMA_VERSION, SessionLog, StorageError, VisitRecord
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
NOW = datetime(2026, 11, 25, 10, 0)


def visit(
    questionnaire: Questionnaire, outcome: str, when: datetime = NOW, **extra: Any
) -> VisitRecord:
    profile = score(questionnaire, EXAMPLE) if outcome not in ("declined", "abandoned") else None
    return VisitRecord(
        started_at=when,
        ended_at=when + timedelta(minutes=3),
        language="zh_CN",
        outcome=outcome,
        answers=EXAMPLE if profile else {"age": 38},
        profile=profile,
        **extra,
    )


@pytest.fixture
def log(tmp_path: Path) -> SessionLog:
    return SessionLog(tmp_path / "sessions.sqlite3")


def test_a_visit_is_one_row_with_everything_but_the_person(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001", rating=5))
    row = sqlite3.connect(log.path).execute("SELECT * FROM visits").fetchone()
    names = [d[0] for d in sqlite3.connect(log.path).execute("SELECT * FROM visits").description]
    data = dict(zip(names, row, strict=True))
    assert data["sheet_number"] == "0000-20261125-0001"
    assert data["capacity_score"] == 67
    assert data["attitude_level"] == "mid"
    assert (data["low_risk"], data["medium_risk"], data["high_risk"]) == (0, 40, 60)
    assert data["life_cycle"] == "full_nest_2"
    assert data["segment"] == "stable_medium"
    assert data["questionnaire_version"] == "1.0.0"
    assert len(data["questionnaire_sha256"]) == 64
    assert json.loads(data["answers"]) == EXAMPLE
    assert data["rating"] == 5
    assert data["outcome"] == "printed"


def test_the_database_is_wal_with_foreign_keys_and_a_schema_version(log: SessionLog) -> None:
    db = sqlite3.connect(log.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert log.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_stats_count_outcomes_levels_and_where_visits_were_abandoned(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001", rating=4))
    log.record(visit(questionnaire, "print_failed", sheet_number="0000-20261125-0002"))
    log.record(visit(questionnaire, "exported", sheet_number="0000-20261125-0003"))
    log.record(visit(questionnaire, "abandoned", abandoned_at="job"))
    log.record(visit(questionnaire, "abandoned", abandoned_at="job"))
    log.record(visit(questionnaire, "declined"))
    log.record(visit(questionnaire, "printed", when=NOW - timedelta(days=10)))
    today = log.stats(NOW.replace(hour=0), NOW + timedelta(hours=1))
    assert (today.visits, today.completed, today.printed, today.print_failed) == (6, 3, 1, 1)
    assert (today.exported, today.declined, today.abandoned) == (1, 1, 2)
    assert today.abandoned_where == {"job": 2}
    assert today.capacity_levels == {"mid_high": 3}
    assert today.allocations == {"0/40/60": 3}
    assert today.ratings == {4: 1}
    assert log.stats(NOW - timedelta(days=30), NOW + timedelta(hours=1)).visits == 7


def test_a_visit_dated_in_the_future_is_not_counted_today(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    """Issue 11: rows written while the clock was ahead counted as "today" for a year."""
    log.record(visit(questionnaire, "printed", when=NOW - timedelta(hours=1)))
    log.record(visit(questionnaire, "printed", when=NOW + timedelta(days=365)))
    today = NOW.replace(hour=0)
    assert log.stats(today, NOW).visits == 1
    assert log.stats(NOW - timedelta(days=30), NOW).printed == 1


def test_purge_removes_old_visits_and_their_prints(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    old = NOW - timedelta(days=200)
    log.record(visit(questionnaire, "printed", when=old, sheet_number="0000-20260509-0001"))
    log.record_print("0000-20260509-0001", "kiosk-pdf", "printed", old)
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001"))
    purged = log.purge(NOW - timedelta(days=180))
    assert (purged.visits, purged.sheet_numbers) == (1, ("0000-20260509-0001",))
    assert log.visit_count() == 1
    assert log.db.execute("SELECT COUNT(*) FROM prints").fetchone()[0] == 0


def test_csv_export_has_a_bom_and_chinese_survives(
    log: SessionLog, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001"))
    log.record(visit(questionnaire, "declined"))
    out = tmp_path / "visits.csv"
    assert log.export_csv(out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    assert rows[0]["sheet_number"] == "0000-20261125-0001"
    assert rows[0]["capacity_score"] == "67"
    assert rows[1]["outcome"] == "declined"


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StorageError, match="from a newer kiosk"):
        SessionLog(path)


def test_a_file_that_is_not_sqlite_is_named(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot be opened"):
        SessionLog(path)


WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from kiosk.storage.sessions import SessionLog, VisitRecord
log = SessionLog(Path(sys.argv[1]))
print("ready", flush=True)
n = 0
while True:
    n += 1
    log.record(VisitRecord(started_at=datetime(2026, 11, 25), ended_at=datetime(2026, 11, 25),
                           language="zh_CN", outcome="abandoned", answers={"age": n},
                           abandoned_at="job"))
"""


def test_a_process_killed_mid_write_leaves_a_consistent_database(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.execute("SELECT answers, outcome, abandoned_at FROM visits").fetchall()
    assert rows
    assert all(outcome == "abandoned" and where == "job" for _, outcome, where in rows)
    assert all("age" in json.loads(answers) for answers, _, _ in rows)
    # and the log still opens and writes
    SessionLog(path).record(
        VisitRecord(started_at=NOW, ended_at=NOW, language="en", outcome="declined")
    )


# ---------------------------------------------------------------------- outbox


def test_outbox_keeps_sheets_under_their_number(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path)
    path = outbox.save("0000-20261125-0001", b"%PDF-1.4 sheet")
    assert path == tmp_path / "outbox" / "0000-20261125-0001.pdf"
    outbox.save("0000-20261125-0002", b"%PDF-1.4 other")
    assert outbox.numbers() == ["0000-20261125-0002", "0000-20261125-0001"]
    assert outbox.load("0000-20261125-0001") == b"%PDF-1.4 sheet"
    with pytest.raises(OutboxError, match="not in the outbox"):
        outbox.load("0000-20261125-0009")
    with pytest.raises(OutboxError, match="is not a sheet number"):
        outbox.path("../../etc/passwd")


# ---------------------------------------------------------------------- a file pulled away


@pytest.mark.expected_log("kiosk.storage", "while the kiosk was running")
def test_a_session_log_deleted_while_open_is_recreated_on_the_next_write(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    """Issue 11: a log deleted while the kiosk ran lost every later visit (written into
    the deleted file)."""
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001"))
    log.path.unlink()
    log.record(visit(questionnaire, "exported", sheet_number="0000-20261125-0002"))
    log.record_print("0000-20261125-0002", "kiosk-pdf", "printed", NOW)
    log.close()
    db = sqlite3.connect(log.path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [n for (n,) in db.execute("SELECT sheet_number FROM visits")] == ["0000-20261125-0002"]
    assert db.execute("SELECT COUNT(*) FROM prints").fetchone()[0] == 1


@pytest.mark.expected_log("kiosk.storage", "while the kiosk was running")
def test_a_session_log_replaced_while_open_is_used_and_not_damaged(
    log: SessionLog, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001"))
    other = SessionLog(tmp_path / "backup.sqlite3")  # e.g. a backup put back by hand
    other.record(visit(questionnaire, "declined"))
    other.close()
    (tmp_path / "backup.sqlite3").replace(log.path)
    log.record(visit(questionnaire, "exported", sheet_number="0000-20261125-0002"))
    log.close()
    db = sqlite3.connect(log.path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.execute("SELECT outcome, sheet_number FROM visits ORDER BY id").fetchall()
    # The backup's visit and the new one; nothing of the old file's journal leaked in.
    assert rows == [("declined", None), ("exported", "0000-20261125-0002")]


@pytest.mark.expected_log("kiosk.storage", "while the kiosk was running")
@pytest.mark.expected_log("kiosk.storage", "cannot be opened")
def test_a_session_log_replaced_by_something_else_is_kept_aside(
    log: SessionLog, questionnaire: Questionnaire
) -> None:
    log.record(visit(questionnaire, "printed", sheet_number="0000-20261125-0001"))
    junk = log.path.with_name("junk")
    junk.write_bytes(b"not a database" * 100)
    junk.replace(log.path)
    log.record(visit(questionnaire, "declined"))
    assert log.visit_count() == 1
    reopened = log.reopened()
    assert reopened is not None
    assert (reopened["why"], reopened["path"]) == ("replaced", str(log.path))
    [aside] = log.path.parent.glob("sessions.sqlite3.unusable-*")
    assert aside.read_bytes().startswith(b"not a database")
