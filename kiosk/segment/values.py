"""The cells of a client list: which column is which, numbers, client references, and
text made safe for a spreadsheet (CSV injection)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

REQUIRED = ("client_ref", "capital_cny", "turnover")
"""The columns a client list must have (SPEC §17), in the order errors name them."""
HEADER_ALIASES = {
    "client_ref": "client_ref",
    "客户编号": "client_ref",
    "capital_cny": "capital_cny",
    "资产(元)": "capital_cny",
    "turnover": "turnover",
    "年周转率": "turnover",
}
"""A header, normalised (NFKC: full-width brackets too; trimmed; lower case) → its column."""
ADDED = ("segment", "key_client", "service_level", "services")
"""The columns `kiosk segment` adds (or fills, when a list already has them)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these can be taken for a formula by a spreadsheet."""
FORMULA_CELL = re.compile("\x00[-=+@\t\r]")
"""A formula-looking cell in "\\x00" + "\\x00".join(row): one scan for a whole row."""
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
"""A number with thousands separators, as a person types it: 1,234,567.89."""
_ROUNDED_REF = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")
"""1.23457E+17: what a spreadsheet shows (and saves) for a long number it has rounded."""
MAX_EXACT_DIGITS = 15
"""A spreadsheet keeps 15 significant digits of a number; more may have been rounded."""


class CellError(ValueError):
    """One cell of one row is bad: the message says why and what is accepted."""


@dataclass(frozen=True)
class Columns:
    """Where the required and the added columns are in a list's header row."""

    header: tuple[str, ...]
    client_ref: int
    capital_cny: int
    turnover: int
    added: tuple[int | None, ...]
    """For each of ADDED: its index when the list already has that column, else None."""

    def name(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else f"column {index + 1}"


def find_columns(header: Sequence[object]) -> Columns:
    """The columns of a header row; CellError names a missing or doubled column."""
    texts = tuple("" if cell is None else str(cell) for cell in header)
    found: dict[str, int] = {}
    added: dict[str, int] = {}
    for index, text in enumerate(texts):
        key = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
        column = HEADER_ALIASES.get(key)
        target = found if column else added
        name = column or key
        if column is None and key not in ADDED:
            continue
        if name in target:
            raise CellError(
                f"column {name} is given twice (columns {target[name] + 1} and {index + 1}); "
                "expected it once"
            )
        target[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        named = ", ".join(
            f"{name} ({zh})"
            for name in missing
            for zh, alias in HEADER_ALIASES.items()
            if alias == name and zh != name
        )
        raise CellError(
            f"the header row has no column {named}; expected the columns client_ref, "
            "capital_cny, turnover (or 客户编号, 资产(元), 年周转率)"
        )
    return Columns(
        texts,
        found["client_ref"],
        found["capital_cny"],
        found["turnover"],
        tuple(added.get(name) for name in ADDED),
    )


def parse_number(value: object, what: str) -> float:
    """A cell as a number ≥ 0: an int or float cell, or text like 1234.5, 1,234.5 or 1e6."""
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            if not text:
                raise CellError(f"is empty; expected {what}") from None
            if not _THOUSANDS.fullmatch(text):
                raise CellError(f"{_shown(text)} is not a number; expected {what}") from None
            number = float(text.replace(",", ""))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number, text = float(value), str(value)
    elif value is None:
        raise CellError(f"is empty; expected {what}")
    else:
        raise CellError(f"{_shown(str(value))} is not a number; expected {what}")
    if not math.isfinite(number):
        raise CellError(f"{_shown(text)} is not a number; expected {what}")
    if number < 0:
        raise CellError(f"{_shown(text)} is negative; expected {what}")
    return number


def client_ref_text(value: object) -> str:
    """A client reference as text, verbatim; a number cell (XLSX) as its digits, with
    the leading zeros its number format shows (000000: see formats.CellWithFormat)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError("is empty; expected the client's reference")
    if isinstance(value, str):
        if _ROUNDED_REF.fullmatch(value.strip()):
            raise CellError(
                f"{_shown(value)} is a number a spreadsheet has rounded; expected the "
                "reference as text (format the column as Text before entering it)"
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CellError(f"{value!s} is not a reference; expected text or digits")
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 10**MAX_EXACT_DIGITS:
            raise CellError(
                f"{value!r} is a number a spreadsheet may have rounded; expected the "
                "reference as text (format the column as Text before entering it)"
            )
        value = int(value)
    digits = str(int(value))
    number_format = getattr(value, "number_format", None)
    if number_format and set(number_format) == {"0"}:
        digits = digits.zfill(len(number_format))
    return digits


def neutralise(cell: str) -> str:
    """A text cell that a spreadsheet would not run as a formula (prefixed with ')."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def needs_neutralising(cells: Sequence[str]) -> bool:
    """Whether any of these text cells starts like a formula (one scan for a whole row)."""
    return FORMULA_CELL.search("\x00" + "\x00".join(cells)) is not None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
