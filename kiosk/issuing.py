"""Issuing a sheet: the header of a new sheet under the next number, for the screens and
`kiosk report` alike (one builder, one numbering)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kiosk.report import SheetHeader
from kiosk.settings import Settings
from kiosk.storage.sheet_numbers import next_sheet_number


def new_header(settings: Settings, now: datetime | None = None) -> SheetHeader:
    """A header with the branch's name and logo and the next sheet number (taken now)."""
    when = now or datetime.now()
    return SheetHeader(
        branch_name=settings.branch.name,
        sheet_number=next_sheet_number(
            settings.data_path, settings.branch.code, when.date(), settings.branch.kiosk_no
        ),
        issued_at=when,
        logo=Path(settings.branch.logo).expanduser() if settings.branch.logo else None,
    )
