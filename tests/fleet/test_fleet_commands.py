"""`kiosk fleet init`, `kiosk sync --once`, `kiosk fleet report` as whole processes
against a real PostgreSQL; a kiosk killed with SIGKILL mid-push; and issue 17's "done
when": three kiosks pushing while the server is killed and restarted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.engine import Questionnaire
from kiosk.fleet.pusher import Pusher
from kiosk.fleet.schema import MIGRATIONS, SCHEMA_VERSION
from kiosk.storage.sessions import Stats
from tests.fleet.kiosks import START, Kiosk, assert_exactly_once, make_kiosk, record_visits
from tests.helpers import run_kiosk
from tests.helpers.postgres import KIOSK_ROLE, FleetDb, PostgresServer, fleet_database


def test_fleet_init_creates_migrates_grants_and_refuses_a_newer_schema(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url(postgres_server.create_database())
    first = run_kiosk("fleet", "init", "--url", url, "--grant", KIOSK_ROLE)
    assert first.code == 0, first.err
    assert f"from version 0 to {SCHEMA_VERSION}" in first.out
    again = run_kiosk("fleet", "init", "--url", url)
    assert again.code == 0
    assert "nothing to do" in again.out
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO fleet_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
        conn.execute("CREATE TABLE fleet_future (x int)")
        before = conn.execute("SELECT count(*) FROM fleet_schema").fetchone()
    newer = run_kiosk("fleet", "init", "--url", url)
    assert newer.code == 1
    assert len(newer.err_lines) == 1
    assert "newer than this kiosk's" in newer.err
    assert "nothing was changed" in newer.err
    with psycopg.connect(url) as conn:  # untouched
        assert conn.execute("SELECT count(*) FROM fleet_schema").fetchone() == before
        assert conn.execute("SELECT to_regclass('fleet_future')").fetchone() == ("fleet_future",)


def test_fleet_init_migrates_a_schema_of_an_earlier_release(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url(postgres_server.create_database())
    with psycopg.connect(url, autocommit=True) as conn:  # as the first release left it
        conn.execute("CREATE TABLE fleet_schema (version integer PRIMARY KEY)")
        conn.execute(MIGRATIONS[0])
        conn.execute("INSERT INTO fleet_schema (version) VALUES (1)")
        conn.execute(
            "INSERT INTO fleet_visits (kiosk_id, visit_uid, branch_code, local_id, started_at,"
            " ended_at, language, outcome, answers) VALUES ('k', 'u', 'b', 1, now(), now(),"
            " 'en', 'declined', '{}')"
        )
    migrated = run_kiosk("fleet", "init", "--url", url)
    assert migrated.code == 0, migrated.err
    assert f"from version 1 to {SCHEMA_VERSION}" in migrated.out
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('fleet_visits_report')").fetchone() == (
            "fleet_visits_report",
        )
        assert conn.execute("SELECT count(*) FROM fleet_visits").fetchone() == (1,)


def test_sync_once_pushes_and_says_what_and_report_counts_it(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "lobby-1", branch="0312")
    record_visits(kiosk.log, questionnaire, 60)
    stats = kiosk.log.stats(START, START + timedelta(days=365))
    waiting = kiosk.log.sync_state()
    kiosk.log.close()
    pushed = run_kiosk("--settings", str(kiosk.settings_path), "sync", "--once")
    assert pushed.code == 0, pushed.err
    assert pushed.out.startswith(
        f"pushed 60 visits and {waiting.waiting_prints} print attempts as lobby-1"
    )
    assert "waiting: 0 visits, 0 print attempts" in pushed.out
    again = run_kiosk("--settings", str(kiosk.settings_path), "sync", "--once")
    assert again.out.startswith("pushed 0 visits and 0 print attempts")
    report = run_kiosk("fleet", "report", "--url", fleet_db.kiosk_url, "--json")
    assert report.code == 0, report.err
    (counts,) = json.loads(report.out)["kiosks"]
    assert (counts["branch_code"], counts["kiosk_id"]) == ("0312", "lobby-1")
    assert_counts_equal(counts, stats)
    assert counts["print_attempts"] == waiting.waiting_prints
    assert sum(counts["checks"].values()) > 0
    assert counts["checks_known"] == stats.completed
    text = run_kiosk("fleet", "report", "--url", fleet_db.kiosk_url)
    assert "branch 0312 · kiosk lobby-1" in text.out
    assert f"visits 60, completed {stats.completed}" in text.out
    recent = run_kiosk("fleet", "report", "--url", fleet_db.kiosk_url, "--days", "7", "--json")
    assert json.loads(recent.out)["kiosks"] == []  # START is a month ago


def test_the_commands_refuse_what_they_cannot_do_in_one_line(
    tmp_path: Path, fleet_db: FleetDb
) -> None:
    kiosk = make_kiosk(tmp_path / "k", "", "k1")
    kiosk.log.close()
    off = run_kiosk("--settings", str(kiosk.settings_path), "sync", "--once")
    assert off.code == 2
    assert "no fleet database" in off.err
    bad = run_kiosk("fleet", "report", "--url", fleet_db.kiosk_url, "--days", "0")
    assert bad.code == 2
    assert "--days 0" in bad.err
    empty = fleet_db.server.url(fleet_db.server.create_database())
    no_schema = run_kiosk("fleet", "report", "--url", empty)
    assert no_schema.code == 1
    assert len(no_schema.err_lines) == 1
    assert "fleet init" in no_schema.err
    pushing = run_kiosk("--settings", str(kiosk.settings_path), "sync", "--once", "--url", empty)
    assert pushing.code == 0  # nothing queued: nothing to say to the server


def test_a_kiosk_killed_mid_push_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, fleet_db: FleetDb, questionnaire: Questionnaire
) -> None:
    kiosk = make_kiosk(tmp_path / "k", fleet_db.kiosk_url, "k1")
    record_visits(kiosk.log, questionnaire, 300, step=timedelta(minutes=1))
    with psycopg.connect(fleet_db.admin_url) as conn:  # a slow server: 50 ms a batch
        conn.execute(
            "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN PERFORM pg_sleep(0.05); RETURN NULL; END $$;"
            " CREATE TRIGGER slow AFTER INSERT ON fleet_visits"
            " FOR EACH STATEMENT EXECUTE FUNCTION slow()"
        )
    command = [sys.executable, "-m", "kiosk", "--settings", str(kiosk.settings_path)]
    process = subprocess.Popen(
        [*command, "sync", "--once", "--batch", "5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = sqlite3.connect(kiosk.log.path, timeout=30, isolation_level=None)
    try:
        with psycopg.connect(fleet_db.admin_url, autocommit=True) as server:
            deadline = time.monotonic() + 60
            while _server_count(server) == 0:
                assert process.poll() is None, "the push ended before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.005)
            # Hold the session log: the push stops at its next local write, with a batch
            # committed on the server that it may not have marked yet; kill it there.
            local.execute("BEGIN IMMEDIATE")
            time.sleep(0.3)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(30)
            local.execute("ROLLBACK")
            on_server = _server_count(server)
            assert 0 < on_server < 300
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)
        local.close()
    assert process.returncode == -signal.SIGKILL
    # Nothing marked that the server has not got (usually its last batch is not marked).
    assert kiosk.log.sync_state().waiting_visits >= 300 - on_server
    finished = run_kiosk("--settings", str(kiosk.settings_path), "sync", "--once")
    assert finished.code == 0, finished.err
    assert_exactly_once(kiosk.log, fleet_db.kiosk_url, "k1")


@pytest.mark.expected_log("kiosk.fleet", "fleet database")
def test_three_kiosks_with_the_server_killed_and_restarted_end_with_every_visit_once(
    tmp_path: Path, private_postgres: PostgresServer, questionnaire: Questionnaire
) -> None:
    db = fleet_database(private_postgres)
    kiosks = [
        make_kiosk(tmp_path / name, db.kiosk_url, name, branch=branch)
        for name, branch in (("k1", "0101"), ("k2", "0101"), ("k3", "0202"))
    ]
    pushers = [
        Pusher(k.log, k.settings, interval_s=0.05, backoff_max_s=0.3, batch=25) for k in kiosks
    ]
    for pusher in pushers:
        pusher.start()
    # Each kiosk keeps recording visits while the server dies twice.
    writers = [
        threading.Thread(
            target=record_visits,
            args=(k.log, questionnaire, 400),
            kwargs={"seed": n, "step": timedelta(minutes=3)},
        )
        for n, k in enumerate(kiosks)
    ]
    try:
        for writer in writers:
            writer.start()
        for _ in range(2):
            time.sleep(0.7)
            private_postgres.kill()
            time.sleep(0.5)
            private_postgres.start()
        for writer in writers:
            writer.join(120)
        deadline = time.monotonic() + 60
        while any(k.log.sync_state().waiting for k in kiosks):
            assert time.monotonic() < deadline, "the kiosks did not catch up"
            time.sleep(0.05)
    finally:
        for pusher in pushers:
            pusher.stop()
    assert any(p.pushed.batches for p in pushers)
    assert sum(p.failed_tries for p in pushers) > 0  # the kills did meet the pushers
    for k in kiosks:
        assert_exactly_once(k.log, db.kiosk_url, k.settings.sync.kiosk_id)
    report = run_kiosk("fleet", "report", "--url", db.kiosk_url, "--json")
    counted = json.loads(report.out)["kiosks"]
    assert [(c["branch_code"], c["kiosk_id"]) for c in counted] == [
        ("0101", "k1"),
        ("0101", "k2"),
        ("0202", "k3"),
    ]
    whole = datetime(2000, 1, 1), datetime(2100, 1, 1)
    logs = [k.log.stats(*whole) for k in kiosks]
    for name in ("visits", "completed", "printed", "exported", "print_failed", "declined"):
        assert sum(c[name] for c in counted) == sum(getattr(s, name) for s in logs)
    for c, stats in zip(counted, logs, strict=True):
        assert_counts_equal(c, stats)


def assert_counts_equal(counts: dict[str, object], stats: Stats) -> None:
    """The fleet report's numbers of one kiosk are its session log's."""
    for name in ("visits", "completed", "printed", "exported", "print_failed", "declined"):
        assert counts[name] == getattr(stats, name), name
    assert counts["abandoned"] == stats.abandoned
    assert counts["abandoned_at"] == stats.abandoned_where
    assert counts["capacity_levels"] == stats.capacity_levels
    assert counts["attitude_levels"] == stats.attitude_levels
    ratings = Counter(stats.ratings)
    assert counts["ratings"] == sum(ratings.values())
    mean = sum(r * n for r, n in ratings.items()) / sum(ratings.values())
    assert counts["mean_rating"] == pytest.approx(mean)


def _server_count(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM fleet_visits").fetchone()
    return int(row[0]) if row else 0


__all__ = ["Kiosk"]
