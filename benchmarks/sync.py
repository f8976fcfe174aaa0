"""Benchmark the fleet database (SPEC §18) on a local PostgreSQL.

Run from the repository root (as root it starts a throwaway server as an unprivileged
user, like the tests; PostgreSQL must be installed — scripts/test installs it):

    .venv/bin/python benchmarks/sync.py [--visits N] [--report-visits M] [--rounds R]
                                        [--only push|report]

1. The push: N (default 10,000) visits queued in a session log, pushed as the kiosk does
   (`kiosk.fleet.push.push`: the local queue read, the batches, the local marks), against
   `psql`'s `\\copy` of the same rows (the CSV written beforehand, not timed) into an
   empty table with the same keys and indexes; best of R rounds each (default 3), both
   whole (connection included). Prints both and the ratio (goal: ≤ 3×).
2. The report: M (default 1,000,000) visits generated on the server (300 kiosks in 100
   branches over a year), then `kiosk fleet report --url URL` as a whole process (best of
   R) and `--days 30`; goal ≤ 2 s. Prints EXPLAIN (ANALYZE, BUFFERS) of each of the
   report's queries, without and with the period.

It checks that every pushed visit is on the server exactly once and that the report
counts all M visits; exits 1 if not. Speed never fails it.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the throwaway server of the tests

from kiosk.engine import load_questionnaire, score  # noqa: E402
from kiosk.engine.resources import default_resources_dir  # noqa: E402
from kiosk.fleet.push import push  # noqa: E402
from kiosk.fleet.report import QUERIES, query  # noqa: E402
from kiosk.storage.session_schema import DB_FILE  # noqa: E402
from kiosk.storage.sessions import SessionLog, VisitRecord  # noqa: E402
from kiosk.storage.sync_queue import VISIT_COLUMNS  # noqa: E402
from tests.helpers import postgres  # noqa: E402

COPY_COLUMNS = ("kiosk_id", "branch_code", "visit_uid", "local_id", *VISIT_COLUMNS[2:])
"""The server's columns for what `kiosk sync` pushes (VISIT_COLUMNS starts uid, id)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--report-visits", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("push", "report"), help="run one of the two")
    args = parser.parse_args()
    if postgres.WHY:
        print(f"no PostgreSQL: {postgres.WHY}", file=sys.stderr)
        return 1
    bin_dir = postgres._bin_dir()
    assert bin_dir is not None
    template = postgres._initdb(bin_dir)
    server = postgres.new_server(template)
    work = Path(tempfile.mkdtemp(prefix="kiosk-sync-bench-"))
    try:
        print(f"PostgreSQL {bin_dir.parent.name} on 127.0.0.1:{server.port}, fsync off")
        ok = True
        if args.only != "report":
            ok = bench_push(server, bin_dir, work, args.visits, args.rounds)
        if args.only != "push":
            ok = bench_report(server, args.report_visits, args.rounds) and ok
    finally:
        server.remove()
        shutil.rmtree(template, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


# ---------------------------------------------------------------------- the push


def queued_log(folder: Path, count: int) -> Path:
    """A session log with `count` ended visits, every outcome, as the kiosk records them."""
    questionnaire = load_questionnaire()
    example = EXAMPLE
    profile = score(questionnaire, example)
    log = SessionLog(folder / DB_FILE)
    start = datetime(2026, 11, 1, 9)
    outcomes = ("printed", "exported", "completed", "print_failed", "declined", "abandoned")
    log.db.execute("PRAGMA synchronous = OFF")  # setting up, not measured
    for n in range(count):
        outcome = outcomes[n % len(outcomes)]
        scored = outcome not in {"declined", "abandoned"}
        log.record(
            VisitRecord(
                started_at=start + timedelta(minutes=n),
                ended_at=start + timedelta(minutes=n, seconds=200),
                language="zh_CN",
                outcome=outcome,
                answers=example if scored else {},
                profile=profile if scored else None,
                abandoned_at="income" if outcome == "abandoned" else None,
                rating=(n % 5) + 1 if scored else None,
            )
        )
    log.close()
    return folder / DB_FILE


def bench_push(
    server: postgres.PostgresServer, bin_dir: Path, work: Path, count: int, rounds: int
) -> bool:
    print(f"\n== push: {count} queued visits")
    started = time.perf_counter()
    original = queued_log(work / "original", count)
    print(f"(session log written in {time.perf_counter() - started:.1f} s, not measured)")
    pushes, copies = [], []
    ok = True
    for round_ in range(rounds):
        # The same queued log each round.
        folder = work / f"round{round_}"
        folder.mkdir()
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{original}{suffix}")
            if source.exists():
                shutil.copy(source, folder / (DB_FILE + suffix))
        db = postgres.fleet_database(server)
        log = SessionLog(folder / DB_FILE)
        began = time.perf_counter()
        result = push(log, db.kiosk_url, "bench-kiosk", "0101")
        pushes.append(time.perf_counter() - began)
        with psycopg.connect(db.admin_url) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT visit_uid) FROM fleet_visits"
            ).fetchone()
            assert row is not None
            ok = ok and row[0] == row[1] == count == result.visits
            # The same rows as a CSV for psql (written now, not timed).
            csv_path = folder / "visits.csv"
            with csv_path.open("w", newline="") as handle:
                writer = csv.writer(handle)
                copy = conn.execute(f"SELECT {', '.join(COPY_COLUMNS)} FROM fleet_visits")
                for values in copy:
                    writer.writerow(_csv_value(v) for v in values)
        log.close()
        target = postgres.fleet_database(server)
        began = time.perf_counter()
        subprocess.run(
            [
                str(bin_dir / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                target.kiosk_url,
                "-c",
                f"\\copy fleet_visits ({', '.join(COPY_COLUMNS)}) FROM '{csv_path}'"
                " WITH (FORMAT csv)",
            ],
            check=True,
        )
        copies.append(time.perf_counter() - began)
        with psycopg.connect(target.admin_url) as conn:
            copied = conn.execute("SELECT count(*) FROM fleet_visits").fetchone()
        ok = ok and copied == (count,)
    best_push, best_copy = min(pushes), min(copies)
    print(f"kiosk push:  best {best_push * 1000:7.1f} ms  (rounds: {_ms(pushes)})")
    print(f"psql \\copy:  best {best_copy * 1000:7.1f} ms  (rounds: {_ms(copies)})")
    print(f"ratio push / \\copy: {best_push / best_copy:.2f}x  (goal ≤ 3x)")
    print(
        f"per visit: push {best_push / count * 1e6:.0f} µs, \\copy {best_copy / count * 1e6:.0f} µs"
    )
    if not ok:
        print("FAILED: a visit is missing or doubled on the server", file=sys.stderr)
    return ok


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        return "{" + ",".join(value) + "}"
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _ms(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


# ---------------------------------------------------------------------- the report

GENERATE = """
INSERT INTO fleet_visits (kiosk_id, branch_code, visit_uid, local_id, started_at, ended_at,
    language, outcome, abandoned_at, rating, answers, capacity_score, capacity_level,
    attitude_score, attitude_level, low_risk, medium_risk, high_risk, limited_by, checks)
SELECT 'k' || (n %% 300), 'b' || (n %% 300 / 3), md5(n::text), n,
    ts, ts + interval '4 minutes', CASE WHEN n %% 4 = 0 THEN 'en' ELSE 'zh_CN' END,
    o.outcome,
    CASE WHEN o.outcome = 'abandoned'
        THEN (ARRAY['age', 'income', 'loss_tolerance_pct', 'if_loss'])[1 + n %% 4] END,
    CASE WHEN o.scored AND n %% 3 > 0 THEN 1 + n %% 5 END,
    CASE WHEN o.scored THEN %(answers)s::jsonb ELSE '{}'::jsonb END,
    CASE WHEN o.scored THEN n %% 100 END,
    CASE WHEN o.scored THEN (ARRAY['low', 'mid_low', 'mid', 'mid_high', 'high'])[1 + n %% 5] END,
    CASE WHEN o.scored THEN n %% 97 END,
    CASE WHEN o.scored
        THEN (ARRAY['low', 'mid_low', 'mid', 'mid_high', 'high'])[1 + n %% 7 %% 5] END,
    0, 40, 60,
    CASE WHEN o.scored THEN 'capacity' END,
    CASE WHEN NOT o.scored THEN NULL
         WHEN n %% 10 = 0 THEN ARRAY['loss_vs_feeling', 'trader_vs_experience']
         WHEN n %% 10 = 1 THEN ARRAY['gains_vs_loss']
         ELSE ARRAY[]::text[] END
FROM generate_series(1, %(count)s) AS n
CROSS JOIN LATERAL (SELECT localtimestamp - (n %% 525600) * interval '1 minute' AS ts) AS t
CROSS JOIN LATERAL (
    SELECT (ARRAY['printed', 'printed', 'exported', 'completed', 'print_failed', 'declined',
                  'abandoned'])[1 + n %% 7] AS outcome) AS p
CROSS JOIN LATERAL (SELECT p.outcome NOT IN ('declined', 'abandoned') AS scored) AS s
CROSS JOIN LATERAL (SELECT p.outcome, s.scored) AS o
"""
PRINTS = """
INSERT INTO fleet_prints (kiosk_id, branch_code, print_uid, local_id, sheet_number, at,
    printer, result)
SELECT kiosk_id, branch_code, visit_uid, local_id, visit_uid, started_at, 'kiosk-pdf',
    CASE WHEN outcome = 'printed' THEN 'printed' ELSE 'media-empty' END
FROM fleet_visits WHERE outcome IN ('printed', 'print_failed')
"""


EXAMPLE = json.loads((default_resources_dir() / "examples" / "worked_example.json").read_text())


def bench_report(server: postgres.PostgresServer, count: int, rounds: int) -> bool:
    print(f"\n== kiosk fleet report over {count:,} visits")
    db = postgres.fleet_database(server)
    began = time.perf_counter()
    with psycopg.connect(db.admin_url, autocommit=True) as conn:
        conn.execute(GENERATE, {"count": count, "answers": json.dumps(EXAMPLE)})
        conn.execute(PRINTS)
        conn.execute("VACUUM ANALYZE fleet_visits")
        conn.execute("VACUUM ANALYZE fleet_prints")
        size = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('fleet_visits'))"
        ).fetchone()
        print(
            f"(generated in {time.perf_counter() - began:.1f} s, not measured; "
            f"fleet_visits with its indexes: {size[0] if size else '?'})"
        )
    ok = True
    for days in (None, 30):
        extra = ["--days", str(days)] if days else []
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kiosk",
                    "fleet",
                    "report",
                    "--url",
                    db.kiosk_url,
                    "--json",
                    *extra,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(time.perf_counter() - began)
        report = json.loads(run.stdout)
        visits = sum(k["visits"] for k in report["kiosks"])
        label = f"--days {days}" if days else "all"
        print(
            f"kiosk fleet report ({label}): best {min(times):.2f} s (rounds: "
            f"{', '.join(f'{t:.2f}' for t in times)}; goal ≤ 2 s); {len(report['kiosks'])} "
            f"kiosks, {visits:,} visits"
        )
        if days is None and visits != count:
            print(f"FAILED: the report counts {visits} visits, not {count}", file=sys.stderr)
            ok = False
    with psycopg.connect(db.kiosk_url) as conn:
        for days in (None, 30):
            for name in QUERIES:
                params = {"since": datetime.now() - timedelta(days=30)}
                conn.execute("SET work_mem = '64MB'")  # as the report sets them
                conn.execute("SET jit = off")
                plan = conn.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS) {query(name, days)}",
                    params,
                ).fetchall()
                print(f"\n-- plan: {name}" + (f", --days {days}" if days else ""))
                print("\n".join(row[0] for row in plan))
            conn.rollback()
    return ok


if __name__ == "__main__":
    sys.exit(main())
