"""What the kiosk keeps on disk: sheet numbers, the outbox of sheets, the session log."""

from kiosk.files import write_atomic
from kiosk.storage.outbox import Outbox, OutboxError
from kiosk.storage.sessions import SessionLog, Stats, StorageError, VisitRecord
from kiosk.storage.sheet_numbers import SheetNumberError, next_sheet_number

__all__ = [
    "Outbox",
    "OutboxError",
    "SessionLog",
    "SheetNumberError",
    "Stats",
    "StorageError",
    "VisitRecord",
    "next_sheet_number",
    "write_atomic",
]
