"""Where the engine's data lives and which languages it carries.

The settings, the catalogues and the fonts use these too, so they live apart from the
questionnaire model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

LANGS: Final = ("zh_CN", "en")
QUESTIONNAIRE_FILE: Final = "questionnaire.toml"
TABLES_FILE: Final = "tables.toml"


def default_resources_dir() -> Path:
    """`resources/` beside the package in a checkout, or inside it when installed."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "resources", package / "resources"):
        if (candidate / QUESTIONNAIRE_FILE).is_file():
            return candidate
    return package.parent / "resources"
