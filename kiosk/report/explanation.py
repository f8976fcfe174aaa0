"""The explanation of the result on the client page (SPEC §11 and §15): which axis limited
the allocation, each level one answer away with its allocation beside the client's own,
the answers worth discussing with our staff, and the lowest-category note.

Every word comes from kiosk.wording.explanation_lines, the layer the result screen uses
too, so that the screen and the sheet say the same thing.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from kiosk import palette
from kiosk.report.charts import share_bar
from kiosk.report.document import CONTENT_WIDTH
from kiosk.report.parts import ACCENT, PANEL, RULE, SheetParts
from kiosk.wording import Explained, NearLine

BAR_WIDTH = 160.0
"""A 10% segment holds its label ("10%") at 7.5 pt."""
BAR_HEIGHT = 12.0
PADDING = 6.0
"""On either side of the block, as in the page's other tables (their text lines up)."""
INNER_WIDTH = CONTENT_WIDTH - 2 * PADDING
GAP = 7.0
"""Above the block, the checks' heading and the note."""
NOTE_RULE = colors.HexColor(palette.WARNING)
"""The lowest-category note's edge: set apart from the rest, without alarm."""


def limited_by(page: SheetParts, words: Explained) -> Paragraph:
    """Which axis limited the allocation, in one sentence (under the allocation's legend)."""
    style = ParagraphStyle("limited_by", parent=page.cell, spaceBefore=6, leftIndent=6)
    return page.p(words.limited_by, style)


def explanation_block(page: SheetParts, words: Explained) -> Table | None:
    """The rest, under the allocation and as wide as the page's other tables: the levels
    one answer away, the checks under their heading and the lowest-category note; None
    when there is nothing of the sort to say."""
    rows: list[tuple[Flowable, float]] = []  # each with the room above it
    if words.near:
        rows.append((_near_table(page, words.near), 0))
    if words.checks:
        rows.append(
            (
                page.p(words.heading, ParagraphStyle("checks", parent=page.cell, textColor=ACCENT)),
                GAP,
            )
        )
        bullet = ParagraphStyle(
            "check", parent=page.cell, leftIndent=10, bulletIndent=2, bulletFontName=page.font
        )
        rows += [(page.p(check.text, bullet, bullet="•"), 0) for check in words.checks]
    if words.lowest_category:
        rows.append((_lowest_category_note(page, words.lowest_category), GAP))
    if not rows:
        return None
    rows[0] = (rows[0][0], 0)
    return page.table(
        [[flowable] for flowable, _ in rows],
        colWidths=[CONTENT_WIDTH],
        style=[
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            *(("TOPPADDING", (0, row), (-1, row), gap) for row, (_, gap) in enumerate(rows)),
        ],
        spaceBefore=GAP,
    )


def _near_table(page: SheetParts, near: tuple[NearLine, ...]) -> Table:
    """For each near axis, its sentence beside two bars: the client's allocation and the
    neighbouring level's."""
    own = page.profile.allocation.as_tuple()
    label = ParagraphStyle("bar_label", parent=page.cell, fontSize=8.5, leading=10)
    yours = ParagraphStyle("bar_yours", parent=label, textColor=page.small.textColor)
    names = [page._("Your allocation"), *(line.level for line in near)]
    # The column naming the bars is as wide as its longest name, on one line.
    label_width = max(stringWidth(name, page.font, label.fontSize) for name in names) + 13
    rows: list[list[Any]] = []
    style: list[Any] = []
    for index, line in enumerate(near):
        top = 2 * index
        rows += [
            [
                page.p(line.sentence, page.cell),
                page.p(names[0], yours),
                share_bar(BAR_WIDTH, BAR_HEIGHT, own, page.font),
            ],
            [
                "",
                page.p(line.level, label),
                share_bar(BAR_WIDTH, BAR_HEIGHT, _percents(line), page.font),
            ],
        ]
        style += [("SPAN", (0, top), (0, top + 1)), ("TOPPADDING", (0, top), (-1, top), 4)]
        if index:
            style.append(("LINEABOVE", (0, top), (-1, top), 0.3, RULE))
    return page.table(
        rows,
        colWidths=[INNER_WIDTH - label_width - BAR_WIDTH, label_width, BAR_WIDTH],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            *style,
        ],
    )


def _percents(line: NearLine) -> tuple[int, ...]:
    return tuple(percent for _, percent in line.allocation)


def _lowest_category_note(page: SheetParts, text: str) -> Table:
    """The note in a shaded box with a warm edge: visibly apart, but calm."""
    return page.table(
        [[page.p(text, page.cell)]],
        colWidths=[INNER_WIDTH],
        style=[
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, NOTE_RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
