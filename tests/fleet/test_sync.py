"""The pusher against a real PostgreSQL (tests/helpers/postgres.py): every fault of issue
17 ends with every visit and print attempt exactly once on the server, and marked synced
in the session log only after the server committed it."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.engine import Questionnaire
from kiosk.fleet.connection import FleetError
from kiosk.fleet.push import push
from kiosk.fleet.pusher import Pusher
from kiosk.storage.retention import purge_old_records
from tests.fleet.kiosks import (
    START,
    assert_exactly_once,
    local_uids,
    make_kiosk,
    record_visits,
    server_rows,
)
from tests.helpers.postgres import FleetDb, PostgresServer, fleet_database, free_port


def test_a_push_sends_every_record_once_and_a_second_push_nothing(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 40)
    waiting = kiosk.log.sync_state()
    assert waiting.waiting_visits == 40
    assert waiting.waiting_prints > 0
    first = push(kiosk.log, fleet_db.kiosk_url, "k1", "0101", batch=7)
    assert (first.visits, first.prints) == (40, waiting.waiting_prints)
    assert first.batches == 6  # 40 visits, 7 a batch
    assert_exactly_once(kiosk.log, fleet_db.kiosk_url, "k1")
    again = push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    assert again.batches == 0
    assert kiosk.log.sync_state().last_success is not None


def test_a_duplicate_push_of_records_whose_mark_was_lost_adds_nothing(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 25)
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    # The server committed, but the kiosk died before marking: every row is queued again.
    with sqlite3.connect(kiosk.log.path) as db:
        db.execute("UPDATE visits SET synced_at = NULL")
        db.execute("UPDATE prints SET synced_at = NULL")
    again = push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    assert (again.visits, again.prints) == (0, 0)
    assert again.visits_known == 25
    assert_exactly_once(kiosk.log, fleet_db.kiosk_url, "k1")


def test_the_server_down_at_start_keeps_everything_queued_until_it_is_back(
    tmp_path: Path, private_postgres: PostgresServer, questionnaire: Questionnaire
) -> None:
    db = fleet_database(private_postgres)
    kiosk = make_kiosk(tmp_path / "k", db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 30)
    private_postgres.stop()
    with pytest.raises(FleetError, match="cannot connect"):
        push(kiosk.log, db.kiosk_url, "k1", "0101")
    state = kiosk.log.sync_state()
    assert state.waiting_visits == 30
    assert state.error is not None
    assert "cannot connect" in state.error
    assert state.last_success is None
    private_postgres.start()
    push(kiosk.log, db.kiosk_url, "k1", "0101")
    assert_exactly_once(kiosk.log, db.kiosk_url, "k1")
    assert kiosk.log.sync_state().error is None


def test_a_refused_connection_says_so_and_loses_nothing(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    url = f"postgresql://kiosk:secret@127.0.0.1:{free_port()}/fleet"  # nobody listens there
    kiosk = make_kiosk(tmp_path / "k", url, "k1")
    record_visits(kiosk.log, questionnaire, 5)
    with pytest.raises(FleetError) as raised:
        push(kiosk.log, url, "k1", "0101")
    assert "secret" not in str(raised.value)  # the password is never said
    assert "(removed)" in str(raised.value)
    assert kiosk.log.sync_state().waiting_visits == 5


def test_a_server_killed_in_the_middle_of_a_batch_commits_none_of_it(
    tmp_path: Path, private_postgres: PostgresServer, questionnaire: Questionnaire
) -> None:
    db = fleet_database(private_postgres)
    kiosk = make_kiosk(tmp_path / "k", db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 30)
    push(kiosk.log, db.kiosk_url, "k1", "0101")
    record_visits(kiosk.log, questionnaire, 30, start=START + timedelta(days=1), seed=2)
    # Another session holds the table: the batch's INSERT waits inside its transaction.
    blocker = psycopg.connect(db.admin_url)
    blocker.execute("LOCK TABLE fleet_visits IN EXCLUSIVE MODE")
    failed: list[BaseException] = []

    def pushing() -> None:
        try:
            push(kiosk.log, db.kiosk_url, "k1", "0101", batch=10)
        except FleetError as exc:
            failed.append(exc)

    thread = threading.Thread(target=pushing)
    thread.start()
    _wait_for(lambda: _waiting_inserts(db) > 0)
    private_postgres.kill()  # mid-batch: the INSERT has begun, nothing committed
    thread.join(30)
    blocker.close()
    assert failed
    assert "the push stopped" in str(failed[0])
    assert kiosk.log.sync_state().waiting_visits == 30
    private_postgres.start()
    assert len(server_rows(db.kiosk_url, "k1")[0]) == 30
    push(kiosk.log, db.kiosk_url, "k1", "0101")
    assert_exactly_once(kiosk.log, db.kiosk_url, "k1")


def test_a_clock_set_back_still_pushes_everything_once(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 20, start=datetime(2026, 11, 20, 9))
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101", clock=lambda: datetime(2026, 11, 21))
    # The clock goes back a year: new visits are dated before the pushed ones.
    year_ago = datetime(2025, 11, 20, 9)
    record_visits(kiosk.log, questionnaire, 20, start=year_ago, seed=3)
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101", clock=lambda: year_ago)
    assert_exactly_once(kiosk.log, fleet_db.kiosk_url, "k1")
    assert kiosk.log.sync_state().last_success == year_ago


def test_two_kiosks_and_two_pushers_of_one_kiosk_at_once(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    one = make_kiosk(tmp_path / "one", fleet_db.kiosk_url, "k1")
    two = make_kiosk(tmp_path / "two", fleet_db.kiosk_url, "k2", branch="0202")
    record_visits(one.log, questionnaire, 300, seed=4)
    record_visits(two.log, questionnaire, 300, seed=5)
    # k1's background pusher and `kiosk sync --once` (another connection) at once.
    one_again = make_kiosk(tmp_path / "one", fleet_db.kiosk_url, "k1")
    jobs = [(one.log, "k1"), (one_again.log, "k1"), (two.log, "k2")]
    errors: list[BaseException] = []

    def pushing(log: object, kiosk_id: str) -> None:
        try:
            push(log, fleet_db.kiosk_url, kiosk_id, "0101", batch=20)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pushing, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert_exactly_once(one.log, fleet_db.kiosk_url, "k1")
    assert_exactly_once(two.log, fleet_db.kiosk_url, "k2")
    one_again.log.close()


def test_the_kiosks_role_can_insert_and_read_but_not_change_or_delete(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 3)
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    with psycopg.connect(fleet_db.kiosk_url, autocommit=True) as conn:
        for statement in (
            "UPDATE fleet_visits SET rating = 1",
            "DELETE FROM fleet_visits",
            "DELETE FROM fleet_prints",
            "DROP TABLE fleet_visits",
            "INSERT INTO fleet_schema (version) VALUES (99)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]
    assert len(server_rows(fleet_db.admin_url, "k1")[0]) == 3


@pytest.mark.expected_log("kiosk.storage", "old records kept")
@pytest.mark.expected_log("kiosk.storage", "staff confirmed the clock")
def test_the_purge_keeps_what_is_not_in_the_fleet_database(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 10, start=datetime(2026, 1, 5))
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    record_visits(kiosk.log, questionnaire, 10, start=datetime(2026, 1, 5, 6), seed=7)
    now = datetime(2026, 1, 7)  # every visit is due (staff confirmed the clock)
    data = kiosk.settings.data_path
    result = purge_old_records(kiosk.log, data, 1, now, confirmed=True, keep_unsynced=True)
    assert result.visits == 10  # the pushed ones went
    assert kiosk.log.visit_count() == 10
    assert kiosk.log.sync_state().waiting_visits == 10
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    later = purge_old_records(kiosk.log, data, 1, now, keep_unsynced=True)
    assert later.visits == 10
    assert len(server_rows(fleet_db.kiosk_url, "k1")[0]) == 20


def test_uids_stay_unique_when_a_purge_empties_the_log(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    # SQLite gives the next row id 1 again once the table is empty: the uid keeps it apart.
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 5, start=datetime(2026, 1, 5))
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    purge_old_records(kiosk.log, kiosk.settings.data_path, 1, datetime(2026, 1, 6, 0, 30))
    assert kiosk.log.visit_count() == 0
    record_visits(kiosk.log, questionnaire, 5, start=datetime(2026, 1, 6, 0, 30), seed=8)
    push(kiosk.log, fleet_db.kiosk_url, "k1", "0101")
    assert len(set(server_rows(fleet_db.kiosk_url, "k1")[0])) == 10


@pytest.mark.expected_log("kiosk.fleet", "fleet database")
def test_the_background_pusher_backs_off_and_catches_up(
    tmp_path: Path, private_postgres: PostgresServer, questionnaire: Questionnaire
) -> None:
    db = fleet_database(private_postgres)
    kiosk = make_kiosk(tmp_path / "k", db.kiosk_url, "k1")
    private_postgres.stop()
    pusher = Pusher(kiosk.log, kiosk.settings, interval_s=0.05, backoff_max_s=0.4, batch=50)
    assert pusher.delay() == 0.05
    pusher.start()
    try:
        # Weeks offline: the visits pile up while every push fails.
        record_visits(kiosk.log, questionnaire, 600, step=timedelta(hours=1))
        _wait_for(lambda: pusher.failures >= 4)
        assert 0.2 <= pusher.delay() <= 0.4  # waits longer, up to the cap
        assert kiosk.log.sync_state().waiting_visits == 600
        private_postgres.start()
        _wait_for(lambda: kiosk.log.sync_state().waiting == 0)
        assert pusher.failures == 0
    finally:
        pusher.stop()
    assert not pusher.running
    assert_exactly_once(kiosk.log, db.kiosk_url, "k1")


def _waiting_inserts(db: FleetDb) -> int:
    with psycopg.connect(db.admin_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock'"
            " AND (query LIKE 'COPY fleet_visits%%' OR query LIKE 'INSERT INTO fleet_visits%%')"
        ).fetchone()
    return int(row[0]) if row else 0


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_records_from_before_the_queue_get_their_uid_at_their_first_push(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 12)
    with sqlite3.connect(kiosk.log.path) as db:  # as migration 5 leaves older rows
        db.execute("UPDATE visits SET uid = NULL")
        db.execute("UPDATE prints SET uid = NULL")
    first = push(kiosk.log, fleet_db.kiosk_url, "k1", "0101", batch=5)
    assert first.visits == 12
    assert_exactly_once(kiosk.log, fleet_db.kiosk_url, "k1")
    assert None not in local_uids(kiosk.log)[0]
