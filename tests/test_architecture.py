"""The layers of DESIGN.md hold: the engine is pure Python and imports nothing of ours."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import kiosk.engine

ENGINE = Path(kiosk.engine.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "reportlab", "platformdirs", "sqlite3")


def test_engine_loads_and_scores_without_qt_or_reportlab() -> None:
    code = (
        "import json, sys\n"
        "from kiosk.engine import load_questionnaire, score\n"
        "from kiosk.engine import default_resources_dir as d\n"
        "answers = json.loads((d() / 'examples' / 'worked_example.json').read_text('utf-8'))\n"
        "score(load_questionnaire(), answers)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_engine_source_imports_only_the_standard_library_and_itself() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"kiosk"}
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed_roots, f"{path.name} imports {name}"
                if name.startswith("kiosk."):
                    assert name.startswith("kiosk.engine"), f"{path.name} imports {name}"
