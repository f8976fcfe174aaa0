"""The summary of a segmented client list (SPEC §17): one A4 page for the branch manager.

The 3 x 3 table of clients by capital (rows, large first, as in the source) and activity
(columns): each cell's count, share and capital, key cells shaded and starred; then each
cell's service plan, and what the service levels and contents are, all from
resources/tables.toml. Same font, colours and page as the recommendation sheet.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table
from reportlab.platypus.flowables import HRFlowable

from kiosk import __version__
from kiosk.engine import Tables
from kiosk.report.document import (
    CONTENT_WIDTH,
    MARGIN_X,
    MARGIN_Y,
    PAGE_HEIGHT,
    SheetDocument,
)
from kiosk.report.fonts import register_fonts
from kiosk.report.parts import ACCENT, PANEL, RULE, SheetStyles
from kiosk.segment.run import CellCount, SegmentRun

KEY_MARK = "★"
HEAD_WIDTH = 92.0
"""The first column: the capital bands."""


@dataclass(frozen=True)
class SummaryHeader:
    """Who the summary is for and what it counts."""

    branch_name: str
    source_name: str
    made_at: datetime


def build_segment_summary(
    run: SegmentRun, tables: Tables, header: SummaryHeader, *, lang: str
) -> bytes:
    """The summary page as PDF bytes (one A4 page)."""
    font = register_fonts()
    page = _SummaryPage(run, tables, header, lang, font)
    out = io.BytesIO()
    _ = page._
    document = SheetDocument(
        out,
        watermark=(),
        font=font,
        pagesize=A4,
        initialFontName=font,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=_("Client segments"),
        author=header.branch_name,
        subject=_("Client segments"),
        creator=f"branch-risk-kiosk {__version__}",
        lang="zh-CN" if lang == "zh_CN" else "en",
    )
    room = PAGE_HEIGHT - 2 * MARGIN_Y - 12
    document.build([KeepInFrame(CONTENT_WIDTH, room, page.flowables(), mode="shrink")])
    return out.getvalue()


class _SummaryPage(SheetStyles):
    def __init__(
        self, run: SegmentRun, tables: Tables, header: SummaryHeader, lang: str, font: str
    ) -> None:
        super().__init__(lang, font)
        self.run = run
        self.tables = tables
        self.header = header
        self.h2 = ParagraphStyle("h2", parent=self.h2, spaceBefore=8, spaceAfter=4)
        self.count = ParagraphStyle("count", parent=self.share)
        self.mark = ParagraphStyle("mark", parent=self.small, textColor=ACCENT)

    # ------------------------------------------------------------------ parts

    def flowables(self) -> list[Flowable]:
        _ = self._
        run = self.run
        counts = _("{rows_in} rows read: {rows_out} clients segmented, {rejected} rejected").format(
            rows_in=f"{run.rows_in:,}", rows_out=f"{run.rows_out:,}", rejected=f"{run.rejected:,}"
        )
        made = self.header.made_at.strftime("%Y-%m-%d %H:%M")
        return [
            self.p(self.header.branch_name, self.big),
            self.p(_("Client segments"), self.h1),
            self.p(f"{self.header.source_name} · {made} · {counts}", self.small),
            HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=4, spaceAfter=6),
            self.p(_("Clients by capital and activity"), self.h2),
            self.counts_table(),
            Spacer(1, 4),
            self.p(
                _(
                    "{mark} key client (shaded); each cell: clients, their share of all "
                    "clients, their capital in all."
                ).format(mark=KEY_MARK),
                self.small,
            ),
            self.p(_("Service plan by segment"), self.h2),
            self.plan_table(),
            self.p(_("What the services are"), self.h2),
            self.services_table(),
            Spacer(1, 8),
            self.p(
                _(
                    "Thresholds, key clients and services: resources/tables.toml. kiosk {version}"
                ).format(version=__version__),
                self.small,
            ),
        ]

    def counts_table(self) -> Table:
        _ = self._
        run = self.run
        total = max(run.rows_out, 1)
        rows: list[list[object]] = [self.column_heads(_("Total"))]
        style: list[Any] = []
        by_capital = list(enumerate(run.cells))[::-1]  # large first, as in the source
        for y, (index, cells) in enumerate(by_capital, start=1):
            band = self.tables.capital[index]
            line: list[object] = [self.band_head(self.t(band.name), self.capital_range(index))]
            for x, cell in enumerate(cells, start=1):
                line.append(self.count_cell(cell.clients, cell.capital_cny, total, cell))
                if cell.key_client:
                    style.append(("BACKGROUND", (x, y), (x, y), PANEL))
            line.append(
                self.count_cell(
                    sum(c.clients for c in cells), sum(c.capital_cny for c in cells), total
                )
            )
            rows.append(line)
        footer: list[object] = [self.p(_("Total"), self.cell)]
        for column in zip(*run.cells, strict=True):
            footer.append(
                self.count_cell(
                    sum(c.clients for c in column), sum(c.capital_cny for c in column), total
                )
            )
        everything = [c for cells in run.cells for c in cells]
        footer.append(
            self.count_cell(
                sum(c.clients for c in everything), sum(c.capital_cny for c in everything), total
            )
        )
        rows.append(footer)
        return self.grid(rows, style, totals=True)

    def plan_table(self) -> Table:
        rows: list[list[object]] = [self.column_heads()]
        style: list[Any] = []
        by_capital = list(enumerate(self.run.cells))[::-1]
        for y, (index, cells) in enumerate(by_capital, start=1):
            band = self.tables.capital[index]
            level = self.tables.service_level(band.service_level)
            line: list[object] = [self.band_head(self.t(band.name), self.t(level.name))]
            for x, cell in enumerate(cells, start=1):
                activity = self.tables.activity_band(cell.activity)
                services = self._("; ").join(
                    self.t(self.tables.service(s).name) for s in activity.services
                )
                parts = [self.p(self.t(level.name), self.cell), self.p(services, self.body)]
                if cell.key_client:
                    parts.append(self.p(self.key_words(cell), self.mark))
                    style.append(("BACKGROUND", (x, y), (x, y), PANEL))
                line.append(parts)
            rows.append(line)
        return self.grid(rows, style)

    def services_table(self) -> Table:
        rows = [
            [self.p(self.t(s.name), self.cell), self.p(self.t(s.description), self.body)]
            for s in (*self.tables.service_levels, *self.tables.services)
        ]
        return self.table(
            rows,
            colWidths=[HEAD_WIDTH + 20, CONTENT_WIDTH - HEAD_WIDTH - 20],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ],
        )

    # ------------------------------------------------------------------ cells

    def column_heads(self, last: str | None = None) -> list[object]:
        heads: list[object] = [self.p(self._("Capital / activity"), self.small)]
        for band in self.tables.activity:
            heads.append(self.band_head(self.t(band.name), self.t(band.turnover)))
        if last is not None:
            heads.append(self.p(last, self.cell))
        return heads

    def band_head(self, name: str, detail: str) -> list[Paragraph]:
        return [self.p(name, self.cell), self.p(detail, self.small)]

    def count_cell(
        self, clients: int, capital: float, total: int, cell: CellCount | None = None
    ) -> list[Paragraph]:
        parts = [
            self.p(f"{clients:,}", self.count),
            self.p(f"{clients / total:.1%}", self.small),
            self.p(self.money(capital), self.small),
        ]
        if cell is not None and cell.key_client:
            parts.append(self.p(self.key_words(cell), self.mark))
        return parts

    def key_words(self, cell: CellCount) -> str:
        words = f"{KEY_MARK} {self._('Key client')}"
        if cell.segment == self.tables.most_important_segment:
            words += " · " + self._("the most important segment")
        return words

    def grid(self, rows: list[list[object]], style: list[Any], *, totals: bool = False) -> Table:
        bands = len(self.tables.activity) + (1 if totals else 0)
        width = (CONTENT_WIDTH - HEAD_WIDTH) / bands
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 1, ACCENT),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            *style,
        ]
        if totals:
            commands += [
                ("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT),
                ("LINEBEFORE", (-1, 0), (-1, -1), 1, ACCENT),
            ]
        return self.table(rows, colWidths=[HEAD_WIDTH] + [width] * bands, style=commands)

    def capital_range(self, index: int) -> str:
        band = self.tables.capital[index]
        if band.max_cny is None:
            return f"≥ {self.money(band.min_cny)}"
        if band.min_cny == 0:
            return f"< {self.money(band.max_cny + 1)}"
        return f"≥ {self.money(band.min_cny)}, < {self.money(band.max_cny + 1)}"

    def money(self, yuan: float) -> str:
        if self.lang == "zh_CN":
            if yuan >= 10000:
                return f"{yuan / 10000:,.1f}".removesuffix(".0") + "万元"
            return f"{yuan:,.0f}元"
        return f"{yuan:,.0f} yuan"
