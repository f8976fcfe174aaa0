"""A visit's sheet: built once (the same builder as `kiosk report`), kept in the outbox
before anything else, then printed or exported. Runs on the devices worker, never on widgets."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo

from kiosk.engine import Profile, Questionnaire
from kiosk.files import write_atomic
from kiosk.issuing import Sheet, SheetService
from kiosk.printing import PrintOutcome, print_pdf
from kiosk.settings import Settings

log = logging.getLogger("kiosk.sheets")

PRINT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class PrintResult:
    sheet: Sheet
    outcome: PrintOutcome


@dataclass(frozen=True)
class ExportResult:
    sheet: Sheet
    path: Path | None
    on_drive: bool
    problem: str = ""


def make_sheet(
    questionnaire: Questionnaire,
    profile: Profile,
    settings: Settings,
    lang: str,
    existing: Sheet | None,
) -> Sheet:
    """The visit's sheet: the one already made (kept now if the disk refused it before),
    or a new one with a new number, kept (kiosk.issuing, as for `kiosk report`)."""

    service = SheetService(settings, questionnaire)
    return service.issue(profile, lang) if existing is None else service.keep(existing)


def print_sheet(sheet: Sheet, printer: str, timeout_s: float = PRINT_TIMEOUT_S) -> PrintResult:
    outcome = print_pdf(sheet.pdf, printer, sheet.number, timeout_s)
    if not outcome.ok:
        log.warning("sheet %s not printed on %s: %s", sheet.number, outcome.printer, outcome.detail)
    return PrintResult(sheet, outcome)


def removable_drives() -> list[Path]:
    """Mounted, writable removable drives (USB sticks), by their mount points."""
    drives = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        if (
            volume.isValid()
            and volume.isReady()
            and not volume.isReadOnly()
            and root.startswith(("/media/", "/run/media/", "/mnt/"))
        ):
            drives.append(Path(root))
    return drives


def export_sheet(sheet: Sheet, drives: list[Path]) -> ExportResult:
    """Copy the sheet to the first removable drive, else leave it in the outbox.

    Written to a temporary name on the drive, flushed, then renamed: a full or pulled
    drive never keeps half a sheet (the temporary file is removed on failure)."""
    for drive in drives:
        target = drive / f"{sheet.number}.pdf"
        try:
            write_atomic(target, sheet.pdf)
        except OSError as exc:
            log.warning("could not export %s to %s: %s", sheet.number, drive, exc)
            continue
        return ExportResult(sheet, target, on_drive=True)
    if sheet.kept is None:
        return ExportResult(sheet, None, on_drive=False, problem=sheet.problem)
    return ExportResult(sheet, sheet.kept, on_drive=False)
