"""The branch logo (PNG or SVG) on the sheet; a broken one never costs the client a sheet."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import WORKED_EXAMPLE
from tests.helpers import dark_share, render_gray, run_kiosk

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    '<rect x="0" y="0" width="100" height="100" fill="#000000"/></svg>'
)


def png(width: int, height: int, gray: int) -> bytes:
    """A real grey PNG, made with zlib only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + bytes([gray]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sheet_with_logo(tmp_path: Path, logo: Path | None) -> Path:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[branch]\nlogo = "{logo or ""}"\n', "utf-8")
    out = tmp_path / "sheet.pdf"
    run = run_kiosk(
        "--settings", str(settings), "report", "--answers", str(WORKED_EXAMPLE), "--out", str(out)
    )
    assert run.code == 0, run.err
    return out


def title_band_darkness(pdf: Path) -> float:
    """Share of dark pixels in the top 4 cm of the page, where the logo sits beside the
    title (how far from the left depends on how much the page was shrunk to fit)."""
    band = render_gray(pdf, "-r", "25", "-x", "0", "-y", "0", "-W", "207", "-H", "40")
    return dark_share(band, below=100)


needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (Debian: poppler-utils) is not installed"
)


@needs_pdftoppm
@pytest.mark.parametrize("kind", ["png", "svg"])
def test_logo_is_drawn(tmp_path: Path, kind: str) -> None:
    logo = tmp_path / f"logo.{kind}"
    if kind == "png":
        logo.write_bytes(png(64, 64, 0))
    else:
        logo.write_text(SVG, "utf-8")
    without = title_band_darkness(sheet_with_logo(tmp_path, None))
    with_logo = title_band_darkness(sheet_with_logo(tmp_path, logo))
    # A black 16 mm square is about 3 % of the band (25 dpi: 16 × 16 of 207 × 40 pixels).
    assert with_logo - without > 0.02


@pytest.mark.parametrize("content", [b"not an image", b"<svg"])
def test_a_broken_logo_still_gives_a_sheet_and_check_config_names_it(
    tmp_path: Path, content: bytes
) -> None:
    logo = tmp_path / ("logo.png" if content.startswith(b"not") else "logo.svg")
    logo.write_bytes(content)
    out = sheet_with_logo(tmp_path, logo)
    assert out.read_bytes().startswith(b"%PDF")
    run = run_kiosk("--settings", str(tmp_path / "settings.toml"), "check-config")
    assert run.code == 2
    assert "branch.logo" in run.out
    assert "cannot be read as a PNG or SVG image" in run.out


def test_a_missing_logo_is_named_by_check_config(tmp_path: Path) -> None:
    sheet_with_logo(tmp_path, tmp_path / "gone.png")
    run = run_kiosk("--settings", str(tmp_path / "settings.toml"), "check-config")
    assert run.code == 2
    assert "gone.png" in run.out
    assert "is not a file" in run.out


def test_svg_logo_text_uses_the_embedded_font(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        '<text x="10" y="60" font-size="40" font-family="sans-serif">示例</text></svg>',
        "utf-8",
    )
    reader = PdfReader(sheet_with_logo(tmp_path, logo))
    page = reader.pages[0]
    fonts = [str(ref.get_object()["/BaseFont"]) for ref in page["/Resources"]["/Font"].values()]
    assert fonts
    assert all("WenQuanYi" in name for name in fonts), fonts
    assert "示例" in page.extract_text()
