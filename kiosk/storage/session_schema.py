"""The session log's schema: its migrations, the outcomes a visit can have, and how it
stores a time. kiosk.storage.sessions opens the file and brings it up to SCHEMA_VERSION.
"""

from __future__ import annotations

from datetime import datetime

DB_FILE = "sessions.sqlite3"
"""The session log's file name in the data folder."""

OUTCOMES = ("printed", "exported", "print_failed", "completed", "declined", "abandoned")

# Each entry brings the schema from version i to i + 1. Never edit a released step.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        sheet_number TEXT UNIQUE,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        language TEXT NOT NULL,
        questionnaire_id TEXT,
        questionnaire_version TEXT,
        questionnaire_sha256 TEXT,
        answers TEXT NOT NULL DEFAULT '{}',
        capacity_score INTEGER,
        capacity_level TEXT,
        attitude_score INTEGER,
        attitude_level TEXT,
        low_risk INTEGER,
        medium_risk INTEGER,
        high_risk INTEGER,
        life_stage TEXT,
        life_cycle TEXT,
        segment TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN
            ('printed', 'exported', 'print_failed', 'completed', 'declined', 'abandoned')),
        abandoned_at TEXT,
        rating INTEGER CHECK (rating BETWEEN 1 AND 5)
    );
    CREATE INDEX visits_started_at ON visits (started_at);
    CREATE TABLE prints (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER REFERENCES visits (id) ON DELETE CASCADE,
        sheet_number TEXT NOT NULL,
        at TEXT NOT NULL,
        printer TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE TABLE admin_actions (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: the clock the kiosk trusts (meta `clock_seen`) and each row's `trusted_at`
    # (kiosk.storage.retention). Rows from before are trusted when in order (not older
    # than a row written before them); the newest record time is the first clock seen.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ALTER TABLE visits ADD COLUMN trusted_at TEXT;
    ALTER TABLE prints ADD COLUMN trusted_at TEXT;
    ALTER TABLE admin_actions ADD COLUMN trusted_at TEXT;
    UPDATE visits SET trusted_at = started_at WHERE id IN (
        SELECT id FROM (
            SELECT id, started_at, MAX(started_at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM visits)
        WHERE before IS NULL OR started_at >= before);
    UPDATE prints SET trusted_at = at WHERE id IN (
        SELECT id FROM (
            SELECT id, at, MAX(at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM prints)
        WHERE before IS NULL OR at >= before);
    UPDATE admin_actions SET trusted_at = at WHERE id IN (
        SELECT id FROM (
            SELECT id, at, MAX(at) OVER (
                ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM admin_actions)
        WHERE before IS NULL OR at >= before);
    INSERT INTO meta (key, value)
        SELECT 'clock_seen', newest FROM (
            SELECT MAX(t) AS newest FROM (
                SELECT MAX(started_at) AS t FROM visits
                UNION ALL SELECT MAX(ended_at) FROM visits
                UNION ALL SELECT MAX(at) FROM prints
                UNION ALL SELECT MAX(at) FROM admin_actions))
        WHERE newest IS NOT NULL;
    """,
    # 3: the sheet code printed in the visit's QR (SPEC §16), for the counter's look-up
    # by sheet number; NULL for visits without a sheet and for those from before.
    """
    ALTER TABLE visits ADD COLUMN sheet_code TEXT;
    """,
    # 4: the explanation kept with the visit (SPEC §15.3): the ids of the check rules that
    # held (a JSON list) and `limited_by`; NULL for visits without a profile and before.
    """
    ALTER TABLE visits ADD COLUMN checks TEXT;
    ALTER TABLE visits ADD COLUMN limited_by TEXT;
    """,
    # 5: the fleet database's queue (SPEC §18; kiosk.storage.sync_queue): a random `uid`
    # given to each visit and print before its first push (row ids start again once a
    # purge empties a table), and `synced_at` once the fleet database committed it.
    """
    ALTER TABLE visits ADD COLUMN uid TEXT;
    ALTER TABLE visits ADD COLUMN synced_at TEXT;
    ALTER TABLE prints ADD COLUMN uid TEXT;
    ALTER TABLE prints ADD COLUMN synced_at TEXT;
    CREATE INDEX visits_unsynced ON visits (id) WHERE synced_at IS NULL;
    CREATE INDEX prints_unsynced ON prints (id) WHERE synced_at IS NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def iso(when: datetime) -> str:
    """A time as the log stores it: ISO 8601 to the second."""
    return when.isoformat(timespec="seconds")
