"""The client's page of the sheet (SPEC §11): levels, allocation and its explanation,
answers and points, life stage, services, and the footer with its QR code."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.barcode.qrencoder import QRAlphaNum
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table
from reportlab.platypus.flowables import HRFlowable

from kiosk import palette
from kiosk.engine import sheet_code
from kiosk.engine.model import Question, Service
from kiosk.report.charts import CLASS_FILLS, INK, box, donut, drawing_in, gauge
from kiosk.report.document import CONTENT_WIDTH
from kiosk.report.explanation import explanation_block, limited_by
from kiosk.report.logo import LOGO_SIZE, load_logo
from kiosk.report.parts import ACCENT, PANEL, RULE, SheetParts, escape_markup
from kiosk.wording import Explained, answer, explanation_lines

QR_SYMBOL = 25.4 * mm
"""The QR symbol's width without its quiet zone: a counter's scanner reads it at
≥ 2.5 cm (SPEC §16)."""
QR_QUIET_ZONE = 4
"""Modules of white around the symbol, as ISO/IEC 18004 asks."""
# Alphanumeric characters a version 1–10 symbol holds at error correction M.
_QR_CAPACITY_M = (20, 38, 61, 90, 122, 154, 178, 221, 262, 311)


def _qr_version(payload: str) -> int:
    """The smallest QR version that holds `payload` in alphanumeric mode at level M: the
    symbol's size is known before it is encoded (encoding it is the costly part)."""
    return next((v for v, capacity in enumerate(_QR_CAPACITY_M, 1) if len(payload) <= capacity), 10)


class ClientPage(SheetParts):
    """The page handed to the client, as flowables (fitted to one A4 page by build_sheet)."""

    @cached_property
    def explained(self) -> Explained:
        """The explanation (SPEC §15) in the words the result screen uses too."""
        return explanation_lines(self.tables, self.profile, self.lang)

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

    def flowables(self) -> list[Flowable]:
        """The page above its footer: build_sheet shrinks these to fit, and sets the
        footer (footer_block) below them at its own size, so that the QR keeps its size."""
        explanation = explanation_block(self, self.explained)
        return [
            self.title_block(),
            HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=4, spaceAfter=6),
            self.levels_block(),
            self.section(self._("Suggested asset allocation")),
            self.allocation_block(),
            *([] if explanation is None else [explanation]),
            self.section(self._("Your answers and their points")),
            self.answers_table(),
            *self.other_answers(),
            self.section(self._("Your stage of life")),
            self.stages_block(),
            self.section(self._("Services we offer you")),
            self.services_block(),
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
                        f"&nbsp;&nbsp;&nbsp;{escape_markup(level_name)}",
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
            [[chart, [legend, limited_by(self, self.explained)]]],
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
        """The sheet code (SPEC §16): the header's, or an unsigned one made here."""
        if self.header.sheet_code:
            return self.header.sheet_code
        return sheet_code.encode(self.q, self.profile.answers, self.header.sheet_number, None)

    def qr(self) -> Drawing:
        """The QR of the sheet code: alphanumeric mode, error correction M, the symbol at
        least QR_SYMBOL wide, inside its quiet zone of QR_QUIET_ZONE modules.

        The drawing's box leaves out the bottom quiet zone, which is drawn below it (the
        footer is the page's last block: below it is white margin), so that the QR costs
        the page no more height than it must."""
        payload = self.qr_payload()
        version = _qr_version(payload)
        modules = 17 + 4 * version
        size = QR_SYMBOL * (modules + 2 * QR_QUIET_ZONE) / modules
        quiet = QR_SYMBOL * QR_QUIET_ZONE / modules
        widget = QrCodeWidget(
            # Alphanumeric mode, said rather than guessed (ValueError for any other
            # character); reportlab takes a list of segments, its stubs only a str.
            [QRAlphaNum(payload)],  # type: ignore[arg-type]
            barLevel="M",
            qrVersion=version,
            barBorder=QR_QUIET_ZONE,
            barWidth=size,
            barHeight=size,
            y=-quiet,
        )
        drawing = drawing_in(self.font, size, size - quiet)
        drawing.add(widget)
        return drawing

    def footer_block(self, width: float = CONTENT_WIDTH, qr: Drawing | None = None) -> Table:
        """The QR (`qr`: made now when None) and the risk notice, `width` wide."""
        _ = self._
        qr = qr or self.qr()
        size = qr.width
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
            colWidths=[size + 10, width - size - 10],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (1, 0), (1, 0), 0.8, INK),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
                # The QR's own quiet zone is white enough above and below it.
                ("TOPPADDING", (0, 0), (0, 0), 0),
                ("BOTTOMPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (1, 0), (1, 0), 5),
                ("BOTTOMPADDING", (1, 0), (1, 0), 5),
            ],
        )


def _subtotal_labels(
    parts: dict[tuple[str, str], tuple[str, str]], section: str, subtotals: dict[str, int]
) -> Sequence[tuple[tuple[str, str], int]]:
    out = []
    for (sec, _kind), (letter, label) in parts.items():
        if sec == section and letter in subtotals:
            out.append(((letter, label), subtotals[letter]))
    return out
