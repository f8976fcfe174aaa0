"""The session log keeps each visit's explanation (SPEC §15.3: the ids of the checks that
held and `limited_by`) and the staff CSV lists them with the sheet code; a log from
before gains the columns and keeps its rows; a log from a newer kiosk is still refused."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Questionnaire, score
from kiosk.engine.sheet_code import encode
from kiosk.storage.session_schema import DB_FILE, MIGRATIONS, SCHEMA_VERSION
from kiosk.storage.sessions import SessionLog, StorageError, VisitRecord
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
# Loss 25 % but sleepless over a loss, a seasoned trader of under a year: two checks hold.
DOUBTFUL = EXAMPLE | {
    "loss_tolerance_pct": 25,
    "if_loss": "sleepless",
    "knowledge": "seasoned_trader",
    "experience": "under_1y",
}
NOW = datetime(2026, 12, 2, 10, 0)
BEFORE_EXPLANATION = 3
"""The schema version before the explanation's columns (migrations are never edited)."""


def visit(questionnaire: Questionnaire, answers: dict[str, Any], **extra: Any) -> VisitRecord:
    return VisitRecord(
        started_at=NOW,
        ended_at=NOW + timedelta(minutes=3),
        language="zh_CN",
        outcome="printed",
        answers=answers,
        profile=score(questionnaire, answers),
        **extra,
    )


def columns(path: Path, *names: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(f"SELECT {', '.join(names)} FROM visits ORDER BY id").fetchall()
    finally:
        db.close()


def exported(log: SessionLog, path: Path) -> list[dict[str, str]]:
    log.export_csv(path)
    return list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))


def test_a_visit_keeps_its_checks_and_what_limited_it(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    log = SessionLog(tmp_path / DB_FILE)
    doubtful = score(questionnaire, DOUBTFUL).explanation
    plain = score(questionnaire, EXAMPLE).explanation
    assert doubtful.checks  # the two cases differ
    assert not plain.checks
    assert doubtful.limited_by != plain.limited_by
    log.record(visit(questionnaire, DOUBTFUL, sheet_number="0000-20261202-0001"))
    log.record(visit(questionnaire, EXAMPLE))
    log.record(
        VisitRecord(started_at=NOW, ended_at=NOW, language="en", outcome="declined", answers={})
    )
    stored = columns(log.path, "checks", "limited_by")
    assert [json.loads(c) if c else None for c, _ in stored] == [
        list(doubtful.checks),
        [],
        None,
    ]
    assert [by for _, by in stored] == [doubtful.limited_by, plain.limited_by, None]


def test_the_csv_export_lists_checks_limited_by_and_the_sheet_code(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    log = SessionLog(tmp_path / DB_FILE)
    number = "0000-20261202-0002"
    code = encode(questionnaire, DOUBTFUL, number, bytes(range(32)))
    log.record(visit(questionnaire, DOUBTFUL, sheet_number=number, sheet_code=code))
    log.record(visit(questionnaire, EXAMPLE))
    rows = exported(log, tmp_path / "visits.csv")
    doubtful = score(questionnaire, DOUBTFUL).explanation
    assert json.loads(rows[0]["checks"]) == list(doubtful.checks)
    assert rows[0]["limited_by"] == doubtful.limited_by
    assert rows[0]["sheet_code"] == code
    assert json.loads(rows[1]["checks"]) == []
    assert rows[1]["limited_by"] == score(questionnaire, EXAMPLE).explanation.limited_by
    assert rows[1]["sheet_code"] == ""


def test_a_log_from_before_the_explanation_migrates_and_keeps_its_rows(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / DB_FILE
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:BEFORE_EXPLANATION]:
        db.executescript(step)
    db.execute(f"PRAGMA user_version = {BEFORE_EXPLANATION}")
    db.execute(
        "INSERT INTO visits (sheet_number, started_at, ended_at, language, outcome,"
        " capacity_level, attitude_level, sheet_code, trusted_at)"
        " VALUES ('0000-20261201-0001', '2026-12-01T10:00:00', '2026-12-01T10:03:00',"
        " 'en', 'printed', 'high', 'mid', 'RP1:old', '2026-12-01T10:00:00')"
    )
    db.commit()
    db.close()

    log = SessionLog(path)
    assert log.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert columns(
        path, "sheet_number", "capacity_level", "sheet_code", "checks", "limited_by"
    ) == [("0000-20261201-0001", "high", "RP1:old", None, None)]
    log.record(visit(questionnaire, DOUBTFUL, sheet_number="0000-20261202-0003"))
    rows = exported(log, tmp_path / "visits.csv")
    assert [row["sheet_number"] for row in rows] == ["0000-20261201-0001", "0000-20261202-0003"]
    assert (rows[0]["checks"], rows[0]["limited_by"], rows[0]["sheet_code"]) == ("", "", "RP1:old")
    assert json.loads(rows[1]["checks"]) == list(score(questionnaire, DOUBTFUL).explanation.checks)


def test_a_log_from_a_newer_kiosk_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE
    SessionLog(path).close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO visits (started_at, ended_at, language, outcome)"
        " VALUES ('2026-12-01T10:00:00', '2026-12-01T10:00:00', 'en', 'declined')"
    )
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match=rf"newer kiosk \(schema {SCHEMA_VERSION + 1}"):
        SessionLog(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 1
    db.close()
