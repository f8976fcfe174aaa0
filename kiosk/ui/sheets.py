"""A visit's sheet: built once (the same builder as `kiosk report`), kept in the outbox
before anything else, then printed or exported. Runs in the task worker, never on widgets."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStorageInfo

from kiosk.engine import Profile, Questionnaire
from kiosk.files import write_atomic
from kiosk.memory import collect_garbage
from kiosk.printing import PrintOutcome, print_pdf
from kiosk.settings import Settings
from kiosk.storage.outbox import Outbox, OutboxError

log = logging.getLogger("kiosk.sheets")

PRINT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Sheet:
    number: str
    pdf: bytes
    kept: Path | None
    """The outbox file, or None when the disk refused it (the sheet is still in memory)."""
    problem: str = ""


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
    """The visit's sheet: the one already made, or a new one with a new number, kept."""
    if existing is not None and existing.kept is not None:
        return existing
    # Imported here: reportlab loads on the first sheet, not at the kiosk's start.
    from kiosk.issuing import new_header  # noqa: PLC0415
    from kiosk.report import build_sheet  # noqa: PLC0415

    outbox = Outbox(settings.data_path)
    if existing is None:
        header = new_header(settings)
        pdf = build_sheet(questionnaire, profile, header, lang=lang)
        number = header.sheet_number
        # reportlab leaves reference cycles behind each document, and one of them holds
        # the whole font file (5 MB): free them now rather than at Python's next full
        # collection, so that the kiosk's memory does not swing by ~8 MB between sheets.
        collect_garbage()
    else:
        number, pdf = existing.number, existing.pdf
    try:
        return Sheet(number, pdf, outbox.save(number, pdf))
    except OutboxError as exc:
        log.error("sheet %s not kept: %s", number, exc)
        return Sheet(number, pdf, None, str(exc))


def print_sheet(sheet: Sheet, printer: str) -> PrintResult:
    outcome = print_pdf(sheet.pdf, printer, f"sheet-{sheet.number}", PRINT_TIMEOUT_S)
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


def copy_to(path: Path, folder: Path) -> Path:
    """Staff export: copy a file into a folder, returning the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def test_page(questionnaire: Questionnaire, settings: Settings) -> bytes:
    """A test page for staff: the sample client's sheet, numbered TEST and marked across
    the page, in every language, as no client's sheet."""
    import json  # noqa: PLC0415

    from kiosk.engine import default_resources_dir, score  # noqa: PLC0415
    from kiosk.i18n import in_every_language  # noqa: PLC0415
    from kiosk.report import SheetHeader, build_sheet  # noqa: PLC0415

    sample = default_resources_dir() / "examples" / "worked_example.json"
    profile = score(questionnaire, json.loads(sample.read_text("utf-8")))
    header = SheetHeader(settings.branch.name, "TEST", datetime.now())
    mark = in_every_language(_("TEST — not a client sheet")).split("\n")
    return build_sheet(questionnaire, profile, header, lang=settings.kiosk.language, watermark=mark)


def _(message: str) -> str:
    """Marks a text for the catalogue; in_every_language translates it."""
    return message
