"""The sheet code of SPEC §16 (kiosk.engine.sheet_code): its format, the signature, and
every way a code is refused, each named."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine import Questionnaire, score
from kiosk.engine.sheet_code import (
    ANSWER_FIELDS,
    MAX_CODE_CHARS,
    QR_ALPHANUMERIC,
    SheetCodeError,
    decode,
    encode,
    key_from_hex,
    tag,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
NUMBER = "0000-20261202-0009"
SPEC_BODY = "RP1:0000-20261202-0009:1.0.0:38.2.3.3.3.4.12.3.3.3.3.1.2.3.1.2.2"
"""SPEC §16's example: the worked example's answers under sheet 0000-20261202-0009."""


def signed(body: str, key: bytes = KEY) -> str:
    """A code with the tag SPEC §16 describes, computed here independently."""
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()
    return f"{body}:{base64.b32encode(digest).decode().rstrip('=')[:16]}"


def refusal(questionnaire: Questionnaire, code: str, key: bytes | None = KEY) -> str:
    with pytest.raises(SheetCodeError) as caught:
        decode(questionnaire, code, key)
    return str(caught.value)


def test_the_worked_example_gives_the_spec_example(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    assert encode(questionnaire, example, NUMBER, None) == SPEC_BODY + ":-"
    code = encode(questionnaire, score(questionnaire, example).answers, NUMBER, KEY)
    assert code == signed(SPEC_BODY)
    assert len(code) <= 90  # QR version 4 at error correction M (SPEC §16)
    assert set(code) <= set(QR_ALPHANUMERIC)


def test_a_signed_code_gives_back_the_sheet_and_the_answers(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    sheet = decode(questionnaire, signed(SPEC_BODY), KEY)
    assert (sheet.sheet, sheet.signature, sheet.questionnaire) == (NUMBER, "valid", questionnaire)
    assert dict(sheet.answers) == example
    assert score(questionnaire, dict(sheet.answers)) == score(questionnaire, example)


def test_without_a_key_the_code_is_unsigned(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    sheet = decode([questionnaire], SPEC_BODY + ":-", None)
    assert (sheet.signature, dict(sheet.answers)) == ("unsigned", example)


def test_optional_questions_not_answered_are_0(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    for optional in ("marital", "children", "employment", "capital", "activity"):
        del example[optional]
    code = encode(questionnaire, example, NUMBER, KEY)
    assert code.split(":")[3].endswith(".0.0.0.0.0")
    sheet = decode(questionnaire, code, KEY)
    assert dict(sheet.answers) == example
    assert score(questionnaire, dict(sheet.answers)).segment is None


def test_a_lower_case_branch_code_is_written_upper_case(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    code = encode(questionnaire, example, "ab12-20261202-1001", KEY)
    assert code.startswith("RP1:AB12-20261202-1001:")
    assert decode(questionnaire, code, KEY).sheet == "AB12-20261202-1001"


def answers_strategy(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for question in questionnaire.questions:
        if question.kind == "number":
            values: st.SearchStrategy[Any] = st.integers(question.minimum, question.maximum)
        else:
            values = st.sampled_from(question.option_ids)
        fields[question.id] = values if question.required else st.none() | values
    return st.fixed_dictionaries(fields).map(
        lambda answers: {k: v for k, v in answers.items() if v is not None}
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_answers_object_survives_the_round_trip(
    questionnaire: Questionnaire, data: st.DataObject
) -> None:
    answers = data.draw(answers_strategy(questionnaire))
    code = encode(questionnaire, answers, NUMBER, KEY)
    assert len(code) <= 90
    assert set(code) <= set(QR_ALPHANUMERIC)
    sheet = decode(questionnaire, code, KEY)
    assert dict(sheet.answers) == answers
    assert score(questionnaire, dict(sheet.answers)) == score(questionnaire, answers)


def test_every_one_character_change_is_refused(questionnaire: Questionnaire) -> None:
    """Anywhere in the code, any other character of a QR, or one left out or added."""
    code = signed(SPEC_BODY)
    changed = 0
    for position in range(len(code)):
        for char in QR_ALPHANUMERIC:
            if char != code[position]:
                refusal(questionnaire, code[:position] + char + code[position + 1 :])
                changed += 1
        refusal(questionnaire, code[:position] + code[position + 1 :])
        refusal(questionnaire, code[:position] + "0" + code[position:])
    assert changed == len(code) * (len(QR_ALPHANUMERIC) - 1)


def test_a_wrong_tag_is_refused_and_says_so(questionnaire: Questionnaire) -> None:
    line = refusal(questionnaire, signed(SPEC_BODY, OTHER_KEY))
    assert line.startswith("tag: does not match")
    body_changed = signed(SPEC_BODY).replace(":38.", ":39.")
    assert refusal(questionnaire, body_changed).startswith("tag: does not match")


def test_the_tag_is_compared_in_constant_time(
    questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.engine import sheet_code  # noqa: PLC0415

    compared: list[tuple[str, str]] = []
    constant_time = hmac.compare_digest

    def compare(a: str, b: str) -> bool:
        compared.append((a, b))
        return constant_time(a, b)

    monkeypatch.setattr(sheet_code.hmac, "compare_digest", compare)
    decode(questionnaire, signed(SPEC_BODY), KEY)
    assert compared == [(tag(SPEC_BODY, KEY), signed(SPEC_BODY)[-16:])]


def test_a_code_and_a_key_must_agree_on_signing(questionnaire: Questionnaire) -> None:
    assert "unsigned, but this installation signs" in refusal(questionnaire, SPEC_BODY + ":-")
    line = refusal(questionnaire, signed(SPEC_BODY), None)
    assert "signed, but no [branch] sheet_key is set" in line


def test_an_unknown_questionnaire_version_names_both_versions(
    questionnaire: Questionnaire,
) -> None:
    line = refusal(questionnaire, signed(SPEC_BODY.replace(":1.0.0:", ":2.0.0:")))
    assert line == (
        "questionnaire version: the code is for version 2.0.0; this installation has version 1.0.0"
    )
    newer = replace(questionnaire, version="2.0.0")
    sheet = decode([questionnaire, newer], signed(SPEC_BODY.replace(":1.0.0:", ":2.0.0:")), KEY)
    assert sheet.questionnaire is newer


ANSWERS = SPEC_BODY.split(":")[3]


def with_answers(text: str) -> str:
    return SPEC_BODY.replace(ANSWERS, text)


MALFORMED = [
    # (the code before its tag, what the refusal starts with)
    ("RP2:0000-20261202-0009:1.0.0:" + ANSWERS, "the code starts with 'RP2'"),
    ("RP1:0000-20261202-0009:" + ANSWERS, "the code has 4 fields separated by ':'"),
    ("RP1:0000-20261202-0009:1.0.0:X:" + ANSWERS, "the code has 6 fields"),
    (SPEC_BODY.replace(NUMBER, "0000-2026120-0009"), "sheet number: '0000-2026120-0009'"),
    (SPEC_BODY.replace(NUMBER, ""), "sheet number: '' is not a sheet number"),
    (SPEC_BODY.replace(":1.0.0:", "::"), "questionnaire version: is empty"),
    (with_answers(ANSWERS.rsplit(".", 1)[0]), "answers: 16 fields; expected 17"),
    (with_answers(ANSWERS + ".1"), "answers: 18 fields; expected 17"),
    (with_answers(ANSWERS.replace("38.", "038.", 1)), "answers field 1 (age): '038'"),
    (with_answers(ANSWERS.replace("38.", "17.", 1)), "answers field 1 (age): 17 is out of range"),
    (with_answers(ANSWERS.replace("38.", "1000.", 1)), "answers field 1 (age): '1000'"),
    (with_answers(ANSWERS.replace("38.2.", "38..", 1)), "answers field 2 (job): ''"),
    (with_answers(ANSWERS.replace("38.2.", "38.6.", 1)), "answers field 2 (job): 6 is not an"),
    (with_answers(ANSWERS.replace("38.2.", "38.0.", 1)), "answers field 2 (job): 0 (not answ"),
    (with_answers(ANSWERS.replace("38.2.", "38.A.", 1)), "answers field 2 (job): 'A'"),
    (with_answers(ANSWERS.replace(".12.", ".101.")), "answers field 7 (loss_tolerance_pct): 101"),
    (with_answers(ANSWERS[:-2] + ".4"), "answers field 17 (activity): 4 is not an option"),
]


@pytest.mark.parametrize(("body", "start"), MALFORMED)
def test_a_malformed_field_is_named(questionnaire: Questionnaire, body: str, start: str) -> None:
    """Signed with the right key, so that the field itself is what is refused."""
    assert refusal(questionnaire, signed(body)).startswith(start)
    assert refusal(questionnaire, body + ":-", None).startswith(start)


@pytest.mark.parametrize(
    ("code", "start"),
    [
        ("", "the code is empty"),
        (SPEC_BODY + ":abcdefghijklmnop", "the code has a character that no sheet code has"),
        (SPEC_BODY + ":ABCDEFGHIJKLMNO1", "tag: 'ABCDEFGHIJKLMNO1' is not a tag"),
        (SPEC_BODY + ":ABCDEFGH", "tag: 'ABCDEFGH' is not a tag"),
        (SPEC_BODY + ":", "tag: '' is not a tag"),
        (SPEC_BODY + "\n", "the code has a character that no sheet code has (U+000A at"),
        (SPEC_BODY.replace("RP1", "rp1") + ":-", "the code has a character"),
        ("\x00" * 50, "the code has a character that no sheet code has (U+0000 at position 1)"),
        ("RP1:\u202e" + SPEC_BODY[4:], "the code has a character that no sheet code has (U+202E"),
        ("{'__import__': 1}", "the code has a character"),
    ],
)
def test_a_code_that_is_not_one_is_refused(
    questionnaire: Questionnaire, code: str, start: str
) -> None:
    assert refusal(questionnaire, code).startswith(start)


def test_a_code_too_long_is_refused_before_it_is_read(questionnaire: Questionnaire) -> None:
    assert refusal(questionnaire, "A" * (MAX_CODE_CHARS + 1)) == (
        f"the code is {MAX_CODE_CHARS + 1} characters long; a sheet code has at most 200"
    )
    huge = SPEC_BODY + "\x00" * (10 * 1024 * 1024)  # 10 MB with control characters
    assert refusal(questionnaire, huge).startswith(f"the code is {len(huge)} characters long")


class Exploding(str):
    """A string whose characters must not be looked at (only its length)."""

    def __iter__(self) -> Any:
        raise AssertionError("the characters of a too long code were read")

    def split(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a too long code was split")


def test_a_too_long_code_is_measured_not_scanned(questionnaire: Questionnaire) -> None:
    refusal(questionnaire, Exploding("A" * (10 * 1024 * 1024)))


def test_a_code_is_never_evaluated(
    questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins  # noqa: PLC0415

    def forbidden(*args: object) -> None:
        raise AssertionError("a code was evaluated")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    decode(questionnaire, signed(SPEC_BODY), KEY)
    refusal(questionnaire, signed(with_answers("__import__('os')")))


def test_encode_refuses_what_a_code_cannot_carry(
    questionnaire: Questionnaire, example: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="sheet number"):
        encode(questionnaire, example, "0000_20261202_0009", KEY)
    with pytest.raises(ValueError, match="questionnaire version"):
        encode(replace(questionnaire, version="1.0.0rc1"), example, NUMBER, KEY)
    with pytest.raises(ValueError, match="job"):
        encode(questionnaire, {**example, "job": "astronaut"}, NUMBER, KEY)
    with pytest.raises(ValueError, match="age"):
        encode(questionnaire, {**example, "age": True}, NUMBER, KEY)
    with pytest.raises(ValueError, match="required"):
        encode(questionnaire, {k: v for k, v in example.items() if k != "job"}, NUMBER, KEY)
    with pytest.raises(ValueError, match="32 bytes"):
        encode(questionnaire, example, NUMBER, b"short")


SPEC_ORDER = (
    "age job burden housing experience knowledge loss_tolerance_pct priority stop_loss "
    "if_loss watch_market performance marital children employment capital activity"
)


def test_the_answers_order_is_the_spec_order(questionnaire: Questionnaire) -> None:
    assert " ".join(ANSWER_FIELDS) == SPEC_ORDER
    assert set(ANSWER_FIELDS) == set(questionnaire.question_ids)


def test_key_from_hex() -> None:
    assert key_from_hex("") is None
    assert key_from_hex(KEY.hex()) == KEY
    assert key_from_hex(KEY.hex().upper()) == KEY
    for bad in ("0" * 63, "0" * 65, "g" * 64):
        with pytest.raises(ValueError, match="64 hex digits") as caught:
            key_from_hex(bad)
        assert bad not in str(caught.value)
