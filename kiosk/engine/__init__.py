"""The scoring engine: pure Python, no Qt, no reportlab, no I/O beyond reading its data.

`model` holds the questionnaire and its tables as frozen dataclasses, `loading` reads and
fingerprints `resources/*.toml` and builds the model, checked by `validation`; `scoring`
turns one answers object into a `profile.Profile`, with its explanation (`explaining`;
the check rules and their words are loaded by `explanation_data`). The names below are
the public API.
"""

from __future__ import annotations

from kiosk.engine.errors import AnswerError, DataError, KioskError
from kiosk.engine.loading import load_questionnaire
from kiosk.engine.model import Question, Questionnaire, QuestionnaireRef, Text
from kiosk.engine.profile import Allocation, Dimension, Explanation, Near, Profile, Segment
from kiosk.engine.resources import LANGS, default_resources_dir
from kiosk.engine.scoring import accepted, score
from kiosk.engine.tables import CheckRule, ExplanationTexts, Tables

__all__ = [
    "LANGS",
    "Allocation",
    "AnswerError",
    "CheckRule",
    "DataError",
    "Dimension",
    "Explanation",
    "ExplanationTexts",
    "KioskError",
    "Near",
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
