"""The questionnaire and its tables as frozen dataclasses (built by `kiosk.engine.loading`).

Every text, point value, threshold and table comes from `resources/`; these classes only
hold it and answer the lookups scoring needs (SPEC §3–§9).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from kiosk.engine.tables import Tables

SCORED_SECTIONS: Final = ("capacity", "attitude")
SECTIONS: Final = ("capacity", "attitude", "life_cycle", "segment")
RISK_CLASS_IDS: Final = ("low_risk", "medium_risk", "high_risk")
LIFE_CYCLE_QUESTIONS: Final = ("marital", "children", "employment")
SEGMENT_QUESTIONS: Final = ("capital", "activity")
LIMITED_BY: Final = ("capacity", "attitude", "balanced")
"""The values of an explanation's `limited_by` (SPEC §15.1)."""
NEAR_DIRECTIONS: Final = ("above", "below")
LOSS_QUESTION: Final = "loss_tolerance_pct"
"""Its answer 0 puts the client in the lowest category (SPEC §15.4)."""


@dataclass(frozen=True)
class Text:
    """A text a person reads, in every supported language."""

    zh_CN: str  # noqa: N815 - the language tag is the key in data
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh_CN


@dataclass(frozen=True)
class TextList:
    zh_CN: tuple[str, ...]  # noqa: N815 - the language tag is the key in data
    en: tuple[str, ...]

    def get(self, lang: str) -> tuple[str, ...]:
        return self.en if lang == "en" else self.zh_CN


@dataclass(frozen=True)
class LinearPoints:
    """points = clamp(base + per_unit × value, floor, cap)."""

    base: int
    per_unit: int
    floor: int
    cap: int

    def __call__(self, value: int) -> int:
        return max(self.floor, min(self.cap, self.base + self.per_unit * value))


@dataclass(frozen=True)
class Option:
    id: str
    text: Text
    points: int | None


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: Literal["choice", "number"]
    text: Text
    help: Text
    options: tuple[Option, ...] = ()
    minimum: int = 0
    maximum: int = 0
    unit: Text | None = None
    points_rule: LinearPoints | None = None

    @cached_property
    def scored(self) -> bool:
        """Its points count towards risk capacity or risk attitude."""
        return self.section in SCORED_SECTIONS

    @cached_property
    def required(self) -> bool:
        """It must be answered: the scored questions are, the others may be skipped."""
        return self.scored

    def option(self, option_id: str) -> Option | None:
        return self._options.get(option_id)

    @cached_property
    def _options(self) -> Mapping[str, Option]:
        return {option.id: option for option in self.options}

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    @cached_property
    def answer_type(self) -> type:
        """int for a number question, str for a choice question."""
        return int if self.kind == "number" else str

    @cached_property
    def points_by_answer(self) -> Mapping[object, int]:
        """Every accepted answer → its points (0 for unscored questions).

        A lookup table, so scoring is one dict access a question; check answer_type
        first (1.0 == 1 == True in a dict).
        """
        if self.points_rule is not None:
            rule = self.points_rule
            return {value: rule(value) for value in range(self.minimum, self.maximum + 1)}
        return {option.id: option.points or 0 for option in self.options}


@dataclass(frozen=True)
class Level:
    id: str
    minimum: int
    maximum: int
    name: Text
    capacity: Text
    attitude: Text


@dataclass(frozen=True)
class RiskClass:
    id: str
    name: Text
    examples: TextList


@dataclass(frozen=True)
class LifeStage:
    id: str
    min_age: int
    max_age: int
    name: Text
    trait: Text
    focus: Text


@dataclass(frozen=True)
class LifeCycleRule:
    stage: str
    conditions: tuple[tuple[str, frozenset[str]], ...]
    min_age: int | None
    max_age: int | None

    def matches(self, age: int, answers: Mapping[str, str]) -> bool:
        if self.min_age is not None and age < self.min_age:
            return False
        if self.max_age is not None and age > self.max_age:
            return False
        return all(answers.get(key) in accepted for key, accepted in self.conditions)


@dataclass(frozen=True)
class LifeCycleStage:
    id: str
    name: Text
    situation: Text
    needs: Text


@dataclass(frozen=True)
class CapitalBand:
    id: str
    name: Text
    min_cny: int
    max_cny: int | None
    service_level: str


@dataclass(frozen=True)
class ActivityBand:
    id: str
    name: Text
    turnover: Text
    min_turnover: int
    max_turnover: int | None
    services: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    """A service level (基础/增值/卓越服务) or a service content (提醒/专业/情感服务)."""

    id: str
    name: Text
    description: Text


@dataclass(frozen=True)
class Allocation:
    """A cell of the allocation matrix (SPEC §6), in percent."""

    low_risk: int
    medium_risk: int
    high_risk: int

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.low_risk, self.medium_risk, self.high_risk)


@dataclass(frozen=True)
class Segment:
    """A client segment (SPEC §9)."""

    id: str
    capital: str
    activity: str
    key_client: bool


@dataclass(frozen=True)
class Near:
    """An axis near a neighbouring level (SPEC §15.2): `level` is that level, and
    `allocation` the matrix cell with this axis there and the other axis unchanged."""

    axis: str
    score: int
    boundary: int
    points_away: int
    level: str
    allocation: Allocation

    @property
    def direction(self) -> str:
        """above when the neighbouring level is across the boundary above the score."""
        return "above" if self.boundary > self.score else "below"


@dataclass(frozen=True)
class QuestionnaireRef:
    """Which questionnaire scored a profile: id, version and the sha256 of its data."""

    id: str
    version: str
    sha256: str


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    sha256: str
    questions: tuple[Question, ...]
    tables: Tables

    @cached_property
    def life_cycle_lookup(self) -> Mapping[tuple[object, object, object, int], str]:
        """(marital, children, employment, age) → family life-cycle stage, for every answer.

        Built from the rules (Tables.life_cycle_of), so a lookup gives what the rules give;
        a key with an unanswered question is absent: the stage is unknown.
        """
        marital, children, employment = (
            self.question(key).option_ids for key in LIFE_CYCLE_QUESTIONS
        )
        first, last = self.question("age").minimum, self.question("age").maximum
        # The rules give one stage from each age at which one of them starts or stops
        # matching to the next: evaluate them there, not at every age.
        edges = {first, last + 1}
        for rule in self.tables.life_cycle_rules:
            if rule.min_age is not None:
                edges.add(rule.min_age)
            if rule.max_age is not None:
                edges.add(rule.max_age + 1)
        starts = sorted(age for age in edges if first <= age <= last + 1)
        table: dict[tuple[object, object, object, int], str] = {}
        for combination in itertools.product(marital, children, employment):
            answers = dict(zip(LIFE_CYCLE_QUESTIONS, combination, strict=True))
            for start, end in itertools.pairwise(starts):
                stage = self.tables.life_cycle_of(start, answers)
                if stage is not None:
                    table.update({(*combination, age): stage for age in range(start, end)})
        return table

    @cached_property
    def answer_rules(
        self,
    ) -> tuple[tuple[str, bool, type, Mapping[object, int], str | None], ...]:
        """(id, required, answer type, points by answer, scored section or None) of every
        question, in order: what scoring reads of a question for each answer, read once."""
        return tuple(
            (q.id, q.required, q.answer_type, q.points_by_answer, q.section if q.scored else None)
            for q in self.questions
        )

    @cached_property
    def ref(self) -> QuestionnaireRef:
        return QuestionnaireRef(id=self.id, version=self.version, sha256=self.sha256)

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

    def section(self, section: str) -> tuple[Question, ...]:
        return self._sections.get(section, ())

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @cached_property
    def question_id_set(self) -> frozenset[str]:
        return frozenset(self.question_ids)

    @cached_property
    def _questions(self) -> Mapping[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _sections(self) -> Mapping[str, tuple[Question, ...]]:
        return {name: tuple(q for q in self.questions if q.section == name) for name in SECTIONS}


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def by_id(items: Iterable[_T], item_id: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
