"""What a logo file may be (`[branch] logo`, SPEC §13): at most 2 MB and 4000 pixels each
way, checked without decoding the image (the size from stat, the pixel size from the PNG
header or the SVG's width, height and viewBox), so that the start stays fast."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Final

MAX_LOGO_BYTES: Final = 2 * 1024 * 1024
MAX_LOGO_PIXELS: Final = 4000


def logo_problem(path: Path) -> str | None:
    """Why the logo file is too big for the sheet, or None (also when it cannot be read:
    `kiosk check-config` says so, and the sheet goes without it).

    Cheap enough for the start: the size from stat, the pixel size from the PNG header
    or the SVG's width, height and viewBox.
    """
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "is not a file; expected a PNG or SVG file"
    if info.st_size > MAX_LOGO_BYTES:
        return f"is {info.st_size:,} bytes; expected a logo of at most 2 MB"
    is_png = path.suffix.lower() == ".png"
    try:
        with path.open("rb") as handle:
            head = handle.read(24 if is_png else MAX_LOGO_BYTES)
    except OSError:
        return None
    if not is_png:
        sizes = svg_sizes(head)
    elif head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        sizes = [(float(int.from_bytes(head[16:20])), float(int.from_bytes(head[20:24])))]
    else:  # not a PNG: the sheet goes without it, and check-config says so
        sizes = []
    for width, height in sizes:
        if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
            return (
                f"is {width:.0f}×{height:.0f} pixels; "
                f"expected a logo of at most {MAX_LOGO_PIXELS} pixels each way"
            )
    return None


_SVG_ROOT = re.compile(rb"<svg\b([^>]*)>")
_SVG_ATTRIBUTE = re.compile(rb"""(?:^|\s)(width|height|viewBox)\s*=\s*["']([^"']*)["']""")
_SVG_LENGTH = re.compile(rb"\s*([-+0-9.eE]+)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*")
_CSS_PIXELS: Final = {
    b"": 1.0,
    b"px": 1.0,
    b"pt": 96 / 72,
    b"pc": 16.0,
    b"mm": 96 / 25.4,
    b"cm": 96 / 2.54,
    b"in": 96.0,
    b"em": 16.0,
    b"ex": 8.0,
}


def svg_sizes(svg: bytes) -> list[tuple[float, float]]:
    """The root element's width × height and its viewBox's, in pixels (0 when unknown)."""
    root = _SVG_ROOT.search(svg)
    if root is None:
        return []
    attributes = {name.decode(): value for name, value in _SVG_ATTRIBUTE.findall(root.group(1))}

    def pixels(text: bytes | None) -> float:
        match = _SVG_LENGTH.fullmatch(text or b"")
        if match is None:  # absent, a percentage or not a number
            return 0.0
        try:
            return float(match.group(1)) * _CSS_PIXELS[match.group(2) or b""]
        except ValueError:
            return 0.0

    sizes = [(pixels(attributes.get("width")), pixels(attributes.get("height")))]
    box = attributes.get("viewBox", b"").replace(b",", b" ").split()
    if len(box) == 4:
        sizes.append((pixels(box[2]), pixels(box[3])))
    return sizes
