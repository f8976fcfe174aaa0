"""The recommendation sheet (SPEC §11): one A4 page for the client, an optional staff page.

Built from the engine's Profile and Questionnaire only; every label comes from the
questionnaire data or the interface catalogue, in the sheet's language.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from kiosk import __version__, palette
from kiosk.engine import Profile, Questionnaire, Tables
from kiosk.engine.model import Question, Service
from kiosk.i18n import texts
from kiosk.report.charts import CLASS_FILLS, INK, MUTED, box, donut, drawing_in, gauge
from kiosk.report.fonts import register_fonts
from kiosk.wording import answer

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 14 * mm
MARGIN_Y = 11 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
RULE = colors.HexColor(palette.LINE)
PANEL = colors.HexColor(palette.SHADE)
ACCENT = colors.HexColor(palette.ACCENT)


LOGO_SIZE = 16 * mm
WATERMARK = colors.HexColor(palette.WARNING)
WATERMARK_ALPHA = 0.3
"""Over the page, so that no panel or chart hides it, and light enough to read through."""


def load_logo(path: Path, size: float, font: str | None = None) -> Flowable | None:
    """A PNG or SVG logo scaled to fit `size` × `size`; None when it cannot be read.

    A missing or broken logo never stops a client's sheet: `kiosk check-config` reports it.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".png":
            image = Image(str(path))
            scale = min(size / image.drawWidth, size / image.drawHeight)
            image.drawWidth *= scale
            image.drawHeight *= scale
            return image
        if suffix == ".svg":
            from svglib.svglib import svg2rlg  # noqa: PLC0415 - only for SVG logos

            drawing = svg2rlg(str(path))
            if drawing is None or not drawing.width or not drawing.height:
                return None
            if font is not None:
                drawing.initialFontName = font  # type: ignore[attr-defined]  # not in the stubs
                _use_font(drawing, font)
            scale = min(size / drawing.width, size / drawing.height)
            drawing.scale(scale, scale)
            drawing.width *= scale
            drawing.height *= scale
            return drawing
    except Exception:  # any unreadable image: the sheet goes without it
        return None
    return None


def _use_font(node: Any, font: str) -> None:
    """Draw an SVG's text in the sheet's embedded font (its own fonts lack Chinese)."""
    if isinstance(node, String):
        node.fontName = font
    for child in getattr(node, "contents", ()):
        _use_font(child, font)


@dataclass(frozen=True)
class SheetHeader:
    """What the sheet needs beyond the profile: who issues it, when, under which number."""

    branch_name: str
    sheet_number: str
    issued_at: datetime
    logo: Path | None = None


def build_sheet(
    questionnaire: Questionnaire,
    profile: Profile,
    header: SheetHeader,
    *,
    lang: str,
    staff_copy: bool = False,
    watermark: Sequence[str] = (),
) -> bytes:
    """The sheet as PDF bytes: one page, or two with the staff copy.

    `watermark`: lines written large, diagonally across every page, over everything (a
    test page says so in every language, so that nobody takes it for a client's sheet).
    """
    font = register_fonts()
    sheet = _Sheet(questionnaire, profile, header, lang, font)
    story: list[Flowable] = [
        KeepInFrame(CONTENT_WIDTH, PAGE_HEIGHT - 2 * MARGIN_Y, sheet.client_page(), mode="shrink")
    ]
    if staff_copy:
        story += [PageBreak(), *sheet.staff_page()]
    out = io.BytesIO()
    _ = texts(lang)
    document = _Document(
        out,
        watermark=tuple(watermark),
        font=font,
        pagesize=A4,
        initialFontName=font,  # no unembedded Helvetica anywhere in the file
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=" ".join([_("Risk profile recommendation"), header.sheet_number]),
        author=header.branch_name,
        subject=_("Risk profile recommendation"),
        creator=f"branch-risk-kiosk {__version__}",
        lang="zh-CN" if lang == "zh_CN" else "en",
    )
    document.build(story)
    return out.getvalue()


class _Document(SimpleDocTemplate):
    """The sheet's document: draws the watermark, if any, over each finished page."""

    def __init__(self, out: io.BytesIO, *, watermark: tuple[str, ...], font: str, **options: Any):
        super().__init__(out, **options)
        self.watermark = watermark
        self.font = font

    def afterPage(self) -> None:  # noqa: N802 - reportlab's hook
        if self.watermark:
            draw_watermark(self.canv, self.watermark, self.font)


def draw_watermark(canvas: Canvas, lines: Sequence[str], font: str) -> None:
    """`lines` across the page along its diagonal, centred, each as large as fits (at most
    60 pt), in the sheet's embedded font."""
    diagonal = math.hypot(PAGE_WIDTH, PAGE_HEIGHT)
    sizes = [min(60.0, 0.8 * diagonal / stringWidth(line, font, 1)) for line in lines]
    size = min(sizes)  # one size for every line: they read as one stamp
    leading = size * 1.35
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFillAlpha(WATERMARK_ALPHA)
    canvas.setFont(font, size)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(math.degrees(math.atan2(PAGE_HEIGHT, PAGE_WIDTH)))
    top = (len(lines) - 1) * leading / 2 - size * 0.35
    for index, line in enumerate(lines):
        canvas.drawCentredString(0, top - index * leading, line)
    canvas.restoreState()


class _Sheet:
    def __init__(
        self,
        questionnaire: Questionnaire,
        profile: Profile,
        header: SheetHeader,
        lang: str,
        font: str,
    ) -> None:
        self.q = questionnaire
        self.tables: Tables = questionnaire.tables
        self.profile = profile
        self.header = header
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
        self, text: str, style: ParagraphStyle | None = None, *, escape: bool = True
    ) -> Paragraph:
        return Paragraph(_escape(text) if escape else text, style or self.body)

    def t(self, text: object) -> str:
        """A data text in the sheet's language."""
        get = getattr(text, "get")  # noqa: B009 - Text and TextList share get(lang)
        value: str = get(self.lang)
        return value

    def answer_text(self, question: Question, value: int | str) -> str:
        return answer(question, value, self.lang)  # the same words as the review screen

    def services(self) -> tuple[Service, list[Service]]:
        """The service level and services this client is offered (by segment when known)."""
        segment = self.profile.segment
        if segment is None:
            level = self.tables.service_level(self.tables.general_service_level)
            ids = list(self.tables.general_services)
        else:
            level = self.tables.service_level(
                self.tables.capital_band(segment.capital).service_level
            )
            ids = list(self.tables.activity_band(segment.activity).services)
            ids += [s for s in self.tables.general_services if s not in ids]
        return level, [self.tables.service(service_id) for service_id in ids]

    # ------------------------------------------------------------------ client page

    def client_page(self) -> list[Flowable]:
        return [
            self.title_block(),
            HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=4, spaceAfter=6),
            self.levels_block(),
            self.section(self._("Suggested asset allocation")),
            self.allocation_block(),
            self.section(self._("Your answers and their points")),
            self.answers_table(),
            *self.other_answers(),
            self.section(self._("Your stage of life")),
            self.stages_block(),
            self.section(self._("Services we offer you")),
            self.services_block(),
            Spacer(1, 6),
            self.footer_block(),
        ]

    def section(self, title: str) -> Paragraph:
        return self.p(title, self.h2)

    def title_block(self) -> Table:
        _ = self._
        issued = self.header.issued_at.strftime("%Y-%m-%d %H:%M")
        left: list[Flowable] = [
            self.p(self.header.branch_name, self.big),
            self.p(_("Risk profile recommendation"), self.h1),
        ]
        right = [
            self.p(" ".join([_("Sheet no."), self.header.sheet_number]), self.right),
            self.p(" ".join([_("Date"), issued]), self.right),
        ]
        cells: list[Any] = [left, right]
        widths = [CONTENT_WIDTH * 0.64, CONTENT_WIDTH * 0.36]
        logo = self.logo()
        if logo is not None:
            cells.insert(0, logo)
            widths = [
                LOGO_SIZE + 3 * mm,
                CONTENT_WIDTH * 0.64 - LOGO_SIZE - 3 * mm,
                CONTENT_WIDTH * 0.36,
            ]
        return self.table(
            [cells],
            colWidths=widths,
            style=[
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )

    def logo(self) -> Flowable | None:
        """The branch logo fitted into a 16 mm square, or None (the sheet goes without)."""
        path = self.header.logo
        return None if path is None else load_logo(path, LOGO_SIZE, self.font)

    def levels_block(self) -> Table:
        _ = self._
        panels = []
        for dimension, title, explain, name_of in (
            (
                self.profile.capacity,
                _("Risk capacity"),
                _("How well your finances could absorb a loss: age, income, family and assets."),
                "capacity",
            ),
            (
                self.profile.attitude,
                _("Risk attitude"),
                _("How comfortable you are with ups and downs: acceptable loss and habits."),
                "attitude",
            ),
        ):
            level = self.tables.level(dimension.level)
            level_name = self.t(getattr(level, name_of))
            bands = [(self.t(lv.name), lv.minimum, lv.maximum) for lv in self.tables.levels]
            width = CONTENT_WIDTH / 2 - 16
            panels.append(
                [
                    self.p(title, self.h2),
                    self.p(
                        f'<font size="24">{dimension.score}</font>'
                        f'<font size="10" color="{palette.MUTED}"> / 100</font>'
                        f"&nbsp;&nbsp;&nbsp;{_escape(level_name)}",
                        ParagraphStyle("score", parent=self.big, leading=27),
                        escape=False,
                    ),
                    gauge(width, bands, dimension.score, self.font),
                    Spacer(1, 3),
                    self.p(explain, self.small),
                ]
            )
        return self.table(
            [panels],
            colWidths=[CONTENT_WIDTH / 2] * 2,
            style=[
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("LINEAFTER", (0, 0), (0, 0), 6, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ],
        )

    def allocation_block(self) -> Table:
        shares = self.profile.allocation.as_tuple()
        rows = []
        for index, (risk_class, share) in enumerate(
            zip(self.tables.risk_classes, shares, strict=True)
        ):
            swatch = drawing_in(self.font, 12, 12)
            swatch.add(box(0, 0, 12, 12, fill=CLASS_FILLS[index], stroke=INK, line=0.4))
            examples = self._(", ").join(self.t(risk_class.examples))
            rows.append(
                [
                    swatch,
                    self.p(self.t(risk_class.name), self.cell),
                    self.p(f"{share}%", self.share),
                    self.p(examples, self.cell),
                ]
            )
        legend = self.table(
            rows,
            colWidths=[18, 92, 52, CONTENT_WIDTH - 150 - 162],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )
        labels = [self.t(c.name) for c in self.tables.risk_classes]
        chart = donut(120, list(zip(labels, shares, strict=True)), self.font)
        return self.table(
            [[chart, legend]],
            colWidths=[140, CONTENT_WIDTH - 140],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ],
        )

    def answers_table(self) -> Table:
        _ = self._
        head = [
            self.p(_("Part"), self.small),
            self.p(_("Question"), self.small),
            self.p(_("Your answer"), self.small),
            self.p(_("Points"), self.right),
        ]
        rows: list[list[Any]] = [head]
        style: list[Any] = []
        parts = {
            ("capacity", "number"): ("A", _("Age")),
            ("capacity", "choice"): ("B", _("Work, family and assets")),
            ("attitude", "number"): ("C", _("Acceptable loss")),
            ("attitude", "choice"): ("D", _("Investment attitude")),
        }
        answers = dict(self.profile.answers)
        for section, dimension, total_label in (
            ("capacity", self.profile.capacity, _("Risk capacity")),
            ("attitude", self.profile.attitude, _("Risk attitude")),
        ):
            subtotals: dict[str, int] = {}
            for question_id, points in dimension.points:
                question = self.q.question(question_id)
                letter, _label = parts[(section, question.kind)]
                subtotals[letter] = subtotals.get(letter, 0) + points
                rows.append(
                    [
                        self.p(letter, self.cell),
                        self.p(self.t(question.text), self.cell),
                        self.p(self.answer_text(question, answers[question_id]), self.cell),
                        self.p(
                            str(points), ParagraphStyle("pts", parent=self.cell, alignment=TA_RIGHT)
                        ),
                    ]
                )
            summary = " + ".join(
                f"{letter} {parts_label} {value}"
                for (letter, parts_label), value in _subtotal_labels(parts, section, subtotals)
            )
            rows.append(
                [
                    "",
                    self.p(f"{total_label} = {summary}", self.cell),
                    "",
                    self.p(
                        f'<font size="11">{dimension.score}</font>',
                        ParagraphStyle("tot", parent=self.cell, alignment=TA_RIGHT),
                        escape=False,
                    ),
                ]
            )
            row = len(rows) - 1
            style += [
                ("SPAN", (1, row), (2, row)),
                ("BACKGROUND", (0, row), (-1, row), PANEL),
                ("LINEABOVE", (0, row), (-1, row), 0.6, ACCENT),
            ]
        return self.table(
            rows,
            colWidths=[30, CONTENT_WIDTH * 0.5 - 15, CONTENT_WIDTH * 0.5 - 15 - 42, 42],
            repeatRows=1,
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                *style,
            ],
        )

    def other_answers(self) -> list[Flowable]:
        answers = dict(self.profile.answers)
        shown = [
            f"{self.t(q.text)} {self.answer_text(q, answers[q.id])}"
            for q in self.q.questions
            if not q.scored and q.id in answers
        ]
        if not shown:
            return []
        label = self._("Other answers (not scored):")
        return [
            Spacer(1, 2),
            self.p(f"{label} {self._('; ').join(shown)}", self.small),
        ]

    def stages_block(self) -> Table:
        _ = self._
        stage = self.tables.life_stage(self.profile.life_stage)
        ages = f"{stage.min_age}–{stage.max_age}" if stage.max_age < 120 else f"{stage.min_age}+"
        cells: list[list[Flowable]] = [
            [
                self.p(_("Life stage"), self.small),
                self.p(
                    _("{stage} (ages {ages})").format(stage=self.t(stage.name), ages=ages), self.big
                ),
                self.p(self.t(stage.trait), self.cell),
                self.p(_("Financial focus: {focus}").format(focus=self.t(stage.focus)), self.cell),
            ]
        ]
        if self.profile.life_cycle is not None:
            cycle = self.tables.life_cycle_stage(self.profile.life_cycle)
            cells.append(
                [
                    self.p(_("Family life cycle"), self.small),
                    self.p(self.t(cycle.name), self.big),
                    self.p(self.t(cycle.situation), self.cell),
                    self.p(_("Needs: {needs}").format(needs=self.t(cycle.needs)), self.cell),
                ]
            )
        width = CONTENT_WIDTH / len(cells)
        return self.table(
            [cells],
            colWidths=[width] * len(cells),
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("LINEAFTER", (0, 0), (-2, -1), 6, colors.white),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ],
        )

    def services_block(self) -> Table:
        level, services = self.services()
        rows = [
            [self.p(self.t(level.name), self.cell), self.p(self.t(level.description), self.cell)]
        ]
        rows += [
            [self.p(self.t(s.name), self.cell), self.p(self.t(s.description), self.cell)]
            for s in services
        ]
        return self.table(
            rows,
            colWidths=[100, CONTENT_WIDTH - 100],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ],
        )

    def qr_payload(self) -> str:
        profile = self.profile
        a = profile.allocation
        return (
            f"SHEET {self.header.sheet_number}; "
            f"Q {profile.questionnaire.id} {profile.questionnaire.version}; "
            f"CAPACITY {profile.capacity.score} {profile.capacity.level}; "
            f"ATTITUDE {profile.attitude.score} {profile.attitude.level}; "
            f"ALLOCATION {a.low_risk}/{a.medium_risk}/{a.high_risk}"
        )

    def footer_block(self) -> Table:
        _ = self._
        size = 62.0
        # Sized directly: measuring a QR widget (getBounds) would encode it a second time.
        widget = QrCodeWidget(self.qr_payload(), barLevel="M", barWidth=size, barHeight=size)
        qr = drawing_in(self.font, size, size)
        qr.add(widget)
        ref = self.profile.questionnaire
        notice = self.p(
            _(
                "For reference only; not investment advice. "
                "The formal suitability assessment is done at the branch counter."
            ),
            ParagraphStyle("notice", parent=self.body, fontSize=10, leading=13),
        )
        meta = self.p(
            " · ".join(
                [
                    " ".join([_("Questionnaire"), ref.id, ref.version]),
                    f"sha256 {ref.sha256[:12]}",
                    " ".join([_("Sheet no."), self.header.sheet_number]),
                ]
            ),
            self.small,
        )
        return self.table(
            [[qr, [notice, Spacer(1, 4), meta]]],
            colWidths=[size + 10, CONTENT_WIDTH - size - 10],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (1, 0), (1, 0), 0.8, INK),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )

    # ------------------------------------------------------------------ staff page

    def staff_page(self) -> list[Flowable]:
        _ = self._
        profile = self.profile
        capacity = self.t(self.tables.level(profile.capacity.level).capacity)
        attitude = self.t(self.tables.level(profile.attitude.level).attitude)
        rows: list[list[object]] = [
            [_("Sheet no."), self.header.sheet_number],
            [_("Risk capacity"), f"{profile.capacity.score} · {capacity}"],
            [_("Risk attitude"), f"{profile.attitude.score} · {attitude}"],
            [
                _("Suggested asset allocation"),
                " / ".join(
                    f"{self.t(c.name)} {s}%"
                    for c, s in zip(
                        self.tables.risk_classes, profile.allocation.as_tuple(), strict=True
                    )
                ),
            ],
        ]
        segment = profile.segment
        if segment is None:
            rows.append([_("Client segment"), _("Not answered")])
        else:
            capital = self.tables.capital_band(segment.capital)
            activity = self.tables.activity_band(segment.activity)
            name = self.t(self.tables.segment_label).format(
                activity=self.t(activity.name), capital=self.t(capital.name)
            )
            flag = _("Key client") if segment.key_client else _("Not a key client")
            if segment.id == self.tables.most_important_segment:
                flag += " · " + _("the most important segment")
            level = self.tables.service_level(capital.service_level)
            contents = [self.tables.service(s) for s in activity.services]
            rows += [
                [_("Client segment"), f"{name} ({segment.id})"],
                [_("Key client"), flag],
                [_("Capital"), self.t(capital.name)],
                [_("Activity"), f"{self.t(activity.name)} — {self.t(activity.turnover)}"],
                [_("Service level"), f"{self.t(level.name)} — {self.t(level.description)}"],
                [
                    _("Service content"),
                    _("; ").join(
                        _("{name}: {description}").format(
                            name=self.t(s.name), description=self.t(s.description)
                        )
                        for s in contents
                    ),
                ],
            ]
        table = self.table(
            [[self.p(str(k), self.small), self.p(str(v), self.body)] for k, v in rows],
            colWidths=[110, CONTENT_WIDTH - 110],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ],
        )
        return [
            self.p(self.header.branch_name, self.big),
            self.p(_("Staff copy"), self.h1),
            self.p(_("For branch staff only; do not hand to the client."), self.small),
            HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=4, spaceAfter=8),
            table,
        ]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _subtotal_labels(
    parts: dict[tuple[str, str], tuple[str, str]], section: str, subtotals: dict[str, int]
) -> Sequence[tuple[tuple[str, str], int]]:
    out = []
    for (sec, _kind), (letter, label) in parts.items():
        if sec == section and letter in subtotals:
            out.append(((letter, label), subtotals[letter]))
    return out
