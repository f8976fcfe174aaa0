"""A kiosk with [sync] url pushes its visits in the background (never on the GUI thread),
the staff panel says when it last synced and what is waiting, and the pusher stops
before the session log closes."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import psycopg

from kiosk.ui.driver import VisitDriver
from tests.helpers.postgres import FleetDb
from tests.helpers.ui import EXAMPLE, open_admin, settle
from tests.ui.conftest import MakeWindow


def test_the_kiosk_pushes_in_the_background_and_staff_see_the_state(
    make_window: MakeWindow, no_highlight: None, fleet_db: FleetDb, tmp_path: Path
) -> None:
    window = make_window(
        f'[sync]\nurl = "{fleet_db.kiosk_url}"\nkiosk_id = "lobby-7"\ninterval_s = 5\n'
    )
    pusher = window.staff.pusher
    assert pusher is not None
    assert pusher.running
    assert pusher._thread is not threading.main_thread()
    drive = VisitDriver(window)
    drive.visit(EXAMPLE)
    drive.tap_and_wait("result.export")
    drive.wait_for("message")
    drive.tap_and_wait("print.done")
    drive.tap_and_wait("result.finish")
    drive.tap_and_wait("rating.5")
    drive.tap_and_wait("thanks.done")
    settle(window)
    pusher.push_now()
    deadline = time.monotonic() + 30
    while _visits(fleet_db) < 1:
        assert time.monotonic() < deadline, "the visit never reached the fleet database"
        time.sleep(0.05)
    open_admin(drive)
    settle(window)
    assert "上次同步 20" in drive.text("admin.sync")
    drive.tap("lang.en")
    text = drive.text("admin.sync")
    assert "Fleet database: last sync 20" in text
    assert text.endswith("; 0 records waiting")  # and no failure
    shot = os.environ.get("KIOSK_SHOT_DIR")
    if shot:
        window.grab().save(str(Path(shot) / "admin-fleet.png"))
    window.shutdown()
    assert not pusher.running


def _visits(db: FleetDb) -> int:
    with psycopg.connect(db.admin_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM fleet_visits WHERE kiosk_id = 'lobby-7' AND rating = 5"
        ).fetchone()
    return int(row[0]) if row else 0
