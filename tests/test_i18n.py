"""Every interface and sheet text in the code has a zh_CN translation in the catalogue."""

from __future__ import annotations

import gettext
import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import kiosk
from kiosk import cli, i18n
from kiosk.engine import DataError, default_resources_dir
from kiosk.engine import loading as questionnaire_module

PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


def code_messages() -> set[str]:
    package = Path(kiosk.__file__).parent
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(package)):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue() -> dict[str, tuple[str, bool]]:
    with i18n.catalogue_path("zh_CN").open("rb") as handle:
        po = read_po(handle, locale="zh_CN")
    return {m.id: (m.string, m.fuzzy) for m in po if m.id and isinstance(m.id, str)}


def test_code_has_texts_to_translate() -> None:
    assert "Risk capacity" in code_messages()


def test_every_text_is_translated_and_not_fuzzy() -> None:
    entries = catalogue()
    missing = sorted(code_messages() - entries.keys())
    assert not missing, f"add to resources/i18n/zh_CN.po: {missing}"
    for msgid, (msgstr, fuzzy) in entries.items():
        assert msgstr.strip(), f"empty translation for {msgid!r}"
        assert not fuzzy, f"fuzzy translation for {msgid!r}"
        assert PLACEHOLDER.findall(msgid) == PLACEHOLDER.findall(msgstr) or sorted(
            PLACEHOLDER.findall(msgid)
        ) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_catalogue_has_no_stale_entries() -> None:
    stale = sorted(catalogue().keys() - code_messages())
    assert not stale, f"remove from resources/i18n/zh_CN.po: {stale}"


def test_translations_are_served() -> None:
    assert i18n.texts("zh_CN")("Risk capacity") == "风险承受力"
    assert i18n.texts("en")("Risk capacity") == "Risk capacity"


def test_a_broken_catalogue_is_named_by_check_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "resources"
    shutil.copytree(default_resources_dir(), folder)
    po = folder / "i18n" / "zh_CN.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "Dangling"\n', "utf-8")
    monkeypatch.setattr(questionnaire_module, "default_resources_dir", lambda: folder)
    monkeypatch.setattr(i18n, "default_resources_dir", lambda: folder)
    i18n.translations.cache_clear()
    try:
        with pytest.raises(DataError, match=r"zh_CN\.po: is not a valid \.po catalogue"):
            i18n.translations("zh_CN")
        i18n.translations.cache_clear()
        assert cli.main(["check-config"]) == 2
        out, _ = capsys.readouterr()
        assert "zh_CN.po: is not a valid .po catalogue" in out
    finally:
        i18n.translations.cache_clear()


def test_the_compiled_catalogue_is_current() -> None:
    assert i18n.compiled_is_current("zh_CN"), "run: .venv/bin/python -m kiosk.i18n"
    with i18n.compiled_path("zh_CN").open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    fresh = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue("zh_CN")))
    # Every message but the header (which carries babel's time stamp) is the same.
    shipped_messages = {k: v for k, v in shipped._catalog.items() if k}  # type: ignore[attr-defined]
    fresh_messages = {k: v for k, v in fresh._catalog.items() if k}  # type: ignore[attr-defined]
    assert shipped_messages == fresh_messages
    assert len(shipped_messages) > 100
