"""The recommendation sheet (SPEC §11): one A4 page for the client, an optional staff page.

Built from the engine's Profile and Questionnaire only; every label comes from the
questionnaire data or the interface catalogue, in the sheet's language. The pages are
kiosk.report.client_page and kiosk.report.staff_page (on kiosk.report.parts); the page
size and the watermark are kiosk.report.document, the logo kiosk.report.logo.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, KeepInFrame, PageBreak

from kiosk import __version__
from kiosk.engine import Profile, Questionnaire
from kiosk.i18n import texts
from kiosk.report.client_page import ClientPage
from kiosk.report.document import CONTENT_WIDTH, MARGIN_X, MARGIN_Y, PAGE_HEIGHT, SheetDocument
from kiosk.report.fonts import register_fonts
from kiosk.report.staff_page import StaffPage

FRAME_PADDING = 6.0
"""reportlab's default padding inside the page's frame, on each side."""


@dataclass(frozen=True)
class SheetHeader:
    """What the sheet needs beyond the profile: who issues it, when, under which number."""

    branch_name: str
    sheet_number: str
    issued_at: datetime
    logo: Path | None = None
    sheet_code: str = ""
    """The sheet code of SPEC §16 for the QR (kiosk.issuing signs it); empty: the sheet
    makes an unsigned one from the profile."""


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
    client = ClientPage(questionnaire, profile, header, lang, font)
    # The footer with the QR is never shrunk (the counter's scanner needs its size): the
    # rest of the page is fitted into the room above it (the QR's quiet zone keeps the
    # two apart).
    footer = _Footer(client)
    room = PAGE_HEIGHT - 2 * MARGIN_Y - 2 * FRAME_PADDING - footer.height - 1
    footer.body = KeepInFrame(CONTENT_WIDTH, room, client.flowables(), mode="shrink")
    story: list[Flowable] = [footer.body, footer]
    if staff_copy:
        story += [PageBreak(), *StaffPage(questionnaire, profile, header, lang, font).flowables()]
    out = io.BytesIO()
    _ = texts(lang)
    document = SheetDocument(
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


class _Footer(Flowable):
    """The client page's footer at its own size, but as wide on the page as the tables
    of the body above it, which KeepInFrame lays out wider than the page and shrinks;
    centred like them, so that their edges line up."""

    def __init__(self, client: ClientPage) -> None:
        super().__init__()
        self.hAlign = "CENTER"
        self.client = client
        self.qr = client.qr()  # encoded once
        self.table = client.footer_block(CONTENT_WIDTH, self.qr)
        self.width, self.height = self.table.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
        self.body: KeepInFrame | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        # KeepInFrame.wrap, called before this one, leaves its shrink factor in _scale.
        scale = getattr(self.body, "_scale", 1.0)
        self.table = self.client.footer_block(CONTENT_WIDTH / scale, self.qr)
        self.width, self.height = self.table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)
