"""What the kiosk keeps on disk: sheet numbers, whole files (and, later, the session log)."""

from kiosk.files import write_atomic
from kiosk.storage.sheet_numbers import SheetNumberError, next_sheet_number

__all__ = ["SheetNumberError", "next_sheet_number", "write_atomic"]
