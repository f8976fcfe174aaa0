"""`kiosk segment --summary`: one A4 page with the 3 x 3 table and the service plan."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.engine import Questionnaire
from kiosk.engine.segmenting import Segmenter
from tests.segment.helpers import ENGLISH, counts, read_csv, run_segment, write_csv

A4 = (595.28, 841.89)


def summary_text(path: Path) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    page = reader.pages[0]
    size = (float(page.mediabox.width), float(page.mediabox.height))
    return len(reader.pages), page.extract_text(), size


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_summary_is_one_a4_page_with_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], questionnaire: Questionnaire, lang: str
) -> None:
    segmenter = Segmenter(questionnaire.tables)
    # Clients in every cell, a different number in each: 1 in the first, 2 in the next...
    rows: list[list[object]] = []
    capitals = [band.min_cny for band in segmenter.capital]
    turnovers = [band.min_turnover for band in segmenter.activity]
    for a, capital in enumerate(capitals):
        for b, turnover in enumerate(turnovers):
            rows += [[f"{a}{b}-{n}", "x", capital, turnover] for n in range(3 * a + b + 1)]
    rows.append(["bad", "x", "lots", 1])
    source = write_csv(tmp_path / "in.csv", ENGLISH, rows)
    pdf = tmp_path / "summary.pdf"
    result = run_segment(
        capsys,
        "--in", source, "--out", tmp_path / "out.csv", "--skip-bad", tmp_path / "bad.csv",
        "--summary", pdf, "--lang", lang,
    )  # fmt: skip
    assert result.code == 0, result.err
    rows_in, rows_out, rejected = counts(result.out)
    assert (rows_in, rejected) == (len(rows), 1)
    pages, text, size = summary_text(pdf)
    assert pages == 1
    assert size == pytest.approx(A4, abs=0.5)
    numbers = [int(n.replace(",", "")) for n in re.findall(r"(?<![\d.,%])\d[\d,]*(?![\d.%])", text)]
    for count in range(1, 10):
        assert count in numbers, f"{count} clients in a cell"
    assert rows_out in numbers  # the total
    tables = questionnaire.tables
    for band in (*tables.capital, *tables.activity):
        assert band.name.get(lang) in text
    for service in (*tables.service_levels, *tables.services):
        assert service.name.get(lang) in text
        assert service.description.get(lang)[:6] in text
    assert text.count("★") >= len(tables.key_clients)
    # what the page counts is what the list says
    segments = [row[4] for row in read_csv(tmp_path / "out.csv")[1:]]
    assert len(segments) == rows_out


def test_segmenter_bands_follow_the_data(questionnaire: Questionnaire) -> None:
    tables = questionnaire.tables
    segmenter = Segmenter(tables)
    for a, band in enumerate(tables.capital):
        assert segmenter.cell(band.min_cny, 0).segment.capital == band.id
        if a:
            below = segmenter.cell(band.min_cny - 0.01, 0).segment.capital
            assert below == tables.capital[a - 1].id
    for b, band in enumerate(tables.activity):
        assert segmenter.cell(0, band.min_turnover).segment.activity == band.id
        if b:
            below = segmenter.cell(0, band.min_turnover - 0.001).segment.activity
            assert below == tables.activity[b - 1].id
    for capital, turnover in ((-1, 0), (0, -0.5), (float("nan"), 1)):
        with pytest.raises(ValueError, match="must be numbers >= 0"):
            segmenter.cell(capital, turnover)
    cell = segmenter.cell(5_000_000, 50)
    assert cell.segment.id == tables.most_important_segment
    assert cell.segment.key_client
