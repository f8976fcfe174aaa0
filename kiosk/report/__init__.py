"""The recommendation sheet as a PDF (reportlab only; no Qt)."""

from kiosk.report.fonts import font_path, register_fonts
from kiosk.report.sheet import SheetHeader, build_sheet

__all__ = ["SheetHeader", "build_sheet", "font_path", "register_fonts"]
