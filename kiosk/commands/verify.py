"""`kiosk verify CODE|-`: check sheet codes (SPEC §16) and print their profiles.

One JSON object a code, on one line: `{"sheet": …, "signature": "valid"|"unsigned",
"profile": {…}}`, the profile exactly as `kiosk score` gives it (the engine's score of the
code's answers). A refused code prints one line on standard error naming the problem and
nothing on standard output; the exit status is then 2. With `-`, one code a line from
standard input, as a USB scanner types it (the line end, CR LF or LF, is not part of it);
every line is checked, and a line too long to be a code is refused without being kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from kiosk import engine
from kiosk.commands.common import EXIT_OK, InputError, fail, settings_for
from kiosk.engine.errors import AnswerError
from kiosk.engine.sheet_code import MAX_CODE_CHARS, SheetCodeError, decode, key_from_hex

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_CHUNK = 64 * 1024
"""A line longer than a code is skipped in reads of this size (it may never end)."""


def cmd_verify(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    key = key_from_hex(settings.branch.sheet_key)  # validated with the settings
    questionnaire = engine.load_questionnaire()
    out = sys.stdout
    if args.code != "-":
        try:
            out.write(_verified(questionnaire, args.code, key) + "\n")
        except (SheetCodeError, AnswerError) as exc:
            return fail(f"kiosk verify: {exc}")
        out.flush()
        return EXIT_OK
    status = EXIT_OK
    try:
        for number, line in _lines(sys.stdin.buffer):
            try:
                if isinstance(line, SheetCodeError):
                    raise line
                result = _verified(questionnaire, line, key)
            except (SheetCodeError, AnswerError) as exc:
                out.flush()
                status = fail(f"line {number}: {exc}")
                continue
            out.write(result + "\n")
            out.flush()  # the counter sees each scan as it comes
    except OSError as exc:
        raise InputError(f"standard input: cannot be read ({exc.strerror})") from None
    return status


def _verified(questionnaire: engine.Questionnaire, code: str, key: bytes | None) -> str:
    sheet = decode(questionnaire, code, key)
    profile = engine.score(sheet.questionnaire, dict(sheet.answers))
    result: dict[str, Any] = {
        "sheet": sheet.sheet,
        "signature": sheet.signature,
        "profile": profile.to_json_dict(),
    }
    return _COMPACT.encode(result)


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str | SheetCodeError]]:
    """Non-blank lines without their line end, numbered from 1, or the error of a line
    too long to be a code (the rest of it is read in chunks and dropped: it may never
    end). Bytes that are not UTF-8 become U+FFFD, which decode refuses."""
    read = partial(stream.readline, MAX_CODE_CHARS + 3)  # a code, CR, LF, and one more
    for number, raw in enumerate(iter(read, b""), start=1):
        if len(raw) > MAX_CODE_CHARS + 2 and not raw.endswith(b"\n"):
            length, chunk = len(raw), raw
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(_CHUNK)
                length += len(chunk)
            length -= chunk.endswith(b"\n")
            yield (
                number,
                SheetCodeError(
                    f"the code is {length:,} bytes long; "
                    f"a sheet code has at most {MAX_CODE_CHARS} characters",
                    "too_long",
                ),
            )
            continue
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if text.strip():
            yield number, text
