"""The scoring engine: pure Python, no Qt, no reportlab, no I/O beyond reading its data."""

from kiosk.engine.errors import AnswerError, DataError, KioskError
from kiosk.engine.profile import Allocation, Dimension, Profile, QuestionnaireRef, Segment
from kiosk.engine.questionnaire import (
    LANGS,
    Question,
    Questionnaire,
    Tables,
    Text,
    default_resources_dir,
    load_questionnaire,
)
from kiosk.engine.scoring import accepted, score

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
