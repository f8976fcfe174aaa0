"""What the counter (SPEC §16) does with what staff scan or type, without a window.

One input takes either

- a **sheet code** (`RP1:…`, as a USB scanner types the sheet's QR): checked against
  `[branch] sheet_key` by kiosk.engine.sheet_code, then scored by the engine; or
- a **sheet number** (`0000-20261202-1001`, any case): looked up in the sources given,
  in order, each a SheetSource. Today that is this machine's session log, read-only
  (`SessionLogSource`); the fleet database of SPEC §18, when it exists, is one more
  source put first by `sources_for()` (the seam: a class with `find(number)`).

Either way the result is a `Found` (the profile, rebuilt by the engine) or a `Refused`
(a reason code and the English detail; kiosk.counter_words says it in either language).
A code is data: measured, matched against fixed patterns, never evaluated; anything
longer than a sheet code is refused before it is looked at. Nothing here writes: not the
session log, not the sheet counter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final, Literal, Protocol

from kiosk.engine import AnswerError, Profile, Questionnaire, score
from kiosk.engine.errors import shorten
from kiosk.engine.sheet_code import (
    MAX_CODE_CHARS,
    PREFIX,
    SEPARATOR,
    Refusal,
    SheetCodeError,
    decode,
    encode,
    key_from_hex,
)
from kiosk.settings import Settings
from kiosk.storage.sheet_lookup import (
    LoggedSheet,
    SheetLookupError,
    find_logged_sheet,
    session_log_path,
)

MAX_INPUT_CHARS: Final = MAX_CODE_CHARS
"""The longest input looked at; the counter's input field takes one more character, so
that a longer paste is seen to be too long (and refused) rather than cut to fit."""
SHEET_NUMBER: Final = re.compile(r"[0-9A-Za-z]{1,16}-[0-9]{8}-[0-9]{4}")
"""A kiosk's sheet number (kiosk.storage.sheet_numbers), typed in any case."""

Signature = Literal["valid", "unsigned", "not_recorded", "fleet"]
"""valid / unsigned: the code's own; not_recorded: a visit logged before sheet codes."""
Source = Literal["code", "session_log", "fleet"]
Reason = Literal[
    Refusal,  # refusals of the code itself
    # refusals of a typed sheet number
    "not_found",
    "unreadable",
]


@dataclass(frozen=True)
class Found:
    """A sheet the counter can show: its profile, rebuilt by the engine."""

    sheet: str
    signature: Signature
    source: Source
    questionnaire: Questionnaire
    profile: Profile
    code: str
    """The sheet code (scanned, or recorded in the log); '' for a visit logged without."""
    issued_at: datetime | None = None
    """When the visit ended, when a log says so (a code does not carry it)."""


@dataclass(frozen=True)
class Refused:
    """Why nothing is shown: a reason code, and the problem in English (for a log and a
    technician); `version` is the code's questionnaire version for a `version` refusal."""

    reason: Reason
    detail: str
    sheet: str = ""
    """The sheet number looked up, for `not_found` and the log's refusals."""
    version: str = ""
    from_log: bool = False
    """The refused code is the one the session log recorded for a typed sheet number."""


class SheetSource(Protocol):
    """Somewhere a typed sheet number is looked up (a session log, the fleet database)."""

    @property
    def kind(self) -> Source:
        """What it is, for the Found it gives (session_log, fleet)."""
        ...

    def find(self, sheet_number: str) -> LoggedSheet | None:
        """The sheet's visit, or None; SheetLookupError when the source cannot be read."""
        ...


@dataclass(frozen=True)
class SessionLogSource:
    """This machine's session log, opened read-only for each lookup."""

    path: Path
    kind: Source = "session_log"

    def find(self, sheet_number: str) -> LoggedSheet | None:
        return find_logged_sheet(self.path, sheet_number)


def sources_for(settings: Settings, fleet: SheetSource | None = None) -> tuple[SheetSource, ...]:
    """Where a typed number is looked up: the fleet database (SPEC §18) when one is
    configured (`fleet`, made by the caller: kiosk.fleet sits beside this module), then
    this machine's session log."""
    local = SessionLogSource(session_log_path(settings.data_path))
    return (local,) if fleet is None else (fleet, local)


_WHERE: Final = {"fleet": "the fleet database", "session_log": "the session log"}


class CounterLookup:
    """Reads what staff scan or type, against one installation's questionnaire and key."""

    def __init__(
        self,
        questionnaires: Questionnaire | Sequence[Questionnaire],
        key: bytes | None,
        sources: Sequence[SheetSource] = (),
    ) -> None:
        self.questionnaires = (
            (questionnaires,)
            if isinstance(questionnaires, Questionnaire)
            else tuple(questionnaires)
        )
        self.key = key
        self.sources = tuple(sources)

    @classmethod
    def for_settings(
        cls, settings: Settings, questionnaire: Questionnaire, fleet: SheetSource | None = None
    ) -> CounterLookup:
        key = key_from_hex(settings.branch.sheet_key)
        return cls(questionnaire, key, sources_for(settings, fleet))

    def read(self, text: str) -> Found | Refused:
        """What the input shows: a scanned code's profile, a typed number's, or why not."""
        if len(text) > MAX_INPUT_CHARS:  # measured before anything else is looked at
            return Refused(
                "too_long",
                f"the input is {len(text):,} characters long; "
                f"a sheet code has at most {MAX_CODE_CHARS}",
            )
        text = text.strip(" \t\r\n")
        if SHEET_NUMBER.fullmatch(text):
            return self.find(text)
        # QR alphanumeric mode has no lower case: a scanner typing with Caps Lock on gives
        # the same code in lower case. Only ASCII is folded (no other letter turns into
        # one of a code's).
        return self.scanned(text.upper() if text.isascii() else text)

    def scanned(self, code: str) -> Found | Refused:
        try:
            sheet = decode(self.questionnaires, code, self.key)
            profile = score(sheet.questionnaire, dict(sheet.answers))
        except SheetCodeError as exc:
            return Refused(exc.reason, str(exc), version=_version_of(code))
        except AnswerError as exc:
            return Refused("answers", str(exc))
        return Found(sheet.sheet, sheet.signature, "code", sheet.questionnaire, profile, code)

    def find(self, number: str) -> Found | Refused:
        """A typed sheet number, from the first source that has it. A source that cannot
        be read (the fleet database away) does not stop the next one (this machine's
        session log); when none has it, the first such failure is the reason."""
        failure: SheetLookupError | None = None
        for source in self.sources:
            try:
                logged = source.find(number)
            except SheetLookupError as exc:
                failure = failure or exc
                continue
            if logged is not None:
                return self._logged(logged, source.kind)
        if failure is not None:
            return Refused("unreadable", str(failure), sheet=number.upper())
        where = " or ".join(_WHERE[source.kind] for source in self.sources) or "the session log"
        return Refused(
            "not_found", f"sheet {number.upper()} is not in {where}", sheet=number.upper()
        )

    def _logged(self, logged: LoggedSheet, kind: Source) -> Found | Refused:
        number = logged.sheet_number
        if logged.sheet_code:
            # The code printed on that sheet: checked exactly as if it had been scanned.
            found = self.scanned(logged.sheet_code)
            if isinstance(found, Refused):
                return Refused(
                    found.reason,
                    f"the code recorded for sheet {number}: {found.detail}",
                    sheet=number,
                    version=found.version,
                    from_log=True,
                )
            return Found(
                found.sheet,
                found.signature,
                kind,
                found.questionnaire,
                found.profile,
                found.code,
                logged.ended_at,
            )
        version = logged.questionnaire_version or ""
        questionnaire = next((q for q in self.questionnaires if q.version == version), None)
        if questionnaire is None:
            have = ", ".join(q.version for q in self.questionnaires)
            return Refused(
                "version",
                f"sheet {number} was made with questionnaire version {shorten(version, 40)}; "
                f"this installation has version {have}",
                sheet=number,
                version=version,
                from_log=True,
            )
        try:
            profile = score(questionnaire, dict(logged.answers))
        except AnswerError as exc:
            return Refused(
                "answers", f"the answers recorded for sheet {number}: {exc}", sheet=number
            )
        # Rebuilt from the recorded answers: no code vouches for them (the fleet keeps none).
        signature: Signature = "fleet" if kind == "fleet" else "not_recorded"
        return Found(number, signature, kind, questionnaire, profile, "", logged.ended_at)

    def issued_at(self, found: Found) -> datetime | None:
        """When the sheet was made, from the first source that has its visit (None when
        none has: a code does not carry it). Blocks on the sources: a worker's call."""
        if found.issued_at is not None:
            return found.issued_at
        for source in self.sources:
            try:
                logged = source.find(found.sheet)
            except SheetLookupError:
                continue
            if logged is not None and logged.ended_at is not None:
                return logged.ended_at
        return None

    def code_of(self, found: Found) -> str:
        """The sheet code for a staff copy's QR: the sheet's own, else made now under its
        number with this installation's key (what the kiosk would have printed)."""
        if found.code:
            return found.code
        return encode(found.questionnaire, found.profile.answers, found.sheet, self.key)


def _version_of(code: str) -> str:
    """The questionnaire version field of something shaped like a code ('' when not)."""
    parts = code.split(SEPARATOR)
    return shorten(parts[2], 40) if len(parts) == 5 and parts[0] == PREFIX else ""


def staff_copy(
    lookup: CounterLookup, found: Found, settings: Settings, lang: str
) -> tuple[str, bytes]:
    """The sheet of that profile with its staff copy (SPEC §11), under its own number, as
    PDF bytes: (sheet number, pdf). No number is taken and nothing is kept. Dated when
    the visit ended where a session log knows it, else now (the copy's own time)."""
    from kiosk.report import SheetHeader, build_sheet  # noqa: PLC0415 - reportlab: on first use

    logo = Path(settings.branch.logo).expanduser() if settings.branch.logo else None
    header = SheetHeader(
        branch_name=settings.branch.name,
        sheet_number=found.sheet,
        issued_at=lookup.issued_at(found) or datetime.now(),
        logo=logo,
        sheet_code=lookup.code_of(found),
    )
    pdf = build_sheet(found.questionnaire, found.profile, header, lang=lang, staff_copy=True)
    return found.sheet, pdf
