"""Make the counter's screenshots in docs/ (SPEC §16), offscreen: the worked example's sheet
code scanned (zh_CN at 1920×1080, English at 1280×800) and a changed code refused.

    .venv/bin/python scripts/counter_screenshots.py [--out docs]

The code is signed with a throwaway key written into a throwaway settings file, as a
kiosk with that key would print it; it is typed into `counter.input` the way a USB
scanner types it (the characters, then Enter). The PNGs are stored with 64 colours.
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.engine import default_resources_dir, load_questionnaire
from kiosk.engine.sheet_code import encode
from kiosk.ui import counter_window
from kiosk.ui.app import ensure_app

NUMBER = "0000-20261202-1001"
SHOTS = (
    ("counter-1920x1080-zh_CN.png", "zh_CN", (1920, 1080), False),
    ("counter-1280x800-en.png", "en", (1280, 800), False),
    ("counter-refused-1920x1080-zh_CN.png", "zh_CN", (1920, 1080), True),
)


def shoot(folder: Path, out: Path, lang: str, size: tuple[int, int], changed: bool) -> None:
    key = secrets.token_hex(32)
    settings = folder / f"settings-{lang}.toml"
    settings.write_text(
        f'[branch]\nsheet_key = "{key}"\n[kiosk]\nlanguage = "{lang}"\n'
        f'[storage]\ndata_dir = "{folder / "data"}"\n',
        "utf-8",
    )
    answers = json.loads(
        (default_resources_dir() / "examples" / "worked_example.json").read_text("utf-8")
    )
    code = encode(load_questionnaire(), answers, NUMBER, bytes.fromhex(key))
    if changed:  # the age changed from 38 to 39 by hand: the tag no longer matches
        code = code.replace(":38.", ":39.")
    window: QWidget = counter_window(settings)
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)
    field = window.findChild(QLineEdit, "counter.input")
    assert field is not None
    QTest.keyClicks(field, code)
    QTest.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()  # the layout, as the event loop does it before painting
    window.repaint()
    window.grab().save(str(out))
    window.close()
    # 64 colours look the same and take a third of the room (text, flat fills)
    with Image.open(out) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    ensure_app()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, lang, size, changed in SHOTS:
            shoot(Path(folder), args.out / name, lang, size, changed)
            print(args.out / name)


if __name__ == "__main__":
    main()
