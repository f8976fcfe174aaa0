"""The counter's look-up of a typed sheet number in the fleet database (SPEC §16, §18):
any kiosk's visit of that sheet, as the counter rebuilds it (answers, questionnaire
version; the fleet keeps no sheet code, so the profile is rebuilt from the answers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import psycopg

from kiosk.fleet.connection import FleetError, connect, first_line
from kiosk.settings import redact_uri
from kiosk.storage.sheet_lookup import LoggedSheet, SheetLookupError

_FIND = """
SELECT sheet_number, answers, questionnaire_version, ended_at
FROM fleet_visits
WHERE upper(sheet_number) = upper(%s)
ORDER BY ended_at DESC
LIMIT 1
"""


@dataclass(frozen=True)
class FleetSource:
    """The bank's fleet database at `url` (`[sync] url`), asked for each look-up."""

    url: str
    kind: Literal["fleet"] = "fleet"

    def find(self, sheet_number: str) -> LoggedSheet | None:
        """The latest visit of that sheet (any kiosk; the number without regard to case),
        or None; SheetLookupError when the fleet database cannot be asked."""
        try:
            with connect(self.url) as conn:
                row = conn.execute(_FIND, (sheet_number,)).fetchone()
        except FleetError as exc:
            raise SheetLookupError(str(exc)) from None
        except psycopg.Error as exc:
            where = redact_uri(self.url)
            raise SheetLookupError(f"{where}: cannot be read ({first_line(exc)})") from None
        if row is None:
            return None
        number, answers, version, ended = row  # (answers is jsonb: psycopg decodes it)
        return LoggedSheet(
            sheet_number=str(number),
            answers=answers if isinstance(answers, dict) else {},
            questionnaire_version=version,
            ended_at=ended,
        )


__all__ = ["FleetSource"]
