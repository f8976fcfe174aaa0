"""The counter's lookup and words without a window (kiosk.counter_lookup, kiosk.counter_words):
a scanned code gives the engine's profile, verified; any change to it is refused with the
reason; a typed sheet number is found in a real session log, read-only."""

from __future__ import annotations

import io
import json
import secrets
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kiosk.counter_lookup import (
    CounterLookup,
    Found,
    Refused,
    SessionLogSource,
    sources_for,
    staff_copy,
)
from kiosk.counter_words import profile_words, refusal_words
from kiosk.engine import Questionnaire, score
from kiosk.engine.sheet_code import QR_ALPHANUMERIC, encode, tag
from kiosk.settings import load_settings
from kiosk.storage.sessions import DB_FILE, SessionLog, VisitRecord
from kiosk.wording import explanation_lines
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
KEY = bytes.fromhex(secrets.token_hex(32))
NUMBER = "0000-20261202-1001"


@pytest.fixture
def code(questionnaire: Questionnaire) -> str:
    return encode(questionnaire, EXAMPLE, NUMBER, KEY)


def found(result: Found | Refused) -> Found:
    assert isinstance(result, Found), result
    return result


def refused(result: Found | Refused) -> Refused:
    assert isinstance(result, Refused), result
    return result


def test_a_scanned_code_gives_the_engines_profile_verified(
    questionnaire: Questionnaire, code: str
) -> None:
    shown = found(CounterLookup(questionnaire, KEY).read(code))
    assert (shown.sheet, shown.signature, shown.source, shown.code) == (
        NUMBER,
        "valid",
        "code",
        code,
    )
    assert shown.profile == score(questionnaire, EXAMPLE)
    assert (shown.profile.capacity.score, shown.profile.attitude.score) == (67, 58)


def test_the_profile_in_words_has_the_explanation_segment_and_every_answer(
    questionnaire: Questionnaire, code: str
) -> None:
    shown = found(CounterLookup(questionnaire, KEY).read(code))
    words = profile_words(questionnaire, shown.profile, shown.sheet, shown.signature, "zh_CN")
    assert [(s.score, s.level) for s in words.scores] == [("67", "中高承受力"), ("58", "中承受度")]
    assert words.explained == explanation_lines(questionnaire.tables, shown.profile, "zh_CN")
    assert words.explained.limited_by.startswith("受风险承受度所限")
    assert [n.axis for n in words.explained.near] == ["attitude"]
    facts = {f.key: f.value for f in (*words.facts, *words.staff)}
    assert facts["allocation"] == "低风险产品 0% / 中风险产品 40% / 高风险产品 60%"
    assert facts["segment"] == "稳定中型 (stable_medium)"
    assert facts["key_client"] == "非重点客户"
    assert words.signature_ok
    answers = {line.question_id: line.answer for line in words.answers}
    assert len(answers) == len(questionnaire.questions)
    assert (answers["age"], answers["job"], answers["loss_tolerance_pct"]) == (
        "38岁",
        "一般收入",
        "12%",
    )
    english = profile_words(questionnaire, shown.profile, shown.sheet, "valid", "en")
    assert english.scores[0].level == "Medium-high risk capacity"


def test_every_one_character_change_is_refused(questionnaire: Questionnaire, code: str) -> None:
    lookup = CounterLookup(questionnaire, KEY)
    for position, char in enumerate(code):
        for other in {QR_ALPHANUMERIC[(QR_ALPHANUMERIC.index(char) + 1) % 45], "0", "A"} - {char}:
            changed = code[:position] + other + code[position + 1 :]
            assert isinstance(lookup.read(changed), Refused), changed


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.replace(":38.", ":39."), "tag"),
        (lambda c: c.rsplit(":", 1)[0] + ":-", "unsigned"),
        (lambda c: c.replace("RP1", "RP9"), "prefix"),
        (lambda c: c[:-17], "fields"),
        (lambda c: c + "\x1b[2J", "character"),
        (lambda _c: "hello", "prefix"),
    ],
)
def test_a_refusal_names_its_reason(
    questionnaire: Questionnaire, code: str, change: Any, reason: str
) -> None:
    assert refused(CounterLookup(questionnaire, KEY).read(change(code))).reason == reason


def test_only_ascii_is_folded_to_upper_case(questionnaire: Questionnaire) -> None:
    code = encode(questionnaire, EXAMPLE, "S000-20261202-1001", KEY)
    lookup = CounterLookup(questionnaire, KEY)
    assert found(lookup.read(code.lower())).sheet == "S000-20261202-1001"
    # "ſ".upper() == "S": a letter that is no code's is never turned into one
    assert refused(lookup.read(code.replace("S", "ſ", 1))).reason == "character"


def test_a_code_signed_with_another_key_or_unsigned_is_refused(
    questionnaire: Questionnaire, code: str
) -> None:
    foreign = encode(questionnaire, EXAMPLE, NUMBER, bytes(32))
    assert refused(CounterLookup(questionnaire, KEY).read(foreign)).reason == "tag"
    assert refused(CounterLookup(questionnaire, None).read(code)).reason == "no_key"
    unsigned = encode(questionnaire, EXAMPLE, NUMBER, None)
    assert found(CounterLookup(questionnaire, None).read(unsigned)).signature == "unsigned"


def test_an_unknown_questionnaire_version_is_named(questionnaire: Questionnaire, code: str) -> None:
    body = code.rsplit(":", 1)[0].replace(":1.0.0:", ":9.1.0:")
    result = refused(CounterLookup(questionnaire, KEY).read(f"{body}:{tag(body, KEY)}"))
    assert (result.reason, result.version) == ("version", "9.1.0")
    words = refusal_words(result.reason, "zh_CN", version=result.version)
    assert words == "已拒绝：该结果单使用的问卷版本为9.1.0，本机没有此版本。"


def test_a_code_typed_with_caps_lock_on_is_read(questionnaire: Questionnaire, code: str) -> None:
    assert found(CounterLookup(questionnaire, KEY).read(code.lower() + "\r\n")).sheet == NUMBER


def test_ten_megabytes_are_refused_at_once(questionnaire: Questionnaire) -> None:
    lookup = CounterLookup(questionnaire, KEY)
    huge = "RP1:" + "9" * 10_000_000
    start = time.perf_counter()
    result = refused(lookup.read(huge))
    assert time.perf_counter() - start < 0.05
    assert result.reason == "too_long"
    assert refusal_words(result.reason, "en") == "Refused: this is longer than any sheet code."


def record(log: SessionLog, number: str, code: str | None, questionnaire: Questionnaire) -> None:
    now = datetime(2026, 12, 2, 10, 15)
    log.record(
        VisitRecord(
            started_at=now,
            ended_at=now,
            language="zh_CN",
            outcome="printed",
            answers=EXAMPLE,
            profile=score(questionnaire, EXAMPLE),
            sheet_number=number,
            sheet_code=code,
        )
    )


def test_a_typed_sheet_number_is_found_in_the_session_log_read_only(
    questionnaire: Questionnaire, code: str, tmp_path: Path
) -> None:
    log = SessionLog(tmp_path / DB_FILE)
    record(log, NUMBER, code, questionnaire)
    record(log, "0000-20261202-1002", None, questionnaire)  # from before the sheet code
    log.close()
    before = (tmp_path / DB_FILE).read_bytes()
    lookup = CounterLookup(questionnaire, KEY, [SessionLogSource(tmp_path / DB_FILE)])
    shown = found(lookup.read(NUMBER.lower()))
    assert (shown.sheet, shown.signature, shown.source) == (NUMBER, "valid", "session_log")
    assert shown.profile == score(questionnaire, EXAMPLE)
    assert shown.issued_at == datetime(2026, 12, 2, 10, 15)
    older = found(lookup.read("0000-20261202-1002"))
    assert (older.signature, older.profile.capacity.score) == ("not_recorded", 67)
    unknown = refused(lookup.read("0000-20261202-1003"))
    assert (unknown.reason, unknown.sheet) == ("not_found", "0000-20261202-1003")
    assert refusal_words(unknown.reason, "en", sheet=unknown.sheet) == (
        "Sheet 0000-20261202-1003 is not in the records this counter can read. "
        "Scan the sheet's QR code instead."
    )
    # Read with SQLite's mode=ro: the log is as it was (SQLite may leave its readers'
    # index, -shm, and an empty -wal beside it).
    assert (tmp_path / DB_FILE).read_bytes() == before
    wal = tmp_path / f"{DB_FILE}-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_no_session_log_is_not_found_and_none_is_made(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    lookup = CounterLookup.for_settings(load_settings(settings), questionnaire)
    assert [type(s) for s in sources_for(load_settings(settings))] == [SessionLogSource]
    assert refused(lookup.read(NUMBER)).reason == "not_found"
    assert not (tmp_path / "data").exists()


def test_a_logged_code_that_does_not_verify_is_refused(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    log = SessionLog(tmp_path / DB_FILE)
    record(log, NUMBER, encode(questionnaire, EXAMPLE, NUMBER, bytes(32)), questionnaire)
    log.close()
    lookup = CounterLookup(questionnaire, KEY, [SessionLogSource(tmp_path / DB_FILE)])
    result = refused(lookup.read(NUMBER))
    assert (result.reason, result.from_log) == ("tag", True)
    assert refusal_words(result.reason, "zh_CN", sheet=NUMBER, from_log=True).startswith(
        f"单号 {NUMBER} 记录的二维码：已拒绝"
    )


def test_the_staff_copy_is_the_sheet_with_its_staff_page_under_its_own_number(
    questionnaire: Questionnaire, code: str, tmp_path: Path
) -> None:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        f'[branch]\nsheet_key = "{KEY.hex()}"\n[storage]\ndata_dir = "{tmp_path / "data"}"\n',
        "utf-8",
    )
    settings = load_settings(settings_file)
    lookup = CounterLookup.for_settings(settings, questionnaire)
    number, pdf = staff_copy(lookup, found(lookup.read(code)), settings, "zh_CN")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert number == NUMBER
    assert len(pages) == 2
    assert NUMBER in pages[0].extract_text()
    assert "员工联" in pages[1].extract_text()
    assert not (tmp_path / "data").exists()  # no number taken, nothing kept
