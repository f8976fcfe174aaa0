"""The sheet code of SPEC §16: the sheet's QR, which rebuilds the profile at the counter.

    RP1:<sheet number>:<questionnaire version>:<answers>:<tag>
    RP1:0000-20261202-0009:1.0.0:38.2.3.3.3.4.12.3.3.3.3.1.2.3.1.2.2:<16 characters>

`<answers>` is 17 fields joined by "." in ANSWER_FIELDS order: the integer for a number
question, the option's 1-based position in the questionnaire's list for a choice, 0 for
an optional question not answered. `<tag>` is the first 16 characters of the base32 form
(no padding) of HMAC-SHA256(key, the UTF-8 bytes before the last ":"), or "-" when no
key is set (an unsigned code). Every character is in QR alphanumeric mode, so that the
QR stays small (version 4 at error correction M).

A code is data: it is measured and matched against fixed patterns, never evaluated. A
code longer than MAX_CODE_CHARS, or with a character outside QR alphanumeric mode, is
refused before anything else is looked at (a 10 MB paste costs one len()). With a key,
the tag is checked (in constant time) before any field is read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from kiosk.engine.errors import KioskError, shorten
from kiosk.engine.model import Question, Questionnaire
from kiosk.engine.profile import Answer

PREFIX: Final = "RP1"
SEPARATOR: Final = ":"
ANSWER_SEPARATOR: Final = "."
UNSIGNED: Final = "-"
TAG_CHARS: Final = 16
KEY_BYTES: Final = 32
KEY_HEX_DIGITS: Final = 2 * KEY_BYTES
MAX_CODE_CHARS: Final = 200
"""Longer input is refused unread: a sheet code is under 100 characters."""
NOT_ANSWERED: Final = 0

ANSWER_FIELDS: Final = (
    "age",
    "job",
    "burden",
    "housing",
    "experience",
    "knowledge",
    "loss_tolerance_pct",
    "priority",
    "stop_loss",
    "if_loss",
    "watch_market",
    "performance",
    "marital",
    "children",
    "employment",
    "capital",
    "activity",
)
"""The answers' order in the code (SPEC §16): fixed, whatever order the data lists."""

QR_ALPHANUMERIC: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
"""The 45 characters of QR alphanumeric mode (ISO/IEC 18004)."""
_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")
_SHEET_NUMBER = re.compile(r"(?:[0-9A-Z]{1,16}-[0-9]{8}-[0-9]{4}|TEST)")
"""A kiosk's sheet number (kiosk.storage.sheet_numbers), or a test page's TEST."""
_VERSION = re.compile(r"[0-9A-Z][0-9A-Z.+\-]{0,31}")
_FIELD = re.compile(r"0|[1-9][0-9]{0,2}")
"""A number without leading zeros, of at most 3 digits (no answer needs more)."""
_TAG = re.compile(r"[A-Z2-7]{16}")

Signature = Literal["valid", "unsigned"]


Refusal = Literal[
    "not_text",
    "too_long",
    "character",
    "empty",
    "prefix",
    "fields",
    "tag_format",
    "no_key",
    "unsigned",
    "tag",
    "sheet_number",
    "version",
    "answers",
]
"""Why a code is refused, for words of one's own (the counter's): the message says it in
English for a command line and a log."""


class SheetCodeError(KioskError):
    """A code that is refused; the message names the field, the value and what is accepted,
    `reason` which check refused it."""

    def __init__(self, message: str, reason: Refusal) -> None:
        super().__init__(message)
        self.reason: Refusal = reason


@dataclass(frozen=True)
class DecodedSheet:
    """What a verified sheet code carries."""

    sheet: str
    questionnaire: Questionnaire
    answers: Mapping[str, Answer]
    """Question id → answer, as an answers file has them (unanswered ones absent)."""
    signature: Signature


def key_from_hex(text: str) -> bytes | None:
    """The key of `[branch] sheet_key` (64 hex digits), or None when it is empty.

    Raises ValueError (without the text: it is a secret) when it is not 64 hex digits."""
    if not text:
        return None
    if len(text) != KEY_HEX_DIGITS or not re.fullmatch(r"[0-9A-Fa-f]+", text):
        raise ValueError(f"a sheet key is {KEY_HEX_DIGITS} hex digits")
    return bytes.fromhex(text)


def tag(body: str, key: bytes) -> str:
    """The tag of everything before the last ":" of a code."""
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:TAG_CHARS]


def encode(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer] | Iterable[tuple[str, Answer]],
    sheet_number: str,
    key: bytes | None,
) -> str:
    """The sheet code of validated answers (a Profile's `answers`, or an answers object).

    The sheet number is written upper-cased (QR alphanumeric mode has no lower case).
    Raises ValueError for answers the questionnaire does not accept, a sheet number or a
    questionnaire version that cannot be written in QR alphanumeric mode."""
    given = dict(answers)
    number = sheet_number.upper()
    if not _SHEET_NUMBER.fullmatch(number):
        raise ValueError(f"sheet number {sheet_number!r} cannot be written in a sheet code")
    if not _VERSION.fullmatch(questionnaire.version):
        raise ValueError(
            f"questionnaire version {questionnaire.version!r} cannot be written in a sheet code"
        )
    fields = [str(_field(questionnaire.question(qid), given.get(qid))) for qid in ANSWER_FIELDS]
    body = SEPARATOR.join([PREFIX, number, questionnaire.version, ANSWER_SEPARATOR.join(fields)])
    signature = UNSIGNED if key is None else tag(body, _checked_key(key))
    return f"{body}{SEPARATOR}{signature}"


def _field(question: Question, value: Answer | None) -> int:
    if value is None:
        if question.required:
            raise ValueError(f"{question.id}: a required answer is missing")
        return NOT_ANSWERED
    if question.kind == "number":
        if type(value) is not int or not question.minimum <= value <= question.maximum:
            raise ValueError(f"{question.id}: {value!r} is not an accepted answer")
        return value
    if value not in question.option_ids:
        raise ValueError(f"{question.id}: {value!r} is not an option")
    return question.option_ids.index(str(value)) + 1


def _checked_key(key: bytes) -> bytes:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a sheet key is {KEY_BYTES} bytes")
    return key


def decode(
    questionnaires: Questionnaire | Iterable[Questionnaire], code: str, key: bytes | None
) -> DecodedSheet:
    """Check a sheet code and read it. `questionnaires`: those this installation has.

    With a key, only a code signed with that key is accepted; without one, only an
    unsigned code (a signed one cannot be checked). Raises SheetCodeError naming the
    problem: too long, a character outside a sheet code, a malformed field, a tag that
    does not match, a questionnaire version this installation does not have."""
    if not isinstance(code, str):
        raise SheetCodeError("the code is not text; expected a sheet code RP1:…", "not_text")
    if len(code) > MAX_CODE_CHARS:
        raise SheetCodeError(
            f"the code is {len(code)} characters long; a sheet code has at most {MAX_CODE_CHARS}",
            "too_long",
        )
    if not code:
        raise SheetCodeError("the code is empty; expected a sheet code RP1:…", "empty")
    if not _ALPHANUMERIC.fullmatch(code):
        position, char = next((i, c) for i, c in enumerate(code, 1) if c not in QR_ALPHANUMERIC)
        raise SheetCodeError(
            f"the code has a character that no sheet code has (U+{ord(char):04X} at "
            f"position {position}); expected 0-9, A-Z, space and $%*+-./:",
            "character",
        )
    parts = code.split(SEPARATOR)
    if parts[0] != PREFIX:
        raise SheetCodeError(
            f"the code starts with {shorten(parts[0], 20)!r}; expected a sheet code RP1:…",
            "prefix",
        )
    if len(parts) != 5:
        raise SheetCodeError(
            f"the code has {len(parts)} fields separated by ':'; "
            "expected 5: RP1:<sheet number>:<questionnaire version>:<answers>:<tag>",
            "fields",
        )
    _, sheet, version, answers_text, given_tag = parts
    signature = _verified(code[: code.rindex(SEPARATOR)], given_tag, key)
    if not _SHEET_NUMBER.fullmatch(sheet):
        raise SheetCodeError(
            f"sheet number: {shorten(sheet, 40)!r} is not a sheet number; "
            "expected <branch code>-<YYYYMMDD>-<NNNN>",
            "sheet_number",
        )
    questionnaire = _questionnaire(questionnaires, version)
    return DecodedSheet(sheet, questionnaire, _answers(questionnaire, answers_text), signature)


def _verified(body: str, given: str, key: bytes | None) -> Signature:
    if given != UNSIGNED and not _TAG.fullmatch(given):
        raise SheetCodeError(
            f"tag: {shorten(given, 20)!r} is not a tag; "
            f"expected {TAG_CHARS} base32 characters (A-Z, 2-7) or - (unsigned)",
            "tag_format",
        )
    if key is None:
        if given != UNSIGNED:
            raise SheetCodeError(
                "tag: the code is signed, but no [branch] sheet_key is set to check it; "
                "set the bank's sheet key in the settings",
                "no_key",
            )
        return "unsigned"
    if given == UNSIGNED:
        raise SheetCodeError(
            "tag: the code is unsigned, but this installation signs its sheets "
            "([branch] sheet_key is set); refused",
            "unsigned",
        )
    if not hmac.compare_digest(tag(body, _checked_key(key)), given):
        raise SheetCodeError(
            "tag: does not match; the code was changed, or signed with another key",
            "tag",
        )
    return "valid"


def _questionnaire(
    questionnaires: Questionnaire | Iterable[Questionnaire], version: str
) -> Questionnaire:
    known = [questionnaires] if isinstance(questionnaires, Questionnaire) else list(questionnaires)
    for questionnaire in known:
        if questionnaire.version == version:
            return questionnaire
    if not version:
        raise SheetCodeError(
            "questionnaire version: is empty; expected a version, e.g. 1.0.0", "version"
        )
    have = ", ".join(q.version for q in known) or "none"
    raise SheetCodeError(
        f"questionnaire version: the code is for version {shorten(version, 40)}; "
        f"this installation has version {have}",
        "version",
    )


def _answers(questionnaire: Questionnaire, text: str) -> dict[str, Answer]:
    fields = text.split(ANSWER_SEPARATOR)
    if len(fields) != len(ANSWER_FIELDS):
        raise SheetCodeError(
            f"answers: {len(fields)} fields; expected {len(ANSWER_FIELDS)} separated by '.' "
            f"({' '.join(ANSWER_FIELDS)})",
            "answers",
        )
    answers: dict[str, Answer] = {}
    for position, (qid, field) in enumerate(zip(ANSWER_FIELDS, fields, strict=True), 1):
        question = questionnaire.question(qid)
        where = f"answers field {position} ({qid})"
        if not _FIELD.fullmatch(field):
            raise SheetCodeError(
                f"{where}: {shorten(field, 20)!r} is not a number of 1–3 digits without "
                f"leading zeros; "
                f"expected {_accepted(question)}",
                "answers",
            )
        value = int(field)
        if value == NOT_ANSWERED and question.kind == "choice":
            if question.required:
                raise SheetCodeError(
                    f"{where}: 0 (not answered) for a required question; "
                    f"expected {_accepted(question)}",
                    "answers",
                )
            continue
        if question.kind == "number":
            if not question.minimum <= value <= question.maximum:
                raise SheetCodeError(
                    f"{where}: {value} is out of range; expected {_accepted(question)}",
                    "answers",
                )
            answers[qid] = value
        elif value > len(question.options):
            raise SheetCodeError(
                f"{where}: {value} is not an option; expected {_accepted(question)}",
                "answers",
            )
        else:
            answers[qid] = question.options[value - 1].id
    return answers


def _accepted(question: Question) -> str:
    if question.kind == "number":
        return f"an integer {question.minimum}–{question.maximum}"
    unanswered = "" if question.required else ", or 0 (not answered)"
    return f"an option's position 1–{len(question.options)}{unanswered}"
