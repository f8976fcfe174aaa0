"""What the pages of the sheet are built from: the questionnaire, the profile and the
header, the paragraph styles in the sheet's font, and small helpers for tables, paragraphs
and data texts in the sheet's language. SheetStyles alone (no profile) also makes the
summary page of `kiosk segment`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from kiosk import palette
from kiosk.engine import Profile, Questionnaire, Tables
from kiosk.i18n import texts
from kiosk.report.charts import INK, MUTED

if TYPE_CHECKING:
    from kiosk.report.sheet import SheetHeader

RULE = colors.HexColor(palette.LINE)
PANEL = colors.HexColor(palette.SHADE)
ACCENT = colors.HexColor(palette.ACCENT)


class SheetStyles:
    """The paragraph styles in the sheet's font and language, and the helpers below."""

    def __init__(self, lang: str, font: str) -> None:
        self.lang = lang
        self.font = font
        self._: Callable[[str], str] = texts(lang)
        wrap = "CJK" if lang == "zh_CN" else None
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=10, leading=13, textColor=INK, wordWrap=wrap
        )
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8, leading=10, textColor=MUTED
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9.5, leading=11.5)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontSize=18, leading=22, textColor=ACCENT)
        self.h2 = ParagraphStyle(
            "h2",
            parent=self.body,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=5,
            spaceAfter=3,
        )
        self.share = ParagraphStyle("share", parent=self.body, fontSize=15, leading=18)
        self.big = ParagraphStyle("big", parent=self.body, fontSize=13, leading=16)
        self.right = ParagraphStyle("right", parent=self.small, alignment=TA_RIGHT)

    # ------------------------------------------------------------------ helpers

    def table(self, rows: list[Any], *, style: list[Any], **options: Any) -> Table:
        """A table in the sheet's font (reportlab's default, Helvetica, is never embedded)."""
        table = Table(rows, **options)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), *style]))
        return table

    def p(
        self,
        text: str,
        style: ParagraphStyle | None = None,
        *,
        escape: bool = True,
        bullet: str | None = None,
    ) -> Paragraph:
        """A paragraph of `text` (taken literally unless `escape` is False), with `bullet`
        before its first line (the style's bulletFontName must be the sheet's font)."""
        return Paragraph(
            escape_markup(text) if escape else text, style or self.body, bulletText=bullet
        )

    def t(self, text: object) -> str:
        """A data text in the sheet's language."""
        get = getattr(text, "get")  # noqa: B009 - Text and TextList share get(lang)
        value: str = get(self.lang)
        return value


class SheetParts(SheetStyles):
    """The base of ClientPage and StaffPage: what they show, in which styles."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        profile: Profile,
        header: SheetHeader,
        lang: str,
        font: str,
    ) -> None:
        super().__init__(lang, font)
        self.q = questionnaire
        self.tables: Tables = questionnaire.tables
        self.profile = profile
        self.header = header


def escape_markup(text: str) -> str:
    """Text as a paragraph shows it literally (reportlab reads paragraphs as markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
