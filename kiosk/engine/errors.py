"""Errors of the engine. Each one names the key, the value and what is accepted."""

from __future__ import annotations

import json


def show_value(value: object) -> str:
    """Render a value the way it appears in JSON/TOML, so `true` and `"18"` stay distinct."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


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
        super().__init__(f"{key}: {shown} {problem}; expected {accepted}")


class DataError(KioskError):
    """Resource or settings data that fails validation; carries every problem found."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))
