"""The counter looks a typed sheet number up in the fleet database first (SPEC §16, §18):
a sheet printed by another kiosk of the bank is found there; with the fleet away, this
machine's session log still answers; a real PostgreSQL server throughout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kiosk.counter_lookup import CounterLookup, Found, Refused
from kiosk.engine import Questionnaire, score
from kiosk.fleet.lookup import FleetSource
from kiosk.fleet.push import push
from kiosk.storage.sessions import VisitRecord
from tests.fleet.kiosks import DOUBTFUL, EXAMPLE, make_kiosk
from tests.helpers.postgres import FleetDb, free_port

ELSEWHERE = "0101-20261202-1005"
"""Printed by another kiosk of the bank: only the fleet database has it."""
HERE = "0202-20261202-1001"
"""Printed by the counter's own machine."""


def record_sheet(log: object, number: str, answers: dict[str, object], q: Questionnaire) -> None:
    at = datetime(2026, 12, 2, 10, 0)
    log.record(  # type: ignore[attr-defined]
        VisitRecord(
            started_at=at,
            ended_at=at,
            language="zh_CN",
            outcome="printed",
            answers=dict(answers),  # type: ignore[arg-type]
            profile=score(q, answers),
            sheet_number=number,
        )
    )


def test_a_sheet_of_another_kiosk_is_found_in_the_fleet_database(
    fleet_db: FleetDb, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    other = make_kiosk(tmp_path / "other", fleet_db.kiosk_url, "k-other")
    record_sheet(other.log, ELSEWHERE, DOUBTFUL, questionnaire)
    push(other.log, fleet_db.kiosk_url, "k-other", "0101")
    counter = make_kiosk(tmp_path / "counter", fleet_db.kiosk_url, "k-counter", "0202")
    record_sheet(counter.log, HERE, EXAMPLE, questionnaire)
    lookup = CounterLookup.for_settings(
        counter.settings, questionnaire, FleetSource(fleet_db.kiosk_url)
    )
    found = lookup.read(ELSEWHERE.lower())  # typed in any case
    assert isinstance(found, Found)
    assert (found.source, found.signature) == ("fleet", "fleet")
    assert found.profile == score(questionnaire, DOUBTFUL)
    assert found.profile.explanation.checks  # the answers worth discussing come along
    local = lookup.read(HERE)  # not pushed yet: this machine's session log has it
    assert isinstance(local, Found)
    assert (local.source, local.profile.capacity.score) == ("session_log", 67)
    missing = lookup.read("0101-20261202-1999")
    assert isinstance(missing, Refused)
    assert missing.reason == "not_found"
    assert "the fleet database or the session log" in missing.detail


def test_with_the_fleet_away_the_session_log_still_answers(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    away = f"postgresql://kiosk@127.0.0.1:{free_port()}/fleet?connect_timeout=2"
    counter = make_kiosk(tmp_path / "counter", away, "k-counter", "0202")
    record_sheet(counter.log, HERE, EXAMPLE, questionnaire)
    lookup = CounterLookup.for_settings(counter.settings, questionnaire, FleetSource(away))
    found = lookup.read(HERE)
    assert isinstance(found, Found)
    assert found.source == "session_log"
    refused = lookup.read(ELSEWHERE)
    assert isinstance(refused, Refused)
    assert refused.reason == "unreadable"  # not "not there": the fleet could not be asked
    assert "cannot connect" in refused.detail
