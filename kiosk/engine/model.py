"""The questionnaire and its tables as frozen dataclasses (built by `kiosk.engine.loading`).

Every text, point value, threshold and table comes from `resources/`; these classes only
hold it and answer the lookups scoring needs (SPEC §3–§9).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Final, Literal, Protocol, TypeVar

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


ClauseSubject = Literal["question", "level", "level_gap"]


@dataclass(frozen=True)
class Clause:
    """One condition of a check rule: a value of the visit lies in `allowed`.

    The value is, by `subject`: the answer to question `key` (None when unanswered, so
    never allowed); the level of axis `key`, as its rank (0 = the lowest level); or the
    level gap, the rank of axis `key` minus the rank of axis `other`. The loader turns
    the data's `in`, `at_least`, `at_most` and level ids into the set `allowed`.
    """

    subject: ClauseSubject
    key: str
    allowed: frozenset[object]
    other: str = ""

    def holds(self, answers: Mapping[str, object], ranks: Mapping[str, int]) -> bool:
        if self.subject == "question":
            return answers.get(self.key) in self.allowed
        if self.subject == "level":
            return ranks[self.key] in self.allowed
        return ranks[self.key] - ranks[self.other] in self.allowed


@dataclass(frozen=True)
class CheckRule:
    """An answer worth a second look (SPEC §15.3): holds when every clause does."""

    id: str
    clauses: tuple[Clause, ...]
    text: Text

    def holds(self, answers: Mapping[str, object], ranks: Mapping[str, int]) -> bool:
        # A loop, not all() over a generator: that costs 4× as much in `kiosk score --batch`.
        for clause in self.clauses:  # noqa: SIM110
            if not clause.holds(answers, ranks):
                return False
        return True


@dataclass(frozen=True)
class NearStep:
    """A score `points_away` from the neighbouring level `level` across `boundary`."""

    boundary: int
    points_away: int
    level: str
    direction: Literal["above", "below"]


@dataclass(frozen=True)
class ExplanationTexts:
    """The words of SPEC §15 that the screen and the sheet both say (templates use
    {axis}, {score}, {points} and {level})."""

    limited_by: Mapping[str, Text]
    """capacity / attitude / balanced → its sentence."""
    axes: Mapping[str, Text]
    """capacity / attitude → the axis's name inside a sentence."""
    near: Mapping[str, Text]
    """above / below → the sentence template for a near axis."""
    heading: Text
    """Over the checks that hold: "worth discussing with our staff"."""
    lowest_category: Text
    """The note on the result screen and the sheet when the lowest category holds."""
    loss_warning: Text
    """Under the loss question's number pad while 0 is entered."""


@dataclass(frozen=True)
class Tables:
    levels: tuple[Level, ...]
    risk_classes: tuple[RiskClass, ...]
    allocation: Mapping[tuple[str, str], tuple[int, int, int]]
    """(attitude level, capacity level) → (low_risk, medium_risk, high_risk) percent."""
    life_stages: tuple[LifeStage, ...]
    life_cycle_rules: tuple[LifeCycleRule, ...]
    life_cycle_stages: tuple[LifeCycleStage, ...]
    capital: tuple[CapitalBand, ...]
    activity: tuple[ActivityBand, ...]
    key_clients: frozenset[str]
    most_important_segment: str
    segment_label: Text
    service_levels: tuple[Service, ...]
    services: tuple[Service, ...]
    general_service_level: str
    general_services: tuple[str, ...]
    near_within: int
    """A score this many points or fewer from a boundary is near it (SPEC §15.2)."""
    checks: tuple[CheckRule, ...]
    explanation: ExplanationTexts

    def level(self, level_id: str) -> Level:
        return _by_id(self.levels, level_id)

    def level_of(self, total: int) -> str:
        """The level band (SPEC §5) of a 0–100 score."""
        for level in self.levels:
            if level.minimum <= total <= level.maximum:
                return level.id
        raise ValueError(f"score {total} is outside every level band")

    def life_stage_of(self, age: int) -> str:
        """The life stage (SPEC §7) of an age."""
        for stage in self.life_stages:
            if stage.min_age <= age <= stage.max_age:
                return stage.id
        raise ValueError(f"age {age} is outside every life stage")

    def life_cycle_of(self, age: int, answers: Mapping[str, str]) -> str | None:
        """The first matching family life-cycle rule (SPEC §8); None if a question is unanswered."""
        if any(answers.get(key) is None for key in LIFE_CYCLE_QUESTIONS):
            return None
        for rule in self.life_cycle_rules:
            if rule.matches(age, answers):
                return rule.stage
        return None

    @cached_property
    def level_by_score(self) -> tuple[str, ...]:
        """level_by_score[total] for every total 0–100."""
        return tuple(self.level_of(total) for total in range(101))

    @cached_property
    def level_rank(self) -> Mapping[str, int]:
        """Level id → its rank, 0 for the lowest."""
        return {level.id: rank for rank, level in enumerate(self.levels)}

    @cached_property
    def level_pairs(self) -> Mapping[tuple[str, str], tuple[str, Mapping[str, int]]]:
        """(capacity level, attitude level) → which limited the allocation (SPEC §15.1:
        the axis with the lower level, or balanced) and the rank of each axis's level."""
        pairs: dict[tuple[str, str], tuple[str, Mapping[str, int]]] = {}
        for capacity, attitude in itertools.product(self.levels, repeat=2):
            ranks = {
                "capacity": self.level_rank[capacity.id],
                "attitude": self.level_rank[attitude.id],
            }
            if ranks["capacity"] < ranks["attitude"]:
                limited_by = "capacity"
            elif ranks["attitude"] < ranks["capacity"]:
                limited_by = "attitude"
            else:
                limited_by = "balanced"
            pairs[(capacity.id, attitude.id)] = (limited_by, MappingProxyType(ranks))
        return pairs

    def near_of(self, total: int) -> NearStep | None:
        """The neighbouring level a 0–100 score is near (SPEC §15.2), if any.

        With b the boundary above the score s, it is near the level above when b − s ≤
        near_within; with b the boundary at or below s, near the level below when
        s − b + 1 ≤ near_within. Levels are at least 2 × near_within wide, so not both.
        """
        rank = self.level_rank[self.level_by_score[total]]
        if rank + 1 < len(self.levels):
            above = self.levels[rank + 1]
            if above.minimum - total <= self.near_within:
                return NearStep(above.minimum, above.minimum - total, above.id, "above")
        if rank > 0:
            boundary = self.levels[rank].minimum
            if total - boundary + 1 <= self.near_within:
                below = self.levels[rank - 1].id
                return NearStep(boundary, total - boundary + 1, below, "below")
        return None

    @cached_property
    def near_by_score(self) -> tuple[NearStep | None, ...]:
        """near_by_score[total] is near_of(total) for every total 0–100."""
        return tuple(self.near_of(total) for total in range(101))

    @cached_property
    def allocation_of(self) -> Mapping[tuple[str, str], Allocation]:
        """(attitude level, capacity level) → its cell, one object per cell."""
        return {key: Allocation(*cell) for key, cell in self.allocation.items()}

    @cached_property
    def segment_by_answers(self) -> Mapping[tuple[object, object], Segment]:
        """(capital, activity) answers → the segment (SPEC §9), one object per segment;
        absent when either is unanswered."""
        return {
            (capital.id, activity.id): Segment(
                id=f"{activity.id}_{capital.id}",
                capital=capital.id,
                activity=activity.id,
                key_client=f"{activity.id}_{capital.id}" in self.key_clients,
            )
            for capital in self.capital
            for activity in self.activity
        }

    @cached_property
    def near_by_axis(self) -> Mapping[tuple[str, int, str], Near]:
        """(axis, its score, the other axis's level) → the neighbouring level that score is
        near, with its allocation (SPEC §15.2); absent when the score is near none."""
        table: dict[tuple[str, int, str], Near] = {}
        for total, step in enumerate(self.near_by_score):
            if step is None:
                continue
            for other in self.levels:
                for axis, cell in (
                    ("capacity", (other.id, step.level)),
                    ("attitude", (step.level, other.id)),
                ):
                    table[(axis, total, other.id)] = Near(
                        axis,
                        total,
                        step.boundary,
                        step.points_away,
                        step.level,
                        self.allocation_of[cell],
                    )
        return table

    @cached_property
    def life_stage_by_age(self) -> Mapping[int, str]:
        """Every age the stages cover → its life stage."""
        first, last = self.life_stages[0].min_age, self.life_stages[-1].max_age
        return {age: self.life_stage_of(age) for age in range(first, last + 1)}

    def risk_class(self, class_id: str) -> RiskClass:
        return _by_id(self.risk_classes, class_id)

    def life_stage(self, stage_id: str) -> LifeStage:
        return _by_id(self.life_stages, stage_id)

    def life_cycle_stage(self, stage_id: str) -> LifeCycleStage:
        return _by_id(self.life_cycle_stages, stage_id)

    def capital_band(self, band_id: str) -> CapitalBand:
        return _by_id(self.capital, band_id)

    def activity_band(self, band_id: str) -> ActivityBand:
        return _by_id(self.activity, band_id)

    def service_level(self, level_id: str) -> Service:
        return _by_id(self.service_levels, level_id)

    def service(self, service_id: str) -> Service:
        return _by_id(self.services, service_id)

    def check(self, check_id: str) -> CheckRule:
        return _by_id(self.checks, check_id)


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


def _by_id(items: Iterable[_T], item_id: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
