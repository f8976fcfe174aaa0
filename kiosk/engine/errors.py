"""Errors of the engine. Each one names the key, the value and what is accepted."""

from __future__ import annotations

import json

SHOWN_CHARS = 80
"""An error message quotes at most this many characters of a value or a key."""


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` cut to `limit` characters, the cut marked with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(value: object) -> str:
    """Render a value the way it appears in JSON/TOML, so `true` and `"18"` stay distinct;
    at most SHOWN_CHARS characters of it (a 200 MB line is not echoed whole)."""
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        value = value[:SHOWN_CHARS]  # render no more than can be shown
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        try:
            text = repr(value)
        except ValueError:  # an int too long to convert to text
            text = f"<{type(value).__name__}>"
    return shorten(text)


class KioskError(Exception):
    """Base of the errors that reach a person as one clear line."""


MISSING = object()
"""Stands for the value of a key that is absent."""


class AnswerError(KioskError):
    """An answers object that the questionnaire does not accept."""

    def __init__(self, key: str, value: object, problem: str, accepted: str) -> None:
        self.key = key
        self.value = value
        self.problem = problem
        self.accepted = accepted
        shown = "missing" if value is MISSING else show_value(value)
        super().__init__(f"{shorten(key)}: {shown} {problem}; expected {accepted}")


class DataError(KioskError):
    """Resource or settings data that fails validation; carries every problem found."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))
