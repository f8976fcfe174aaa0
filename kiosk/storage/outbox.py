"""The outbox: every sheet's PDF, kept under its number before any printing starts."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.engine.errors import KioskError
from kiosk.files import write_atomic

OUTBOX = "outbox"
_NUMBER = re.compile(r"^[A-Za-z0-9]{1,16}-\d{8}-\d{4,}$")


class OutboxError(KioskError):
    """A sheet could not be kept or found; names the file and what to do."""


class Outbox:
    def __init__(self, data_path: Path) -> None:
        self.folder = data_path / OUTBOX

    def path(self, sheet_number: str) -> Path:
        if not _NUMBER.match(sheet_number):
            raise OutboxError(
                f"{sheet_number!r} is not a sheet number; "
                "expected <branch code>-<YYYYMMDD>-<kiosk_no><NNN>"
            )
        return self.folder / f"{sheet_number}.pdf"

    def save(self, sheet_number: str, pdf: bytes) -> Path:
        """Keep the sheet (written whole, or not at all; never over another sheet);
        OutboxError when the disk refuses or the number is taken."""
        target = self.path(sheet_number)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, pdf, exclusive=True)
        except FileExistsError:
            raise OutboxError(
                f"{target}: a sheet with this number is already kept and is never replaced; "
                "tell support (the sheet counter was reset)"
            ) from None
        except OSError as exc:
            raise OutboxError(
                f"{target}: the sheet could not be saved ({exc.strerror}); "
                "free some space in the data folder or check its permissions"
            ) from None
        return target

    def load(self, sheet_number: str) -> bytes:
        path = self.path(sheet_number)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise OutboxError(
                f"sheet {sheet_number} is not in the outbox ({self.folder})"
            ) from None
        except OSError as exc:
            raise OutboxError(f"{path}: cannot be read ({exc.strerror})") from None

    def numbers(self) -> list[str]:
        """The sheets in the outbox, newest number first."""
        if not self.folder.is_dir():
            return []
        names = [p.stem for p in self.folder.glob("*.pdf") if _NUMBER.match(p.stem)]
        return sorted(names, reverse=True)
