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
from collections.abc import Callable
from pathlib import Path

from kiosk.engine import LANGS, DataError, default_resources_dir

SOURCE_LANG = "en"


def catalogue_path(lang: str) -> Path:
    return default_resources_dir() / "i18n" / f"{lang}.po"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The translations of one language; raises DataError naming a missing or broken file."""
    if lang not in LANGS:
        raise DataError(
            [f"language: {lang!r} is not supported; expected one of {', '.join(LANGS)}"]
        )
    if lang == SOURCE_LANG:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only when a catalogue loads
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
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


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
