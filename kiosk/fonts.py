"""Where the one bundled CJK font lives (the sheet and the screens load the same file)."""

from __future__ import annotations

from pathlib import Path

from kiosk.engine.resources import default_resources_dir

FONT_FILE = "wqy-microhei.ttc"


def font_path() -> Path:
    return default_resources_dir() / "fonts" / FONT_FILE
