"""Interface and sheet texts: English msgids in the code, translations in data.

`resources/i18n/<lang>.po` holds each language's catalogue (English needs none: the
msgids are English). Catalogues are compiled in memory with babel and served by the
standard library's gettext. Mark a text with `_ = texts(lang)` and `_("Text")`, so that
babel's extractor (and the test that compares code and catalogue) finds it.
"""

from __future__ import annotations

import functools
import gettext
import io
import tomllib
import zlib
from collections.abc import Callable
from pathlib import Path

from kiosk.engine.errors import DataError
from kiosk.engine.resources import LANGS, default_resources_dir

SOURCE_LANG = "en"
DIGEST_SUFFIX = ".mo.crc32"
"""Beside <lang>.mo: the checksum of the .po it was compiled from."""


def catalogue_path(lang: str) -> Path:
    return default_resources_dir() / "i18n" / f"{lang}.po"


def compiled_path(lang: str) -> Path:
    return catalogue_path(lang).with_suffix(".mo")


def _source_digest(lang: str) -> str:
    """CRC-32 of the .po: enough to notice an edited catalogue, and cheap at start
    (hashlib's OpenSSL would cost the first screen ~3 ms)."""
    return f"{zlib.crc32(catalogue_path(lang).read_bytes()):08x}"


def compile_catalogue(lang: str) -> bytes:
    """The .po catalogue compiled to .mo bytes with babel; DataError names a broken file."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only when compiling
    from babel.messages.pofile import PoFileError, read_po  # noqa: PLC0415

    path = catalogue_path(lang)
    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=lang, abort_invalid=True)
    except FileNotFoundError:
        raise DataError([f"{path}: file not found; expected the {lang} catalogue"]) from None
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise DataError([f"{path}: is not a valid .po catalogue ({exc}); fix it"]) from None
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    return compiled.getvalue()


def write_compiled(lang: str) -> Path:
    """Write <lang>.mo and the digest of the .po it came from (`python -m kiosk.i18n`)."""
    target = compiled_path(lang)
    target.write_bytes(compile_catalogue(lang))
    target.with_suffix(DIGEST_SUFFIX).write_text(_source_digest(lang) + "\n", "utf-8")
    return target


def compiled_is_current(lang: str) -> bool:
    digest = compiled_path(lang).with_suffix(DIGEST_SUFFIX)
    try:
        return digest.read_text("utf-8").strip() == _source_digest(lang)
    except OSError:
        return False


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The translations of one language; raises DataError naming a missing or broken file.

    Loads the compiled <lang>.mo when it was made from the .po as it is now (fast, no
    babel); otherwise compiles the .po in memory.
    """
    if lang not in LANGS:
        raise DataError(
            [f"language: {lang!r} is not supported; expected one of {', '.join(LANGS)}"]
        )
    if lang == SOURCE_LANG:
        return gettext.NullTranslations()
    if compiled_is_current(lang):
        with compiled_path(lang).open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.GNUTranslations(io.BytesIO(compile_catalogue(lang)))


def texts(lang: str) -> Callable[[str], str]:
    """The gettext function for a language."""
    return translations(lang).gettext


def in_every_language(message: str, separator: str = "\n") -> str:
    """A text in every language at once, zh_CN first (before a client has chosen one).

    Falls back to the English msgid for a catalogue that cannot be read, so an error
    screen can still say what is wrong.
    """
    shown = []
    for lang in LANGS:
        try:
            shown.append(texts(lang)(message))
        except DataError:
            shown.append(message)
    return separator.join(dict.fromkeys(shown))


@functools.cache
def language_names() -> dict[str, str]:
    """Each language's name in itself (resources/i18n/languages.toml)."""
    path = default_resources_dir() / "i18n" / "languages.toml"
    try:
        with path.open("rb") as handle:
            names = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError([f"{path}: cannot be read ({exc}); reinstall the kiosk"]) from None
    missing = [lang for lang in LANGS if not isinstance(names.get(lang), str)]
    if missing:
        raise DataError([f"{path}: {', '.join(missing)}: missing; expected each language's name"])
    return {lang: str(names[lang]) for lang in LANGS}


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for code in LANGS:
        if code != SOURCE_LANG:
            print(write_compiled(code))
