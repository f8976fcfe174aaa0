"""`kiosk fleet report`: the fleet database counted per branch and kiosk (SPEC §18).

Four aggregate queries, each one pass over the rows in the period (`started_at` of a
visit, `at` of a print attempt, both indexed): the counts and the mean rating; where
visits were abandoned and the level distributions (grouping sets); how often each check
of SPEC §15.3 fired; the print attempts. `completed` counts the visits that reached a
result (a profile), as the staff panel does. `checks_known` says over how many of those
the check ids were kept (visits recorded before the kiosk kept them have none).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg

OUTCOME_COUNTS = ("printed", "exported", "print_failed", "declined", "abandoned")

_PERIOD = "WHERE {column} >= %(since)s"
_COUNTS = """
    SELECT branch_code, kiosk_id, count(*),
        count(*) FILTER (WHERE capacity_level IS NOT NULL),
        count(*) FILTER (WHERE outcome = 'printed'),
        count(*) FILTER (WHERE outcome = 'exported'),
        count(*) FILTER (WHERE outcome = 'print_failed'),
        count(*) FILTER (WHERE outcome = 'declined'),
        count(*) FILTER (WHERE outcome = 'abandoned'),
        count(rating), avg(rating)::float8,
        count(*) FILTER (WHERE checks IS NOT NULL AND capacity_level IS NOT NULL),
        min(started_at), max(started_at)
    FROM fleet_visits {period}
    GROUP BY branch_code, kiosk_id
"""
_SPREADS = """
    SELECT branch_code, kiosk_id, GROUPING(abandoned, capacity_level, attitude_level),
        abandoned, capacity_level, attitude_level, count(*)
    FROM (SELECT branch_code, kiosk_id, capacity_level, attitude_level,
            CASE WHEN outcome = 'abandoned' THEN coalesce(abandoned_at, '') END AS abandoned
          FROM fleet_visits {period}) AS v
    GROUP BY branch_code, kiosk_id,
        GROUPING SETS ((abandoned), (capacity_level), (attitude_level))
"""
_CHECKS = """
    SELECT branch_code, kiosk_id, check_id, count(*)
    FROM fleet_visits CROSS JOIN LATERAL unnest(checks) AS check_id {period}
    GROUP BY branch_code, kiosk_id, check_id
"""
_PRINTS = """
    SELECT branch_code, kiosk_id, count(*), count(*) FILTER (WHERE result <> 'printed')
    FROM fleet_prints {period}
    GROUP BY branch_code, kiosk_id
"""
QUERIES = {
    "counts": (_COUNTS, "started_at"),
    "spreads": (_SPREADS, "started_at"),
    "checks": (_CHECKS, "started_at"),
    "prints": (_PRINTS, "at"),
}
"""The report's queries and the time column each is limited by (benchmarks/sync.py
shows their plans)."""


def query(name: str, days: int | None) -> str:
    text, column = QUERIES[name]
    return text.format(period=_PERIOD.format(column=column) if days is not None else "")


@dataclass(frozen=True)
class KioskCounts:
    """One kiosk's numbers in the period."""

    branch_code: str
    kiosk_id: str
    visits: int = 0
    completed: int = 0
    printed: int = 0
    exported: int = 0
    print_failed: int = 0
    declined: int = 0
    abandoned: int = 0
    abandoned_at: dict[str, int] = field(default_factory=dict)
    ratings: int = 0
    mean_rating: float | None = None
    capacity_levels: dict[str, int] = field(default_factory=dict)
    attitude_levels: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)
    checks_known: int = 0
    print_attempts: int = 0
    print_attempts_failed: int = 0
    first_visit: str | None = None
    last_visit: str | None = None


@dataclass(frozen=True)
class FleetReport:
    days: int | None
    since: datetime | None
    kiosks: tuple[KioskCounts, ...]

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "days": self.days,
            "since": self.since.isoformat(timespec="seconds") if self.since else None,
            "kiosks": [asdict(kiosk) for kiosk in self.kiosks],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def text(self) -> str:
        period = f"the last {self.days} days" if self.days is not None else "all records"
        lines = [f"fleet report: {len(self.kiosks)} kiosks, {period}"]
        if not self.kiosks:
            lines.append("no visits in this period")
        for k in self.kiosks:
            rating = f"{k.mean_rating:.2f} ({k.ratings} ratings)" if k.ratings else "–"
            lines += [
                "",
                f"branch {k.branch_code} · kiosk {k.kiosk_id}"
                f" ({k.first_visit or '–'} … {k.last_visit or '–'})",
                f"  visits {k.visits}, completed {k.completed}, printed {k.printed}, "
                f"exported {k.exported}, print failures {k.print_failed}, "
                f"declined {k.declined}, abandoned {k.abandoned}",
                f"  print attempts {k.print_attempts}, failed {k.print_attempts_failed}",
                f"  abandoned at: {_spread(k.abandoned_at)}",
                f"  mean rating: {rating}",
                f"  capacity levels: {_spread(k.capacity_levels)}",
                f"  attitude levels: {_spread(k.attitude_levels)}",
                f"  checks (over {k.checks_known} results with their checks kept): "
                f"{_spread(k.checks)}",
            ]
        return "\n".join(lines)


def _spread(counts: dict[str, int]) -> str:
    if not counts:
        return "–"
    return ", ".join(f"{name or '?'} {n}" for name, n in sorted(counts.items(), key=_biggest))


def _biggest(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def fleet_report(
    conn: psycopg.Connection, days: int | None = None, now: datetime | None = None
) -> FleetReport:
    """The report over the visits started in the last `days` days by the kiosks' clocks
    (None: every record)."""
    since = (now or datetime.now()) - timedelta(days=days) if days is not None else None
    params = {"since": since}
    kiosks: dict[tuple[str, str], dict[str, Any]] = {}

    def at(branch: str, kiosk: str) -> dict[str, Any]:
        """The fields of one kiosk's KioskCounts, filled in by the queries below."""
        return kiosks.setdefault((branch, kiosk), asdict(KioskCounts(branch, kiosk)))

    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Room to group 300+ kiosks' rows in memory (the default 4 MB sorts them on disk).
        conn.execute("SET LOCAL work_mem = '64MB'")
        conn.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
        for row in conn.execute(query("counts", days), params):
            counts = at(row[0], row[1])
            counts.update(zip(("visits", "completed", *OUTCOME_COUNTS), row[2:9], strict=True))
            counts.update(ratings=row[9], mean_rating=row[10], checks_known=row[11])
            counts["first_visit"] = row[12].isoformat(timespec="seconds") if row[12] else None
            counts["last_visit"] = row[13].isoformat(timespec="seconds") if row[13] else None
        spreads: dict[tuple[str, str, int], dict[str, int]] = defaultdict(dict)
        for row in conn.execute(query("spreads", days), params):
            kind = {3: 0, 5: 1, 6: 2}[row[2]]  # which of the three sets the row is of
            if row[3 + kind] is not None:
                spreads[(row[0], row[1], kind)][row[3 + kind]] = row[6]
        for (branch, kiosk, kind), spread in spreads.items():
            counts = at(branch, kiosk)
            counts[("abandoned_at", "capacity_levels", "attitude_levels")[kind]].update(spread)
        for row in conn.execute(query("checks", days), params):
            at(row[0], row[1])["checks"][row[2]] = row[3]
        for row in conn.execute(query("prints", days), params):
            at(row[0], row[1]).update(print_attempts=row[2], print_attempts_failed=row[3])
    return FleetReport(days, since, tuple(KioskCounts(**kiosks[key]) for key in sorted(kiosks)))


__all__ = ["FleetReport", "KioskCounts", "fleet_report", "query"]
