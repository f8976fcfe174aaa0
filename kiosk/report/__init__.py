"""The recommendation sheet as a PDF (reportlab only; no Qt)."""

from kiosk.fonts import font_path
from kiosk.report.fonts import register_fonts
from kiosk.report.logo import load_logo
from kiosk.report.sheet import SheetHeader, build_sheet

__all__ = ["SheetHeader", "build_sheet", "font_path", "load_logo", "register_fonts"]
