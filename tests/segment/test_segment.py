"""`kiosk segment` (SPEC §17): client lists in CSV (UTF-8 or GBK) and XLSX, segmented by
the thresholds of SPEC §9, bad rows refused or set aside, and text made safe."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import run_kiosk
from tests.segment.helpers import (
    ADDED,
    CHINESE,
    ENGLISH,
    counts,
    read_csv,
    read_xlsx,
    run_segment,
    write_csv,
    write_xlsx,
)

# SPEC §9: small < 100,000 ≤ medium < 1,000,000 ≤ large; static < 1 ≤ stable < 10 ≤
# short-term; key clients: every large segment and short_term_medium.
SPEC_CASES = [
    ("0", "0", "static_small", "false"),
    ("99999.99", "0.99", "static_small", "false"),
    ("100000", "1", "stable_medium", "false"),
    ("999999.99", "9.99", "stable_medium", "false"),
    ("999999.99", "10", "short_term_medium", "true"),
    ("1000000", "0", "static_large", "true"),
    ("1,000,000", "10", "short_term_large", "true"),
    ("50000", "25", "short_term_small", "false"),
]


def clients(count: int, seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for number in range(count):
        rows.append(
            [
                f"{number:06d}",
                rng.choice("王李张刘陈") + "某",
                round(10 ** rng.uniform(3, 7), 2),
                round(10 ** rng.uniform(-1.5, 1.7), 2),
            ]
        )
    return rows


def test_the_segments_of_spec_section_9(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        [f"C{i}", "x", capital, turnover] for i, (capital, turnover, _, _) in enumerate(SPEC_CASES)
    ]
    source = write_csv(tmp_path / "in.csv", ENGLISH, rows)
    result = run_segment(capsys, "--in", source, "--out", tmp_path / "out.csv", "--lang", "en")
    assert result.code == 0, result.err
    out = read_csv(tmp_path / "out.csv")
    assert out[0] == ENGLISH + ADDED
    assert [(row[4], row[5]) for row in out[1:]] == [(s, k) for _, _, s, k in SPEC_CASES]
    assert out[3][6:] == ["Value-added service", "Professional advice"]
    assert out[7][6:] == ["Premium service", "Reminders; Professional advice"]
    assert counts(result.out) == (len(SPEC_CASES), len(SPEC_CASES), 0)


def test_a_gbk_csv_with_chinese_headers_and_an_xlsx_give_the_same_segments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = clients(300)
    gbk = write_csv(tmp_path / "clients.csv", CHINESE, rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")  # really GBK, not UTF-8 by chance
    book = write_xlsx(tmp_path / "clients.xlsx", ENGLISH, rows)
    for source, out in ((gbk, "out.csv"), (book, "out.xlsx")):
        result = run_segment(capsys, "--in", source, "--out", tmp_path / out, "--lang", "zh_CN")
        assert result.code == 0, result.err
        assert counts(result.out) == (300, 300, 0)
    from_csv = read_csv(tmp_path / "out.csv")
    from_xlsx = read_xlsx(tmp_path / "out.xlsx")
    assert from_csv[0] == CHINESE + ADDED
    assert from_xlsx[0] == ENGLISH + ADDED
    assert [row[:2] + row[4:] for row in from_csv[1:]] == [
        row[:2] + row[4:] for row in from_xlsx[1:]
    ]
    assert [row[0] for row in from_csv[1:]] == [row[0] for row in rows]  # same order
    assert {row[6] for row in from_csv[1:]} <= {"基础服务", "增值服务", "卓越服务"}
    assert len({row[4] for row in from_csv[1:]}) == 9  # every cell met


def test_utf8_with_and_without_bom_give_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = clients(50)
    plain = write_csv(tmp_path / "plain.csv", CHINESE, rows, encoding="utf-8")
    bom = write_csv(tmp_path / "bom.csv", CHINESE, rows, encoding="utf-8-sig")
    for source in (plain, bom):
        result = run_segment(capsys, "--in", source, "--out", tmp_path / f"out_{source.name}")
        assert result.code == 0, result.err
    first = (tmp_path / "out_plain.csv").read_bytes()
    assert first == (tmp_path / "out_bom.csv").read_bytes()
    assert read_csv(tmp_path / "out_plain.csv")[0][0] == "客户编号"  # no BOM in the header


def test_client_ref_is_kept_verbatim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refs = ["000123", "123456789012345678", "0000000000000000001", " A-7 ", "客户9"]
    rows = [[ref, "x", 5000, 2] for ref in refs]
    csv_in = write_csv(tmp_path / "in.csv", ENGLISH, rows)
    xlsx_in = write_xlsx(tmp_path / "in.xlsx", ENGLISH, rows)
    assert run_segment(capsys, "--in", csv_in, "--out", tmp_path / "out.csv").code == 0
    assert run_segment(capsys, "--in", xlsx_in, "--out", tmp_path / "out.xlsx").code == 0
    assert [row[0] for row in read_csv(tmp_path / "out.csv")[1:]] == refs
    book = load_workbook(tmp_path / "out.xlsx")
    sheet = book.worksheets[0]
    cells = [sheet.cell(row=r, column=1) for r in range(2, len(refs) + 2)]
    assert [c.value for c in cells] == refs
    assert {c.data_type for c in cells} == {"s"}  # text cells: never 1.23E+17


def test_a_number_cell_as_client_ref_in_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_xlsx(
        tmp_path / "in.xlsx", ENGLISH, [[4711, "a", 10, 1], [123, "b", 10, 1], [1.5e17, "c", 10, 1]]
    )
    book = load_workbook(source)
    sheet = book.worksheets[0]
    sheet.cell(row=3, column=1).number_format = "000000"  # shows 000123
    book.save(source)
    result = run_segment(
        capsys, "--in", source, "--out", tmp_path / "out.xlsx", "--skip-bad", tmp_path / "bad.xlsx"
    )
    assert result.code == 0, result.err
    assert [row[0] for row in read_xlsx(tmp_path / "out.xlsx")[1:]] == ["4711", "000123"]
    rejected = read_xlsx(tmp_path / "bad.xlsx")
    assert rejected[0] == [*ENGLISH, "reason"]
    assert "row 4, column client_ref (A)" in str(rejected[1][-1])
    assert "may have rounded" in str(rejected[1][-1])
    assert counts(result.out) == (3, 2, 1)


def test_formula_looking_text_is_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tcmd", "plain"]
    rows = [[f"R{i}", name, 1000, 1] for i, name in enumerate(names)]
    csv_in = write_csv(tmp_path / "in.csv", ENGLISH, rows)
    xlsx_in = write_xlsx(
        tmp_path / "in.xlsx", ENGLISH, [[r, n.lstrip("="), c, t] for r, n, c, t in rows]
    )
    # openpyxl would store "=..." as a formula: put the text in as a string cell instead.
    book = load_workbook(xlsx_in)
    book.worksheets[0].cell(row=2, column=2).value = names[0]
    book.worksheets[0].cell(row=2, column=2).data_type = "s"
    book.save(xlsx_in)
    assert run_segment(capsys, "--in", csv_in, "--out", tmp_path / "out.csv").code == 0
    expected = ["'" + n for n in names[:-1]] + ["plain"]
    assert [row[1] for row in read_csv(tmp_path / "out.csv")[1:]] == expected
    assert run_segment(capsys, "--in", xlsx_in, "--out", tmp_path / "out.xlsx").code == 0
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    written = [sheet.cell(row=r, column=2) for r in range(2, len(names) + 2)]
    assert written[0].value == "'" + names[0]
    assert {c.data_type for c in written} == {"s"}  # no formula in the workbook


def test_a_list_that_already_has_the_added_columns_gets_them_refilled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", ENGLISH, [["1", "x", 5_000_000, 20]])
    assert run_segment(capsys, "--in", source, "--out", tmp_path / "once.csv").code == 0
    once = read_csv(tmp_path / "once.csv")
    once[1][2] = "500"  # the client's capital fell
    write_csv(tmp_path / "again_in.csv", once[0], once[1:])
    assert (
        run_segment(capsys, "--in", tmp_path / "again_in.csv", "--out", tmp_path / "again.csv").code
        == 0
    )
    again = read_csv(tmp_path / "again.csv")
    assert again[0] == ENGLISH + ADDED
    assert again[1][4] == "short_term_small"


def test_an_empty_list_and_trailing_blank_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only_header = write_csv(tmp_path / "header.csv", CHINESE, [])
    result = run_segment(capsys, "--in", only_header, "--out", tmp_path / "o1.csv")
    assert (result.code, counts(result.out)) == (0, (0, 0, 0))
    trailing = write_csv(tmp_path / "t.csv", ENGLISH, [["1", "a", 1, 1], ["", "", "", ""], []])
    result = run_segment(capsys, "--in", trailing, "--out", tmp_path / "o2.csv")
    assert (result.code, counts(result.out)) == (0, (1, 1, 0))


def test_kiosk_segment_as_a_whole_process(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "名单.csv", CHINESE, clients(20), encoding="gbk")
    run = run_kiosk(
        "segment", "--in", str(source), "--out", str(tmp_path / "结果.csv"),
        "--summary", str(tmp_path / "汇总.pdf"), "--lang", "zh_CN",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.err == ""
    assert counts(run.out) == (20, 20, 0)
    assert (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF")
    bad = write_csv(tmp_path / "bad.csv", CHINESE, [["1", "x", "很多", 1]])
    run = run_kiosk("segment", "--in", str(bad), "--out", str(tmp_path / "o.csv"))
    assert run.code == 2
    assert run.err == (
        f"{bad}: line 2, column 资产(元): '很多' is not a number; "
        "expected the capital in CNY, a number >= 0\n"
    )
    assert "segment" in run_kiosk("--help").out
