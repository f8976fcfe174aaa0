"""How the kiosk writes things a client reads, for the screens and the sheet alike
(no Qt, no reportlab): answers, money in each language's own way, Chinese phrases
kept whole when a line wraps, and the explanation of a result (SPEC §15)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.engine import Allocation, Profile, Question, Tables

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


def sentences(lang: str, *parts: str) -> str:
    """Sentences one after the other: Chinese ones run on, English ones take a space;
    empty parts are left out."""
    return ("" if lang == "zh_CN" else " ").join(part for part in parts if part)


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


@dataclass(frozen=True)
class NearLine:
    """An axis one answer away from a neighbouring level (SPEC §15.2), in words."""

    axis: str
    """capacity or attitude: which result it belongs to (`result.explain.near.<axis>`)."""
    sentence: str
    """e.g. 您的风险承受度得分为58分，再多2分即为中高承受度。"""
    level: str
    """The neighbouring level's name for that axis, e.g. 中高承受度."""
    allocation: tuple[tuple[str, int], ...]
    """The allocation at that level: (risk class name, percent), low risk first."""


@dataclass(frozen=True)
class CheckLine:
    """A check rule that holds (`result.check.<id>`) and what it says."""

    id: str
    text: str


@dataclass(frozen=True)
class Explained:
    """A profile's explanation as the result screen and the sheet both say it."""

    limited_by: str
    """Which axis limited the allocation, as one sentence."""
    near: tuple[NearLine, ...]
    """Capacity first; empty when neither axis is near a neighbouring level."""
    heading: str
    """"Worth discussing with our staff", over the checks; empty when none holds."""
    checks: tuple[CheckLine, ...]
    lowest_category: str
    """The lowest-category note; empty when it does not hold."""


def explanation_lines(tables: Tables, profile: Profile, lang: str) -> Explained:
    """The words for a profile's explanation (SPEC §15) in `lang`, all from the data."""
    explanation = profile.explanation
    words = tables.explanation
    near = tuple(
        NearLine(
            axis=item.axis,
            sentence=words.near[item.direction]
            .get(lang)
            .format(
                axis=words.axes[item.axis].get(lang),
                score=item.score,
                points=item.points_away,
                level=_level_name(tables, item.level, item.axis, lang),
            ),
            level=_level_name(tables, item.level, item.axis, lang),
            allocation=shares(tables, item.allocation, lang),
        )
        for item in explanation.near
    )
    checks = tuple(
        CheckLine(rule, tables.check(rule).text.get(lang)) for rule in explanation.checks
    )
    return Explained(
        limited_by=words.limited_by[explanation.limited_by].get(lang),
        near=near,
        heading=words.heading.get(lang) if checks else "",
        checks=checks,
        lowest_category=words.lowest_category.get(lang) if explanation.lowest_category else "",
    )


def shares(tables: Tables, allocation: Allocation, lang: str) -> tuple[tuple[str, int], ...]:
    """An allocation as (risk class name, percent), low risk first."""
    return tuple(
        (risk_class.name.get(lang), percent)
        for risk_class, percent in zip(tables.risk_classes, allocation.as_tuple(), strict=True)
    )


def loss_warning(tables: Tables, lang: str) -> str:
    """The warning under the loss question's number pad while 0 is entered (SPEC §15.4)."""
    return tables.explanation.loss_warning.get(lang)


def _level_name(tables: Tables, level_id: str, axis: str, lang: str) -> str:
    level = tables.level(level_id)
    return (level.capacity if axis == "capacity" else level.attitude).get(lang)
