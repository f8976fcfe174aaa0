"""The sheet service: every recommendation sheet the kiosk makes comes from here, for the
screen, `kiosk report`, the staff's reprint and the test page alike: one numbering, one
header, one builder, and every numbered sheet kept in the outbox before anything else
(printing, export, writing `--out`). No Qt: it runs in a worker thread or a command.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from kiosk.engine import Profile, Questionnaire, default_resources_dir, score, sheet_code
from kiosk.i18n import in_every_language
from kiosk.memory import collect_garbage
from kiosk.report import SheetHeader, build_sheet
from kiosk.settings import Settings
from kiosk.storage.outbox import Outbox, OutboxError
from kiosk.storage.sheet_numbers import next_sheet_number

log = logging.getLogger("kiosk.issuing")

TEST_NUMBER = "TEST"
SAMPLE_ANSWERS = "examples/worked_example.json"


@dataclass(frozen=True)
class Sheet:
    number: str
    pdf: bytes
    kept: Path | None
    """The outbox file, or None when the disk refused it (the sheet is still in memory)."""
    problem: str = ""
    """Why it is not kept, for staff (empty when kept, and for a test page)."""
    code: str = ""
    """The sheet code in its QR (SPEC §16), for the session log; empty for a reprint."""


def new_header(settings: Settings, now: datetime | None = None) -> SheetHeader:
    """A header with the branch's name and logo and the next sheet number (taken now)."""
    when = now or datetime.now()
    return SheetHeader(
        branch_name=settings.branch.name,
        sheet_number=next_sheet_number(
            settings.data_path, settings.branch.code, when.date(), settings.branch.kiosk_no
        ),
        issued_at=when,
        logo=_logo(settings),
    )


class SheetService:
    """Makes, numbers and keeps the sheets of one kiosk (its settings and questionnaire)."""

    def __init__(self, settings: Settings, questionnaire: Questionnaire) -> None:
        self.settings = settings
        self.questionnaire = questionnaire
        self.outbox = Outbox(settings.data_path)

    def issue(self, profile: Profile, lang: str, *, staff_copy: bool = False) -> Sheet:
        """A new sheet under the next number, kept in the outbox (or, when the disk
        refuses, in memory with the reason). Raises SheetNumberError when no number can be
        taken: a sheet is never made under a number already used."""
        header = self._coded(new_header(self.settings), profile)
        pdf = build_sheet(self.questionnaire, profile, header, lang=lang, staff_copy=staff_copy)
        # reportlab leaves reference cycles behind each document, and one of them holds
        # the whole font file (5 MB): free them now rather than at Python's next full
        # collection, so that the kiosk's memory does not swing by ~8 MB between sheets.
        collect_garbage()
        return self.keep(Sheet(header.sheet_number, pdf, None, code=header.sheet_code))

    def _coded(self, header: SheetHeader, profile: Profile) -> SheetHeader:
        """The header with the sheet code of the profile's answers under its number,
        signed with `[branch] sheet_key` when one is set (the key goes no further)."""
        key = sheet_code.key_from_hex(self.settings.branch.sheet_key)
        code = sheet_code.encode(self.questionnaire, profile.answers, header.sheet_number, key)
        return replace(header, sheet_code=code)

    def keep(self, sheet: Sheet) -> Sheet:
        """The sheet kept in the outbox: as it is when it already is, else saved now."""
        if sheet.kept is not None:
            return sheet
        try:
            return replace(sheet, kept=self.outbox.save(sheet.number, sheet.pdf), problem="")
        except OutboxError as exc:
            log.error("sheet %s not kept: %s", sheet.number, exc)
            return replace(sheet, kept=None, problem=str(exc))

    def reprint(self, number: str) -> Sheet:
        """A kept sheet, for staff to print again (OutboxError when it is not there)."""
        return Sheet(number, self.outbox.load(number), self.outbox.path(number))

    def test_page(self) -> Sheet:
        """The sample client's sheet, numbered TEST and marked across the page, in every
        language, as no client's sheet; never numbered, never kept."""
        sample = json.loads((default_resources_dir() / SAMPLE_ANSWERS).read_text("utf-8"))
        profile = score(self.questionnaire, sample)
        header = SheetHeader(
            self.settings.branch.name, TEST_NUMBER, datetime.now(), _logo(self.settings)
        )
        header = self._coded(header, profile)
        mark = in_every_language(_("TEST — not a client sheet")).split("\n")
        pdf = build_sheet(
            self.questionnaire, profile, header, lang=self.settings.kiosk.language, watermark=mark
        )
        return Sheet(TEST_NUMBER, pdf, None, code=header.sheet_code)


_warmed = threading.Lock()


def warm_up(settings: Settings, questionnaire: Questionnaire) -> None:
    """Build one throwaway sheet (the test page: no number taken, nothing kept) the first
    time it is called in this process, so that a client's first Print does not wait for
    reportlab and the fonts to load (~0.9 s cold, ~0.1 s warm). For a worker thread."""
    if not _warmed.acquire(blocking=False):
        return  # warm already, or warming
    SheetService(settings, questionnaire).test_page()
    collect_garbage()


def _logo(settings: Settings) -> Path | None:
    return Path(settings.branch.logo).expanduser() if settings.branch.logo else None


def _(message: str) -> str:
    """Marks a text for the catalogue; in_every_language translates it."""
    return message
