"""`kiosk score` (a profile as JSON, or JSON Lines for a batch) and `kiosk report` (the
sheet as a PDF, without the screen)."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import IO, Any

from kiosk import engine
from kiosk.commands.answers import numbered_lines, open_binary, parse_json, read_text
from kiosk.commands.common import EXIT_OK, InputError, fail, settings_for
from kiosk.engine.errors import AnswerError
from kiosk.engine.profile import (
    allocation_json,
    explanation_json,
    questionnaire_json,
    segment_json,
)
from kiosk.files import write_atomic

# Profiles are plain trees: no need to check for circular references.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def cmd_score(args: argparse.Namespace) -> int:
    # Scoring uses no setting: only a file given with --settings is read (and must be valid).
    if getattr(args, "settings", None) is not None:
        settings_for(args)
    questionnaire = engine.load_questionnaire()
    if args.answers is not None:
        label = "standard input" if args.answers == "-" else args.answers
        text = read_text(args.answers, label)
        profile = engine.score(questionnaire, parse_json(text, label, questionnaire))
        _print_json(profile.to_json_dict(), sys.stdout)
        return EXIT_OK
    return _score_batch(questionnaire, args.batch)


def _score_batch(questionnaire: engine.Questionnaire, source: str) -> int:
    label = "standard input" if source == "-" else source
    out = sys.stdout
    lines = JsonLines()
    stream = sys.stdin.buffer if source == "-" else open_binary(source, label)
    try:
        for number, line in numbered_lines(stream):
            try:
                profile = engine.score(questionnaire, parse_json(line, "the line", questionnaire))
            except (AnswerError, InputError) as exc:
                out.flush()
                return fail(f"line {number}: {exc}")
            out.write(lines.line(profile))
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    return EXIT_OK


class JsonLines:
    """Profiles as JSON Lines: each line exactly `_COMPACT.encode(profile.to_json_dict())`
    and "\n", put together from texts encoded once.

    Encoding is most of the time a batch line takes, and a profile is made of few
    different values: one questionnaire, 25 allocations, a few life stages, life cycles,
    segments and explanations, five levels, and the points of each answer. Each is
    encoded the first time it comes, and its text used again (a few thousand texts at
    most); only the two scores are written every time.
    """

    def __init__(self) -> None:
        def json_of(to_json: Callable[[Any], object]) -> _Encoded:
            return _Encoded(lambda value: _COMPACT.encode(to_json(value)))

        self._questionnaires = json_of(questionnaire_json)
        self._allocations = json_of(allocation_json)
        self._segments = json_of(segment_json)
        self._explanations = json_of(explanation_json)
        self._values = _Encoded(_COMPACT.encode)
        self._points = _Encoded(lambda pair: f"{_COMPACT.encode(pair[0])}:{pair[1]}")

    def line(self, profile: engine.Profile) -> str:
        return "".join(
            (
                '{"questionnaire":',
                self._questionnaires[profile.questionnaire],
                ',"capacity":',
                self._dimension(profile.capacity),
                ',"attitude":',
                self._dimension(profile.attitude),
                ',"allocation":',
                self._allocations[profile.allocation],
                ',"life_stage":',
                self._values[profile.life_stage],
                ',"life_cycle":',
                self._values[profile.life_cycle],
                ',"segment":',
                self._segments[profile.segment],
                ',"explanation":',
                self._explanations[profile.explanation],
                "}\n",
            )
        )

    def _dimension(self, dimension: engine.Dimension) -> str:
        """_COMPACT.encode(dimension_json(dimension))."""
        level = self._values[dimension.level]
        points = ",".join(map(self._points.__getitem__, dimension.points))
        return f'{{"score":{dimension.score},"level":{level},"points":{{{points}}}}}'


class _Encoded(dict[Hashable, str]):
    """value → its JSON text, made by `encode` the first time the value is looked up."""

    def __init__(self, encode: Callable[[Any], str]) -> None:
        super().__init__()
        self._encode = encode

    def __missing__(self, value: Hashable) -> str:
        text = self[value] = self._encode(value)
        return text


def cmd_report(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    questionnaire = engine.load_questionnaire()
    label = "standard input" if args.answers == "-" else args.answers
    text = read_text(args.answers, label)
    profile = engine.score(questionnaire, parse_json(text, label, questionnaire))
    out: Path = args.out
    _check_out(out)
    if not out.parent.is_dir():
        raise InputError(
            f"{out}: its folder {out.parent} does not exist; create it or choose another --out"
        )
    if not os.access(out.parent, os.W_OK):
        raise InputError(f"{out}: its folder {out.parent} is not writable; choose another --out")
    # Imported here: reportlab is only needed by this command.
    from kiosk.issuing import SheetService  # noqa: PLC0415

    lang = args.lang or settings.kiosk.language
    sheet = SheetService(settings, questionnaire).issue(profile, lang, staff_copy=args.staff_copy)
    try:
        write_atomic(out, sheet.pdf)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot be written ({exc.strerror}); free some space or choose another --out"
        ) from None
    print(f"sheet {sheet.number} written to {out}")
    return EXIT_OK


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_out(out: Path) -> None:
    """--out must be a new name or a regular file (or a link to one): writing it replaces
    the name, and as root that replaced /dev/null with a file."""
    try:
        mode = out.stat().st_mode  # follows a link, to what would be written over
    except FileNotFoundError:  # a new name (or a link to nothing)
        return
    except OSError as exc:
        raise InputError(f"{out}: cannot be used ({exc.strerror}); choose another --out") from None
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    link = "a link to " if out.is_symlink() else ""
    raise InputError(
        f"{out}: is {link}{what}; expected a .pdf file name for --out (a new or a regular file)"
    )


def _print_json(data: dict[str, Any], out: IO[str]) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2))
    out.write("\n")
    out.flush()
