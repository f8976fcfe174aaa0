"""Kiosks for the fleet tests: a data folder with settings pointing at a fleet database,
a session log filled with a mix of visits (every outcome, ratings, checks that hold) and
print attempts, and what the fleet database holds of them."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from kiosk.engine import Questionnaire, score
from kiosk.settings import Settings, load_settings
from kiosk.storage.session_schema import DB_FILE
from kiosk.storage.sessions import SessionLog, VisitRecord
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
# Two checks of SPEC §15.3 hold for these answers (see tests/storage/test_visit_explanation.py).
DOUBTFUL = EXAMPLE | {
    "loss_tolerance_pct": 25,
    "if_loss": "sleepless",
    "knowledge": "seasoned_trader",
    "experience": "under_1y",
}
START = datetime(2026, 11, 2, 9, 0)


@dataclass
class Kiosk:
    """One kiosk's data folder, settings and session log."""

    folder: Path
    settings: Settings
    log: SessionLog

    @property
    def settings_path(self) -> Path:
        assert self.settings.path is not None
        return self.settings.path


def make_kiosk(folder: Path, url: str, kiosk_id: str, branch: str = "0101") -> Kiosk:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.toml"
    path.write_text(
        f'[branch]\ncode = "{branch}"\n[storage]\ndata_dir = "{folder / "data"}"\n'
        f'[sync]\nurl = "{url}"\nkiosk_id = "{kiosk_id}"\ninterval_s = 5\n',
        "utf-8",
    )
    settings = load_settings(path)
    return Kiosk(folder, settings, SessionLog(settings.data_path / DB_FILE))


def record_visits(
    log: SessionLog,
    questionnaire: Questionnaire,
    count: int,
    *,
    start: datetime = START,
    step: timedelta = timedelta(minutes=7),
    seed: int = 1,
) -> None:
    """`count` visits from `start`, `step` apart: results printed (some failed, with their
    print attempts), exported, completed; declined; abandoned at various questions;
    ratings on some."""
    rng = random.Random(seed)
    profiles = [score(questionnaire, EXAMPLE), score(questionnaire, DOUBTFUL)]
    questions = ["age", "income", "loss_tolerance_pct", "if_loss"]
    for n in range(count):
        at = start + n * step
        kind = rng.choice(
            ["printed", "printed", "exported", "completed", "print_failed", "declined", "abandoned"]
        )
        profile = rng.choice(profiles) if kind not in {"declined", "abandoned"} else None
        number = (
            f"{log.path.parent.parent.name}-{seed}-{n:06d}"
            if kind in {"printed", "print_failed"}
            else None
        )
        log.record(
            VisitRecord(
                started_at=at,
                ended_at=at + timedelta(minutes=4),
                language=rng.choice(["zh_CN", "en"]),
                outcome=kind,
                answers=dict(EXAMPLE) if profile is not None else {},
                profile=profile,
                sheet_number=number,
                abandoned_at=rng.choice(questions) if kind == "abandoned" else None,
                rating=rng.choice([None, 3, 4, 5]) if profile is not None else None,
            )
        )
        if number is not None:
            result = "printed" if kind == "printed" else "media-empty"
            log.record_print(number, "kiosk-pdf", result, at + timedelta(minutes=3))


def local_uids(log: SessionLog) -> tuple[set[str], set[str]]:
    """The uids of every visit and print in the log (each given one before its push)."""
    with log._reading() as db:
        visits = {row[0] for row in db.execute("SELECT uid FROM visits")}
        prints = {row[0] for row in db.execute("SELECT uid FROM prints")}
    return visits, prints


def server_rows(url: str, kiosk_id: str | None = None) -> tuple[list[str], list[str]]:
    """The visit and print uids the fleet database holds (of one kiosk, or all)."""
    where = "WHERE kiosk_id = %(k)s" if kiosk_id else ""
    with psycopg.connect(url) as conn:
        visits = [
            r[0]
            for r in conn.execute(
                f"SELECT visit_uid FROM fleet_visits {where}",  # type: ignore[arg-type]
                {"k": kiosk_id},
            )
        ]
        prints = [
            r[0]
            for r in conn.execute(
                f"SELECT print_uid FROM fleet_prints {where}",  # type: ignore[arg-type]
                {"k": kiosk_id},
            )
        ]
    return visits, prints


def assert_exactly_once(log: SessionLog, url: str, kiosk_id: str) -> None:
    """Every visit and print of the log is on the server exactly once, and synced."""
    state = log.sync_state()
    assert (state.waiting_visits, state.waiting_prints) == (0, 0)
    visits, prints = server_rows(url, kiosk_id)
    assert len(visits) == len(set(visits))
    assert len(prints) == len(set(prints))
    mine_v, mine_p = local_uids(log)
    assert set(visits) == mine_v
    assert set(prints) == mine_p
