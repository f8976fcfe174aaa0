"""The session log keeps the code printed in each sheet's QR (SPEC §16), for the counter's
look-up by sheet number; a log from before gains the column, its visits without a code."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.engine import Questionnaire, score
from kiosk.engine.sheet_code import encode
from kiosk.storage.session_schema import DB_FILE, MIGRATIONS, SCHEMA_VERSION
from kiosk.storage.sessions import SessionLog, VisitRecord
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
NOW = datetime(2026, 12, 2, 10, 0)
NUMBER = "0000-20261202-1001"


def visit(questionnaire: Questionnaire, **extra: Any) -> VisitRecord:
    return VisitRecord(
        started_at=NOW,
        ended_at=NOW + timedelta(minutes=3),
        language="zh_CN",
        outcome="printed",
        answers=EXAMPLE,
        profile=score(questionnaire, EXAMPLE),
        **extra,
    )


def test_a_visit_keeps_its_sheet_code(tmp_path: Path, questionnaire: Questionnaire) -> None:
    log = SessionLog(tmp_path / DB_FILE)
    code = encode(questionnaire, EXAMPLE, NUMBER, bytes(32))
    log.record(visit(questionnaire, sheet_number=NUMBER, sheet_code=code))
    log.record(visit(questionnaire, sheet_number="0000-20261202-1002"))  # no code given
    log.record(visit(questionnaire))  # no sheet
    assert log.sheet_code(NUMBER) == code
    assert log.sheet_code("0000-20261202-1002") is None
    assert log.sheet_code("0000-20261202-1003") is None  # not in the log
    stored = sqlite3.connect(log.path).execute("SELECT sheet_code FROM visits ORDER BY id")
    assert [c for (c,) in stored] == [code, None, None]


def test_a_log_from_before_gains_the_column(tmp_path: Path, questionnaire: Questionnaire) -> None:
    path = tmp_path / DB_FILE
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO visits (sheet_number, started_at, ended_at, language, outcome)"
        " VALUES (?, '2026-12-01T10:00:00', '2026-12-01T10:03:00', 'en', 'printed')",
        ("0000-20261201-1001",),
    )
    db.commit()
    db.close()
    log = SessionLog(path)
    assert log.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert log.sheet_code("0000-20261201-1001") is None
    code = encode(questionnaire, EXAMPLE, NUMBER, None)
    log.record(visit(questionnaire, sheet_number=NUMBER, sheet_code=code))
    assert log.sheet_code(NUMBER) == code
