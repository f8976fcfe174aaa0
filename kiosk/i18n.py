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
