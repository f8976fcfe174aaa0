"""How the kiosk writes things a client reads, for the screens and the sheet alike
(no Qt, no reportlab): answers, money in each language's own way, and Chinese phrases
kept whole when a line wraps."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.engine import Question

WORD_JOINER = "\u2060"
"""Zero width, no break on either side (UAX #14 class WJ); not drawn."""
_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BETWEEN_IDEOGRAPHS = re.compile(f"(?<=[{_IDEOGRAPHS}])(?=[{_IDEOGRAPHS}])")
_LONGEST_PHRASE = 12
"""A longer run of ideographs may still break: it might not fit a line in large text."""


def money(lang: str, yuan: int) -> str:
    """An amount of money as a client reads it: 1.5万元, 20万元; 15,000 yuan."""
    if lang == "zh_CN":
        return f"{yuan / 10000:.4g}万元" if yuan >= 1000 else f"{yuan}元"
    return f"{yuan:,} yuan"


def keep_phrases(text: str) -> str:
    """Chinese text whose lines break only between phrases (at punctuation, spaces and
    Latin text), never inside a word such as 工作人员: a word joiner goes between the
    ideographs of each phrase of up to 12 of them."""
    return re.sub(
        f"[{_IDEOGRAPHS}]{{2,{_LONGEST_PHRASE}}}",
        lambda run: _BETWEEN_IDEOGRAPHS.sub(WORD_JOINER, run.group(0)),
        text,
    )


def plain(text: str) -> str:
    """The text without the joiners keep_phrases() put in."""
    return text.replace(WORD_JOINER, "")


def answer(question: Question, value: int | str, lang: str) -> str:
    """An answer as the client reads it, on the screen and on the sheet alike: the
    option's text, or the number with its unit (38岁, 20%; 38 years, 20%)."""
    if question.kind == "number":
        unit = question.unit.get(lang) if question.unit is not None else ""
        space = " " if lang == "en" and unit[:1].isalpha() else ""
        return f"{value}{space}{unit}"
    option = question.option(str(value))
    return option.text.get(lang) if option is not None else str(value)


def printer_cause(reason: str, _: Callable[[str], str]) -> str:
    """Why a sheet did not print, in the client's words (SPEC §19), for the reason codes of
    kiosk.printing; '' when the cause is not one a client can picture."""
    causes = {
        "media_empty": _("The printer is out of paper."),
        "media_jam": _("The printer has a paper jam."),
        "door_open": _("A cover of the printer is open."),
        "toner_empty": _("The printer is out of toner."),
        "offline": _("The printer is switched off or not connected."),
        "timeout": _("The printer did not finish in time."),
    }
    return causes.get(reason, "")
