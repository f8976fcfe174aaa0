"""The scoring engine: pure Python, no Qt, no reportlab, no I/O beyond reading its data.

The names below load their module on first use (PEP 562): building the questionnaire
model costs tens of milliseconds, and the kiosk's first screen, the settings and the
catalogues need only `kiosk.engine.errors` and `kiosk.engine.resources`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.engine.errors import AnswerError, DataError, KioskError
    from kiosk.engine.profile import Allocation, Dimension, Profile, QuestionnaireRef, Segment
    from kiosk.engine.questionnaire import (
        Question,
        Questionnaire,
        Tables,
        Text,
        load_questionnaire,
    )
    from kiosk.engine.resources import LANGS, default_resources_dir
    from kiosk.engine.scoring import accepted, score

_WHERE = {
    "AnswerError": "errors",
    "DataError": "errors",
    "KioskError": "errors",
    "Allocation": "profile",
    "Dimension": "profile",
    "Profile": "profile",
    "QuestionnaireRef": "profile",
    "Segment": "profile",
    "Question": "questionnaire",
    "Questionnaire": "questionnaire",
    "Tables": "questionnaire",
    "Text": "questionnaire",
    "load_questionnaire": "questionnaire",
    "LANGS": "resources",
    "default_resources_dir": "resources",
    "accepted": "scoring",
    "score": "scoring",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "LANGS",
    "Allocation",
    "AnswerError",
    "DataError",
    "Dimension",
    "KioskError",
    "Profile",
    "Question",
    "Questionnaire",
    "QuestionnaireRef",
    "Segment",
    "Tables",
    "Text",
    "accepted",
    "default_resources_dir",
    "load_questionnaire",
    "score",
]
