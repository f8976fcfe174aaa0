"""`kiosk fleet report`: the fleet database counted per branch and kiosk (SPEC §18).

Three aggregate queries, each one pass over the rows in the period (`started_at` of a
visit, `at` of a print attempt; over a period the visits' report index serves it without
reading the rows): the visits grouped by kiosk, where abandoned and levels (folded here
into the counts, the mean rating and the distributions); how often each check of SPEC
§15.3 fired; the print attempts. `completed` counts the visits that reached a
result (a profile), as the staff panel does. `checks_known` says over how many of those
the check ids were kept (visits recorded before the kiosk kept them have none).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg

OUTCOME_COUNTS = ("printed", "exported", "print_failed", "declined", "abandoned")

_PERIOD = "WHERE {column} >= %(since)s"
# One pass over the visits, grouped finely enough (a few dozen groups a kiosk) to fold
# the counts and the three distributions from it in Python.
_VISITS = """
    SELECT branch_code, kiosk_id,
        CASE WHEN outcome = 'abandoned' THEN coalesce(abandoned_at, '') END,
        capacity_level, attitude_level,
        count(*),
        count(*) FILTER (WHERE capacity_level IS NOT NULL),
        count(*) FILTER (WHERE outcome = 'printed'),
        count(*) FILTER (WHERE outcome = 'exported'),
        count(*) FILTER (WHERE outcome = 'print_failed'),
        count(*) FILTER (WHERE outcome = 'declined'),
        count(*) FILTER (WHERE outcome = 'abandoned'),
        count(rating), sum(rating),
        count(*) FILTER (WHERE checks IS NOT NULL AND capacity_level IS NOT NULL),
        min(started_at), max(started_at)
    FROM fleet_visits {period}
    GROUP BY branch_code, kiosk_id, 3, capacity_level, attitude_level
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
_SPREAD_FIELDS = ("abandoned_at", "capacity_levels", "attitude_levels")
_SUMMED = ("visits", "completed", *OUTCOME_COUNTS, "ratings", "checks_known")
QUERIES = {
    "visits": (_VISITS, "started_at"),
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
        for row in conn.execute(query("visits", days), params):
            counts = at(row[0], row[1])
            for name, value in zip(_SPREAD_FIELDS, row[2:5], strict=True):
                if value is not None:
                    counts[name][value] = counts[name].get(value, 0) + row[5]
            for name, value in zip(_SUMMED, (*row[5:13], row[14]), strict=True):
                counts[name] += value
            counts["rating_sum"] = counts.get("rating_sum", 0) + (row[13] or 0)
            for name, value, pick in (("first_visit", row[15], min), ("last_visit", row[16], max)):
                when = value.isoformat(timespec="seconds")
                counts[name] = pick(counts[name], when) if counts[name] else when
        for row in conn.execute(query("checks", days), params):
            at(row[0], row[1])["checks"][row[2]] = row[3]
        for row in conn.execute(query("prints", days), params):
            at(row[0], row[1]).update(print_attempts=row[2], print_attempts_failed=row[3])
    for counts in kiosks.values():
        total = counts.pop("rating_sum", 0)
        counts["mean_rating"] = total / counts["ratings"] if counts["ratings"] else None
    return FleetReport(days, since, tuple(KioskCounts(**kiosks[key]) for key in sorted(kiosks)))


__all__ = ["FleetReport", "KioskCounts", "fleet_report", "query"]
