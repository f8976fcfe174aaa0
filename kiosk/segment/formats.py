"""Client list files: which kind a file is (CSV in UTF-8 or GB18030/GBK, or XLSX), its
rows streamed in, and rows streamed out to a file that appears whole or not at all."""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from kiosk.engine.errors import KioskError

Kind = Literal["csv", "xlsx"]
CHUNK = 1 << 20


class ListError(KioskError):
    """A client list (or an output for it) that cannot be used at all."""


@dataclass(frozen=True)
class ListFile:
    """A client list on disk: its kind, and a CSV's text encoding."""

    path: Path
    kind: Kind
    encoding: str = ""
    """utf-8-sig, utf-8 or gb18030 (GBK's superset) for a CSV; empty for XLSX."""

    @property
    def where(self) -> str:
        """How a row is named in messages: CSV counts lines, a workbook rows."""
        return "line" if self.kind == "csv" else "row"


def detect(path: Path) -> ListFile:
    """What kind of client list `path` is; ListError says why it is none."""
    label = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(CHUNK)
            if head.startswith(b"PK\x03\x04"):
                return ListFile(path, "xlsx")
            kind = _not_csv(head)
            if kind:
                raise ListError(f"{label}: is {kind}; expected a CSV or XLSX client list")
            if head.startswith(codecs.BOM_UTF8):
                return ListFile(path, "csv", "utf-8-sig")
            handle.seek(0)
            for encoding in ("utf-8", "gb18030"):
                if _decodes(handle, encoding):
                    return ListFile(path, "csv", encoding)
                handle.seek(0)
    except FileNotFoundError:
        raise ListError(f"{label}: file not found; expected a CSV or XLSX client list") from None
    except IsADirectoryError:
        raise ListError(f"{label}: is a folder; expected a CSV or XLSX client list") from None
    except OSError as exc:
        raise ListError(f"{label}: cannot be read ({exc.strerror})") from None
    raise ListError(
        f"{label}: is neither UTF-8 nor GB18030/GBK text; expected a CSV or XLSX client list"
    )


def _not_csv(head: bytes) -> str:
    """What a file that is plainly no CSV is, from its first bytes; empty when it may be."""
    if not head:
        return "empty"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an Excel 97-2003 workbook (.xls); save it as .xlsx or CSV"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text; save it as CSV (UTF-8) or .xlsx"
    if b"\x00" in head:
        return "not text (it holds binary data)"
    return ""


def _decodes(handle: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------------- reading


@contextlib.contextmanager
def read_rows(source: ListFile) -> Iterator[Iterator[tuple[int, list[Any]]]]:
    """The rows of a list with their numbers, streamed: the header is 1, and a quoted
    CSV cell over several lines counts once, as a spreadsheet shows the rows.

    A CSV's cells are text; a workbook's first sheet gives its cells' values (numbers,
    text, dates; a formula its last computed value), and a client_ref in a number cell
    comes with its number format (see `CellWithFormat`).
    """
    if source.kind == "csv":
        with source.path.open(encoding=source.encoding, newline="") as text:
            yield enumerate(csv.reader(text), start=1)
        return
    from openpyxl import load_workbook  # noqa: PLC0415 - only for workbooks

    try:
        book = load_workbook(source.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ListError(
            f"{source.path}: is not an XLSX workbook ({exc}); expected a CSV or XLSX client list"
        ) from None
    try:
        if not book.worksheets:
            raise ListError(f"{source.path}: has no sheet; expected the client list in its first")
        sheet = book.worksheets[0]
        yield (
            (number, [_value(cell) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(), start=1)
        )
    finally:
        book.close()


class CellWithFormat(int):
    """An integer cell of a workbook with its number format (000000 keeps leading zeros)."""

    number_format: str


def _value(cell: Any) -> Any:
    value = cell.value
    if type(value) is int and cell.number_format != "General":
        tagged = CellWithFormat(value)
        tagged.number_format = cell.number_format
        return tagged
    return value


# ---------------------------------------------------------------------- writing


class RowWriter:
    """Rows out to `path` in the kind of the list (CSV: UTF-8 with BOM, for spreadsheet
    programs), through a temporary file beside it: `finish` completes it, `commit` puts
    it in place, `discard` removes it unless it was committed."""

    def __init__(self, path: Path, kind: Kind) -> None:
        self.path = path
        self.kind = kind
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.tmp = Path(name)
        self._text: IO[str] | None = None
        self._book: Any = None
        self.write: Callable[[Sequence[Any]], object]
        self._done = False
        self._finished = False
        if kind == "csv":
            # The BOM by hand: the utf-8-sig codec encodes in Python, utf-8 in C.
            self._text = os.fdopen(handle, "w", encoding="utf-8", newline="")
            self._text.write("\ufeff")
            self.write = csv.writer(self._text).writerow
        else:
            os.close(handle)
            from openpyxl import Workbook  # noqa: PLC0415 - only for workbooks

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet()
            self.write = self._sheet.append

    def finish(self) -> None:
        """Complete the temporary file on disk."""
        if self._text is not None:
            self._text.flush()
            os.fsync(self._text.fileno())
            self._text.close()
        else:
            self._book.save(self.tmp)
        self._finished = True

    def commit(self) -> None:
        """Put the finished file in place."""
        self.tmp.replace(self.path)
        self._done = True

    def discard(self) -> None:
        """Remove what was written, unless it was committed."""
        if self._done:
            return
        self._done = True
        if self._text is not None:
            self._text.close()
        elif not self._finished:
            self._sheet.close()  # ends openpyxl's stream (its own temporary file goes at exit)
        with contextlib.suppress(OSError):
            self.tmp.unlink()
