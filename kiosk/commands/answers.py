"""Reading answers: a file or standard input read no further than a bound (it may be
`/dev/zero`), JSON Lines for `kiosk score --batch`, and JSON parsed strictly (a key given
twice, or an integer of more digits than any answer has, is an error)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from kiosk import engine
from kiosk.commands.common import InputError
from kiosk.engine.errors import SHOWN_CHARS, AnswerError, shorten

MAX_ANSWERS_BYTES = 1024 * 1024
"""An answers file is read up to this size (`/dev/zero` must not fill the memory)."""
MAX_LINE_BYTES = 64 * 1024
"""A line of `kiosk score --batch`, without its line end, is read up to this size."""
MAX_INT_DIGITS = 3
"""No answer is a number of more than 3 digits; longer ones are refused unconverted."""


def open_binary(path: str, label: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{label}: file not found; expected a JSON file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a folder; expected a JSON file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None


def read_text(source: str, label: str) -> str:
    """An answers file (or standard input) of at most MAX_ANSWERS_BYTES, as text."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
    else:
        with open_binary(source, label) as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
    if len(data) > MAX_ANSWERS_BYTES:
        raise InputError(f"{label}: is larger than 1 MB; expected one answers object (JSON)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{label}: is not UTF-8 text; expected a JSON file") from None


def numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers; a line that is not UTF-8, or longer
    than MAX_LINE_BYTES, is an error (read no further than that: it may never end)."""
    lines = iter(partial(stream.readline, MAX_LINE_BYTES + 1), b"")
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(
                f"line {number}: is longer than 64 KB; expected one answers object a line"
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"line {number}: is not UTF-8 text; expected one JSON object"
            ) from None
        if line.strip():
            yield number, line


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, value in pairs:
            if key in seen:
                raise AnswerError(key, value, "is given twice", "each question answered once")
            seen.add(key)
    return result


class _LongIntegerError(Exception):
    """An integer in the JSON text with more than MAX_INT_DIGITS digits (not converted:
    int() refuses more than 4300 digits, and no answer needs more than 3)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _parse_int(text: str) -> int:
    if len(text) <= MAX_INT_DIGITS or (len(text) == MAX_INT_DIGITS + 1 and text[0] == "-"):
        return int(text)
    raise _LongIntegerError(text)


_PLAIN = json.JSONDecoder(parse_int=_parse_int)
_STRICT = json.JSONDecoder(object_pairs_hook=_reject_duplicates, parse_int=_parse_int)


def parse_json(text: str, label: str, questionnaire: engine.Questionnaire) -> object:
    """Parse one answers object; a key given twice is an error, not "the last one wins",
    and so is an integer of more than MAX_INT_DIGITS digits."""
    try:
        value = _PLAIN.decode(text)
        # Every key is followed by a colon, so as many colons as keys means no key
        # repeats; otherwise (a repeat, or a colon inside a string) parse strictly.
        if isinstance(value, dict) and text.count(":") != len(value):
            value = _STRICT.decode(text)
        return value
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno});"
            " expected one answers object"
        ) from None
    except RecursionError:
        raise InputError(f"{label}: is nested too deeply; expected one answers object") from None
    except _LongIntegerError as exc:
        raise _long_integer_error(text, exc.text, label, questionnaire) from None


def _long_integer_error(
    text: str, number: str, label: str, questionnaire: engine.Questionnaire
) -> InputError:
    """The error for a too long integer, named by its key when it is a key's value, in
    the engine's words when that key is a question (the message a 4-digit age gets)."""
    digits = len(number.lstrip("-"))
    shown = shorten(number) + (f" ({digits} digits)" if len(number) > SHOWN_CHARS else "")
    found = re.search(r'"((?:[^"\\]|\\.)*)"\s*:\s*' + re.escape(number) + r"(?![0-9])", text)
    key = json.loads(f'"{found.group(1)}"') if found else None
    if key is not None and questionnaire.has_question(key):
        question = questionnaire.question(key)
        problem = "is out of range" if question.kind == "number" else "is not an option"
        return InputError(
            f"{shorten(key)}: {shown} {problem}; expected {engine.accepted(question)}"
        )
    where = label if key is None else shorten(key)
    return InputError(
        f"{where}: {shown} has more than {MAX_INT_DIGITS} digits; "
        f"expected integers of at most {MAX_INT_DIGITS} digits"
    )
