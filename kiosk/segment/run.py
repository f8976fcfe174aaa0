"""Segmenting a client list (SPEC §17): every row read, checked, given its segment and
service plan, and written out in the same order; a bad row stops the run or, with a
rejects file, goes there with its reason. The counts per cell feed the summary page."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.engine import Tables
from kiosk.engine.segmenting import Segmenter
from kiosk.segment.formats import ListError, ListFile, RowWriter, read_rows
from kiosk.segment.values import (
    ADDED,
    FORMULA_CELL,
    CellError,
    Columns,
    client_ref_text,
    find_columns,
    needs_neutralising,
    neutralise,
    parse_number,
)

WHAT_CAPITAL = "the capital in CNY, a number >= 0"
WHAT_TURNOVER = "the yearly turnover ratio, a number >= 0"
_INFINITY = float("inf")
REASON = "reason"
"""The column a rejects file adds: why the row was refused, naming its line and column."""


@dataclass(frozen=True)
class CellCount:
    """One cell of the 3 x 3 table: how many clients, with how much capital in all."""

    capital: str
    activity: str
    segment: str
    key_client: bool
    clients: int
    capital_cny: float


@dataclass(frozen=True)
class SegmentRun:
    """What a run did: rows in = out + rejected, and the counts per cell."""

    source: ListFile
    rows_in: int
    rows_out: int
    rejected: int
    cells: tuple[tuple[CellCount, ...], ...]
    """cells[capital band][activity band], in the tables' order (small first, static first)."""


@dataclass(frozen=True)
class Plan:
    """How the service plan is written into the added columns: the names of the service
    level and contents in the output's language (key_client is true or false)."""

    separator: str
    name: Callable[[Any], str]
    """A data text (tables.toml) in the output's language."""


def segment_list(
    source: ListFile, out: Path, tables: Tables, plan: Plan, *, rejects: Path | None = None
) -> SegmentRun:
    """Segment `source` into `out` (and refused rows into `rejects`, when given).

    ListError: the list cannot be used (no header, a column missing), or, without
    `rejects`, its first bad row, naming line and column; the outputs are then not written.
    """
    with read_rows(source) as rows:
        header = _header(rows)
        if header is None:
            raise ListError(
                f"{source.path}: has no header row; expected the columns client_ref, "
                "capital_cny, turnover (or 客户编号, 资产(元), 年周转率)"
            )
        line, cells = header
        try:
            columns = find_columns(cells)
        except CellError as exc:
            raise ListError(f"{source.path}: {source.where} {line}: {exc}") from None
        writers: list[RowWriter] = []
        try:
            writer = RowWriter(out, source.kind)
            writers.append(writer)
            refused = RowWriter(rejects, source.kind) if rejects is not None else None
            writers += [refused] if refused is not None else []
            run = _Run(source, columns, Segmenter(tables), plan, writer=writer, refused=refused)
            result = run.rows(rows)
            for each in writers:  # both complete on disk before either is put in place
                each.finish()
            for each in writers:
                each.commit()
        finally:
            for each in writers:
                each.discard()
    return result


def _header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    """The first row that is not blank."""
    for line, cells in rows:
        if not _blank(cells):
            return line, cells
    return None


def _blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or (type(cell) is str and not cell.strip()) for cell in cells)


class _Run:
    def __init__(
        self,
        source: ListFile,
        columns: Columns,
        segmenter: Segmenter,
        plan: Plan,
        *,
        writer: RowWriter,
        refused: RowWriter | None,
    ) -> None:
        self.source = source
        self.columns = columns
        self.segmenter = segmenter
        self.writer = writer
        self.refused = refused
        self.width = len(columns.header)
        self.blank: object = "" if source.kind == "csv" else None
        present = [(index, name) for index, name in zip(columns.added, ADDED, strict=True)]
        self.tails: list[list[str]] = []
        """Per cell (capital index x activity bands + activity index): the added values."""
        self.fills: list[list[tuple[int, str]]] = []
        """Per cell: (index, value) for the added columns the list already has."""
        for row in segmenter.cells:
            for cell in row:
                values = {
                    "segment": cell.segment.id,
                    "key_client": "true" if cell.segment.key_client else "false",
                    "service_level": plan.name(
                        segmenter.tables.service_level(cell.service_level).name
                    ),
                    "services": plan.separator.join(
                        plan.name(segmenter.tables.service(s).name) for s in cell.services
                    ),
                }
                self.tails.append([values[name] for index, name in present if index is None])
                self.fills.append(
                    [(index, values[name]) for index, name in present if index is not None]
                )
        added = [name for index, name in present if index is None]
        header = list(columns.header)
        writer.write(self.safe(header) + added)
        if refused is not None:
            refused.write([*self.safe(header), REASON])

    def safe(self, row: list[Any]) -> list[Any]:
        """The row with every formula-looking text cell neutralised."""
        if self.source.kind == "csv":
            return [neutralise(c) for c in row] if needs_neutralising(row) else row
        return [neutralise(c) if type(c) is str else c for c in row]

    def rows(self, rows: Iterator[tuple[int, list[Any]]]) -> SegmentRun:  # noqa: PLR0912, PLR0915 - the hot loop in one piece
        columns, width = self.columns, self.width
        ref_at, capital_at, turnover_at = columns.client_ref, columns.capital_cny, columns.turnover
        cell_index = self.segmenter.cell_index
        tails, fills, write = self.tails, self.fills, self.writer.write
        formula = FORMULA_CELL.search if self.source.kind == "csv" else None
        refill = any(fills)
        counts = [0] * len(tails)
        sums = [0.0] * len(tails)
        seen: dict[str, int] = {}
        empty: list[tuple[int, list[Any]]] = []
        rows_in = rows_out = rejected = 0
        for line, cells in rows:
            if (len(cells) != width or not cells[ref_at]) and _blank(cells):
                empty.append((line, cells))  # bad only when a row follows
                continue
            if empty:
                for number, blank in empty:
                    rows_in += 1
                    rejected += 1
                    self.refuse(number, blank, None, CellError("is empty; expected a client"))
                empty.clear()
            rows_in += 1
            column = None
            row = cells
            try:
                if len(row) != width:
                    row = self.fit(row)
                column = ref_at
                ref = row[ref_at]
                if type(ref) is not str or not ref.isdigit():  # the common case: digits
                    ref = client_ref_text(ref)
                    row[ref_at] = ref
                column = capital_at
                value = row[capital_at]
                try:
                    capital = float(value) if type(value) is str else -1.0
                except ValueError:
                    capital = -1.0
                if not 0 <= capital < _INFINITY:  # also NaN; the slow path says why
                    capital = parse_number(value, WHAT_CAPITAL)
                column = turnover_at
                value = row[turnover_at]
                try:
                    turnover = float(value) if type(value) is str else -1.0
                except ValueError:
                    turnover = -1.0
                if not 0 <= turnover < _INFINITY:
                    turnover = parse_number(value, WHAT_TURNOVER)
                key = ref.strip()
                first = seen.setdefault(key, line)
                if first != line:
                    column = ref_at
                    raise CellError(
                        f"{ref!r} is already on {self.source.where} {first}; "
                        "expected each client once"
                    )
            except CellError as exc:
                rejected += 1
                self.refuse(line, row, column, exc)
                continue
            index = cell_index(capital, turnover)
            if formula is None:
                row = [neutralise(c) if type(c) is str else c for c in row]
            elif formula("\x00" + "\x00".join(row)):
                row = [neutralise(c) for c in row]
            if refill:
                for at, text in fills[index]:
                    row[at] = text
            row += tails[index]
            write(row)
            rows_out += 1
            counts[index] += 1
            sums[index] += capital
        per_row = len(self.segmenter.activity)
        return SegmentRun(
            self.source,
            rows_in,
            rows_out,
            rejected,
            tuple(
                tuple(
                    CellCount(
                        capital=cell.segment.capital,
                        activity=cell.segment.activity,
                        segment=cell.segment.id,
                        key_client=cell.segment.key_client,
                        clients=counts[a * per_row + b],
                        capital_cny=sums[a * per_row + b],
                    )
                    for b, cell in enumerate(cells)
                )
                for a, cells in enumerate(self.segmenter.cells)
            ),
        )

    def fit(self, row: list[Any]) -> list[Any]:
        """A row as wide as the header: short rows padded, extra blank cells dropped."""
        if len(row) < self.width:
            return row + [self.blank] * (self.width - len(row))
        if _blank(row[self.width :]):
            return row[: self.width]
        raise CellError(
            f"has {len(row)} cells; expected at most {self.width}, as in the header row "
            "(a comma in a value must be inside double quotes)"
        )

    def refuse(self, line: int, row: list[Any], column: int | None, exc: CellError) -> None:
        where = f"{self.source.where} {line}"
        if column is not None:
            where += f", column {self.columns.name(column)}"
            if self.source.kind == "xlsx":  # as the spreadsheet shows it too
                from openpyxl.utils import get_column_letter  # noqa: PLC0415

                where += f" ({get_column_letter(column + 1)})"
        reason = f"{where}: {exc}"
        if self.refused is None:
            raise ListError(f"{self.source.path}: {reason}")
        self.refused.write([*self.safe(list(row)), reason])
