"""One sheet's visit read back from a session log, for the counter (SPEC §16): read-only.

The file is opened with SQLite's `mode=ro`: nothing is created, migrated or written, so
a counter may read the log of a kiosk that is running (WAL lets both go on). Only the
columns every schema since the sheet code has are read; a log from before it (no
`sheet_code` column) gives None for the code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from kiosk.engine.errors import KioskError
from kiosk.storage.session_schema import DB_FILE


class SheetLookupError(KioskError):
    """The session log exists but cannot be read; names the file and why."""


@dataclass(frozen=True)
class LoggedSheet:
    """What a session log keeps of the visit that made a sheet."""

    sheet_number: str
    answers: Mapping[str, int | str] = field(default_factory=dict)
    questionnaire_version: str | None = None
    sheet_code: str | None = None
    """The code printed in the sheet's QR (None: not recorded, e.g. before the code)."""
    ended_at: datetime | None = None


def session_log_path(data_path: Path) -> Path:
    return data_path / DB_FILE


def find_logged_sheet(log_path: Path, sheet_number: str) -> LoggedSheet | None:
    """The visit of that sheet (the number compared without regard to case), or None when
    the log has none or there is no log file. Raises SheetLookupError when the file is
    there but is not a session log that can be read."""
    if not log_path.is_file():
        return None
    uri = f"file:{quote(str(log_path.resolve()))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise SheetLookupError(f"{log_path}: the session log cannot be opened ({exc})") from None
    try:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT * FROM visits WHERE sheet_number = ? COLLATE NOCASE LIMIT 1",
            (sheet_number,),
        ).fetchone()
    except sqlite3.Error as exc:
        raise SheetLookupError(f"{log_path}: the session log cannot be read ({exc})") from None
    finally:
        db.close()
    if row is None:
        return None
    columns = row.keys()
    try:
        answers = json.loads(row["answers"] or "{}")
        ended = datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None
    except ValueError as exc:
        raise SheetLookupError(
            f"{log_path}: the visit of sheet {row['sheet_number']} cannot be read ({exc})"
        ) from None
    return LoggedSheet(
        sheet_number=str(row["sheet_number"]),
        answers=answers if isinstance(answers, dict) else {},
        questionnaire_version=row["questionnaire_version"],
        sheet_code=row["sheet_code"] if "sheet_code" in columns else None,
        ended_at=ended,
    )
