"""The layers of DESIGN.md hold: the engine is pure Python and imports nothing of ours;
README's layout names every module."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import kiosk.engine

ENGINE = Path(kiosk.engine.__file__).parent
ROOT = ENGINE.parents[1]
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


def test_the_readmes_layout_names_every_module() -> None:
    """README's layout section shows the tree as it is: every module of kiosk/ is named."""
    readme = (ROOT / "README.md").read_text("utf-8")
    layout = readme[readme.index("- Layout as in DESIGN.md") : readme.index("- Extra arguments")]
    named = set(re.findall(r"[a-z0-9_]+\.py", layout))
    modules = {
        path.name
        for path in (ROOT / "kiosk").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    }
    assert sorted(modules - named) == []
