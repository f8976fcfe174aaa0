"""Client lists for the tests of `kiosk segment`: written as CSV (any encoding) or XLSX,
and read back."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kiosk import cli

ENGLISH = ["client_ref", "name", "capital_cny", "turnover"]
CHINESE = ["客户编号", "姓名", "资产(元)", "年周转率"]
ADDED = ["segment", "key_client", "service_level", "services"]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run_segment(capsys: pytest.CaptureFixture[str], *args: object) -> Result:
    code = cli.main(["segment", *map(str, args)])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str = "utf-8"
) -> Path:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV out is UTF-8 with a BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def read_xlsx(path: Path) -> list[list[object]]:
    book = load_workbook(path, read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def counts(out: str) -> tuple[int, int, int]:
    """The counts `kiosk segment` prints: in = out + rejected."""
    words = out.split()
    return (
        int(words[0].replace(",", "")),
        int(words[3].replace(",", "")),
        int(words[6].replace(",", "")),
    )
