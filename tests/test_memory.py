"""Memory for a kiosk that runs for months: a sheet leaves no garbage holding the font."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

from kiosk.engine import load_questionnaire, score
from kiosk.fonts import font_path
from kiosk.settings import load_settings
from kiosk.ui.sheets import make_sheet
from tests.conftest import WORKED_EXAMPLE

EXAMPLE: dict[str, Any] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))


def unreachable_now() -> list[object]:
    """What a full collection finds unreachable at this moment (looked at, then freed)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def reachable_bytes(roots: list[object]) -> list[int]:
    """Sizes of the bytes objects reachable from `roots` (through Python objects)."""
    seen: set[int] = set()
    sizes: list[int] = []
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        if isinstance(item, bytes):
            sizes.append(len(item))
        stack.extend(gc.get_referents(item))
    return sizes


def test_a_sheet_leaves_no_cycles_holding_the_font_file(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    questionnaire = load_questionnaire()
    profile = score(questionnaire, EXAMPLE)
    settings = load_settings(settings_file)
    gc.collect()
    sheet = make_sheet(questionnaire, profile, settings, "zh_CN", None)
    assert sheet.kept is not None
    garbage = unreachable_now()
    reportlab = [o for o in garbage if type(o).__module__.startswith("reportlab")]
    font_size = font_path().stat().st_size
    assert [size for size in reachable_bytes(garbage) if size >= font_size] == [], (
        "a copy of the font file waits for Python's next full collection"
    )
    assert reportlab == []
