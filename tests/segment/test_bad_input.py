"""Bad client lists (SPEC §17, §12): exit 2 with one line naming the line and column, or,
with --skip-bad, the row in the rejects file with its reason; in = out + rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.segment.helpers import (
    ENGLISH,
    counts,
    read_csv,
    read_xlsx,
    run_segment,
    write_csv,
    write_xlsx,
)

GOOD = ["1", "good", 5000, 2]

# (the bad row, what the one line says, the line it names)
BAD_ROWS = [
    (["2", "a", "abc", 1], "line 3, column capital_cny: 'abc' is not a number", 3),
    (["2", "a", 5000, "1.5x"], "line 3, column turnover: '1.5x' is not a number", 3),
    (["2", "a", -5, 1], "line 3, column capital_cny: '-5' is negative", 3),
    (["2", "a", 5000, "-0.5"], "line 3, column turnover: '-0.5' is negative", 3),
    (["2", "a", "nan", 1], "line 3, column capital_cny: 'nan' is not a number", 3),
    (["2", "a", "", 1], "line 3, column capital_cny: is empty", 3),
    (["", "a", 5000, 1], "line 3, column client_ref: is empty", 3),
    (["1", "again", 5000, 1], "line 3, column client_ref: '1' is already on line 2", 3),
    (["", "", "", ""], "line 3: is empty; expected a client", 3),
    (["2", "a", 5000, 1, "extra"], "line 3: has 5 cells; expected at most 4", 3),
    (["1.23457E+17", "a", 5000, 1], "line 3, column client_ref: '1.23457E+17' is a number", 3),
]


def bad_list(tmp_path: Path, bad: list[object]) -> Path:
    # The bad row between two good ones: an empty row is bad only with a row after it.
    return write_csv(tmp_path / "in.csv", ENGLISH, [GOOD, bad, ["3", "after", 2_000_000, 12]])


@pytest.mark.parametrize(("bad", "expected", "line"), BAD_ROWS)
def test_a_bad_row_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: list[object], expected: str, line: int
) -> None:
    source = bad_list(tmp_path, bad)
    result = run_segment(capsys, "--in", source, "--out", tmp_path / "out.csv")
    assert result.code == 2
    assert result.err.count("\n") == 1, "one line"
    assert result.err.startswith(f"{source}: ")
    assert expected in result.err
    assert f"line {line}" in result.err
    assert result.out == ""
    assert not (tmp_path / "out.csv").exists(), "no half-written output"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("bad", "expected", "line"), BAD_ROWS)
def test_skip_bad_sets_the_row_aside_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: list[object], expected: str, line: int
) -> None:
    source = bad_list(tmp_path, bad)
    result = run_segment(
        capsys, "--in", source, "--out", tmp_path / "out.csv", "--skip-bad", tmp_path / "bad.csv"
    )
    assert result.code == 0, result.err
    assert counts(result.out) == (3, 2, 1)
    assert [row[0] for row in read_csv(tmp_path / "out.csv")[1:]] == ["1", "3"]
    rejected = read_csv(tmp_path / "bad.csv")
    assert rejected[0] == [*ENGLISH, "reason"]
    assert len(rejected) == 2
    reason = rejected[1][-1]
    assert expected.split(": ", 1)[0] in reason
    assert f"line {line}" in reason
    kept = [str(cell) for cell in bad]
    assert [c.lstrip("'") for c in rejected[1][: len(kept)]] == kept  # the row as it was


def test_many_bad_rows_and_counts_that_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[object]] = []
    for number in range(200):
        rows.append([str(number), "n", -1 if number % 7 == 0 else number * 1000, 1])
    rows += [["5", "dup", 1, 1], [], ["last", "x", 1, 1]]
    source = write_csv(tmp_path / "in.csv", ENGLISH, rows)
    result = run_segment(
        capsys, "--in", source, "--out", tmp_path / "out.csv", "--skip-bad", tmp_path / "bad.csv"
    )
    rows_in, rows_out, rejected = counts(result.out)
    assert rows_in == len(rows) == rows_out + rejected
    assert rejected == 29 + 1 + 1  # every 7th negative, one duplicate, one empty row
    assert len(read_csv(tmp_path / "out.csv")) - 1 == rows_out
    assert len(read_csv(tmp_path / "bad.csv")) - 1 == rejected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["client_ref", "name", "turnover"],
            "line 1: the header row has no column capital_cny (资产(元)); expected",
        ),
        (
            ["id", "money", "speed"],
            "no column client_ref (客户编号), capital_cny (资产(元)), turnover (年周转率)",
        ),
        (["client_ref", "客户编号", "capital_cny", "turnover"], "column client_ref is given twice"),
    ],
)
def test_a_missing_column_stops_even_with_skip_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: list[str], expected: str
) -> None:
    source = write_csv(tmp_path / "in.csv", header, [["1"] * len(header)])
    result = run_segment(
        capsys, "--in", source, "--out", tmp_path / "out.csv", "--skip-bad", tmp_path / "bad.csv"
    )
    assert result.code == 2
    assert expected in result.err
    assert result.err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "bad.csv").exists()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("list.pdf", b"%PDF-1.7\n\x00\x01binary", "is not text (it holds binary data)"),
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "Excel 97-2003 workbook"),
        ("list.csv", "client_ref,capital_cny\n".encode("utf-16"), "is UTF-16 text"),
        ("list.csv", b"", "is empty"),
        ("list.xlsx", b"PK\x03\x04 not really a zip", "is not an XLSX workbook"),
        ("list.csv", b"a,b\n\x80\x81\xff not text", "neither UTF-8 nor GB18030/GBK"),
    ],
)
def test_a_file_that_is_no_client_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, expected: str
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / ("out.xlsx" if data.startswith(b"PK") else "out.csv")
    result = run_segment(
        capsys, "--in", source, "--out", out, "--skip-bad", tmp_path / f"bad{out.suffix}"
    )
    assert result.code == 2
    assert expected in result.err
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_a_bad_cell_in_a_workbook_names_its_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_xlsx(
        tmp_path / "in.xlsx", ENGLISH, [GOOD, ["2", "a", "lots", 1], ["3", "b", True, 1]]
    )
    result = run_segment(capsys, "--in", source, "--out", tmp_path / "out.xlsx")
    assert result.code == 2
    assert "row 3, column capital_cny (C): 'lots' is not a number" in result.err
    result = run_segment(
        capsys, "--in", source, "--out", tmp_path / "out.xlsx", "--skip-bad", tmp_path / "bad.xlsx"
    )
    assert counts(result.out) == (3, 1, 2)
    reasons = [row[-1] for row in read_xlsx(tmp_path / "bad.xlsx")[1:]]
    assert "row 4, column capital_cny (C): 'True' is not a number" in str(reasons[1])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--out", "{tmp}/out.xlsx"], "--out {tmp}/out.xlsx: the input is CSV, so expected a .csv"),
        (["--out", "{tmp}/in.csv"], "is the input list"),
        (["--out", "{tmp}/out.csv", "--skip-bad", "{tmp}/out.csv"], "must be different files"),
        (["--out", "{tmp}/out.csv", "--summary", "{tmp}/s.txt"], "expected a .pdf file name"),
        (["--out", "{tmp}/no/out.csv"], "its folder {tmp}/no does not exist"),
        (["--out", "/dev/null"], "is not a regular file"),
    ],
)
def test_outputs_are_checked_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    source = write_csv(tmp_path / "in.csv", ENGLISH, [GOOD])
    result = run_segment(capsys, "--in", source, *[a.format(tmp=tmp_path) for a in args])
    assert result.code == 2
    assert expected.format(tmp=tmp_path) in result.err
    assert source.read_bytes().startswith(b"client_ref")  # the input untouched
