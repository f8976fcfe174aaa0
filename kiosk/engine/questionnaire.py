"""Load and validate the questionnaire and tables in `resources/` into frozen dataclasses.

Every problem is collected (not just the first) and reported with the file, the key
path and the value, so `kiosk check-config` can list all of them at once.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, Protocol, TypeVar

from kiosk.engine.errors import DataError, show_value
from kiosk.engine.resources import (
    LANGS,
    QUESTIONNAIRE_FILE,
    TABLES_FILE,
    default_resources_dir,
)

SCORED_SECTIONS: Final = ("capacity", "attitude")
SECTIONS: Final = ("capacity", "attitude", "life_cycle", "segment")
RISK_CLASS_IDS: Final = ("low_risk", "medium_risk", "high_risk")
LIFE_CYCLE_QUESTIONS: Final = ("marital", "children", "employment")
SEGMENT_QUESTIONS: Final = ("capital", "activity")

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


# ---------------------------------------------------------------------- model


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
    def required(self) -> bool:
        return self.section in SCORED_SECTIONS

    @cached_property
    def scored(self) -> bool:
        return self.section in SCORED_SECTIONS

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
        ages = range(self.question("age").minimum, self.question("age").maximum + 1)
        table: dict[tuple[object, object, object, int], str] = {}
        for combination in itertools.product(marital, children, employment):
            answers = dict(zip(LIFE_CYCLE_QUESTIONS, combination, strict=True))
            for age in ages:
                stage = self.tables.life_cycle_of(age, answers)
                if stage is not None:
                    table[(*combination, age)] = stage
        return table

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


# ---------------------------------------------------------------------- loading


def load_questionnaire(resources: Path | None = None) -> Questionnaire:
    """Read, validate and freeze the questionnaire and its tables.

    Raises DataError listing every problem (file, key path, value) when the data is bad.
    """
    folder = resources if resources is not None else default_resources_dir()
    problems: list[str] = []
    raw_q = _read_toml(folder / QUESTIONNAIRE_FILE, problems)
    raw_t = _read_toml(folder / TABLES_FILE, problems)
    if problems:
        raise DataError(problems)
    digest = hashlib.sha256()
    for name in (QUESTIONNAIRE_FILE, TABLES_FILE):
        digest.update((folder / name).read_bytes())
        digest.update(b"\0")
    qp = _Check(QUESTIONNAIRE_FILE, problems)
    tp = _Check(TABLES_FILE, problems)
    header, questions = _questionnaire(qp, raw_q)
    tables = _tables(tp, raw_t, questions)
    if problems:
        raise DataError(problems)
    questionnaire = Questionnaire(
        id=header[0],
        version=header[1],
        sha256=digest.hexdigest(),
        questions=questions,
        tables=tables,
    )
    _check_life_cycle_coverage(tp, questionnaire)
    if problems:
        raise DataError(problems)
    return questionnaire


def _check_life_cycle_coverage(check: _Check, questionnaire: Questionnaire) -> None:
    """Every combination of answers and ages must reach a family life-cycle stage."""
    lookup = questionnaire.life_cycle_lookup  # built here once, used by every score
    age = questionnaire.question("age")
    options = [questionnaire.question(key).option_ids for key in LIFE_CYCLE_QUESTIONS]
    for combination in itertools.product(*options):
        for years in range(age.minimum, age.maximum + 1):
            if (*combination, years) not in lookup:
                answers = dict(zip(LIFE_CYCLE_QUESTIONS, combination, strict=True))
                check.bad(
                    "life_cycle.rules",
                    {**answers, "age": years},
                    "matches no rule; expected a final rule that matches everyone left",
                )
                break


def _read_toml(path: Path, problems: list[str]) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(f"{path}: file not found; expected the bundled {path.name}")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror}); check its permissions")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); fix the syntax")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text; save it as UTF-8")
    return {}


# ---------------------------------------------------------------------- checking


class _Check:
    """Collects problems about one file; every accessor returns a safe value on error."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems

    def bad(self, path: str, value: object, problem: str) -> None:
        self.problems.append(f"{self.file}: {path}: {show_value(value)} {problem}")

    def missing(self, path: str, expected: str) -> None:
        self.problems.append(f"{self.file}: {path}: missing; expected {expected}")

    def table(
        self,
        raw: object,
        path: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> dict[str, object]:
        if not isinstance(raw, dict):
            self.bad(path, raw, "is not a table; expected a table")
            return {}
        allowed = (*required, *optional)
        for key in raw:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.bad(
                    where, raw[key], f"is an unknown key; expected one of {', '.join(allowed)}"
                )
        for key in required:
            if key not in raw:
                self.missing(f"{path}.{key}" if path else key, "a value")
        return raw

    def array(self, raw: Mapping[str, object], key: str, path: str) -> list[object]:
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.bad(_join(path, key), value, "is not a non-empty array; expected an array")
            return []
        return value

    def string(self, raw: Mapping[str, object], key: str, path: str) -> str:
        value = raw.get(key)
        if key not in raw:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.bad(_join(path, key), value, "is not a non-empty string; expected text")
            return ""
        return value

    def ident(self, raw: Mapping[str, object], key: str, path: str) -> str:
        value = self.string(raw, key, path)
        if value and not _ID.match(value):
            self.bad(_join(path, key), value, "is not an id; expected lower-case snake_case")
            return ""
        return value

    def integer(
        self,
        raw: Mapping[str, object],
        key: str,
        path: str,
        low: int | None = None,
        high: int | None = None,
    ) -> int:
        value = raw.get(key)
        if key not in raw:
            return 0
        if not isinstance(value, int) or isinstance(value, bool):
            self.bad(_join(path, key), value, "is not an integer; expected an integer")
            return 0
        if (low is not None and value < low) or (high is not None and value > high):
            self.bad(_join(path, key), value, f"is out of range; expected {low}–{high}")
        return value

    def optional_int(self, raw: Mapping[str, object], key: str, path: str) -> int | None:
        return self.integer(raw, key, path) if key in raw else None

    def text(self, raw: Mapping[str, object], key: str, path: str) -> Text:
        where = _join(path, key)
        value = raw.get(key)
        if key not in raw:
            return Text("", "")
        table = self.table(value, where, LANGS)
        zh, en = self.string(table, "zh_CN", where), self.string(table, "en", where)
        return Text(zh_CN=zh, en=en)

    def text_list(self, raw: Mapping[str, object], key: str, path: str) -> TextList:
        where = _join(path, key)
        table = self.table(raw.get(key, {}), where, LANGS)
        lists: list[tuple[str, ...]] = []
        for lang in LANGS:
            items = self.array(table, lang, where)
            if any(not isinstance(item, str) or not item.strip() for item in items):
                self.bad(_join(where, lang), items, "has an empty or non-text item; expected text")
            lists.append(tuple(str(item) for item in items))
        return TextList(zh_CN=lists[0], en=lists[1])

    def id_list(
        self, raw: Mapping[str, object], key: str, path: str, known: Iterable[str]
    ) -> tuple[str, ...]:
        accepted = tuple(known)
        items = self.array(raw, key, path)
        out: list[str] = []
        for index, item in enumerate(items):
            if item not in accepted:
                self.bad(
                    f"{_join(path, key)}[{index}]",
                    item,
                    f"is unknown; expected one of {_ids(accepted)}",
                )
            else:
                out.append(str(item))
        if len(set(out)) != len(out):
            self.bad(_join(path, key), items, "repeats an id; expected each id once")
        return tuple(out)

    def unique(self, ids: Sequence[str], path: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item and item in seen:
                self.bad(f"{path}[{index}].id", item, "is a duplicate id; expected each id once")
            seen.add(item)

    def exactly(self, ids: Sequence[str], expected: Sequence[str], path: str) -> None:
        present = [item for item in ids if item]
        for item in expected:
            if item not in present:
                self.missing(f"{path} id {item!r}", f"an entry for each of {_ids(expected)}")
        for item in present:
            if item not in expected:
                self.bad(f"{path}", item, f"is an unknown id; expected one of {_ids(expected)}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _records(
    check: _Check,
    raw: Mapping[str, object],
    key: str,
    path: str,
    required: Sequence[str],
    *,
    optional: Sequence[str] = (),
) -> Iterator[tuple[str, dict[str, object]]]:
    """Each table of the array `key`, checked for its keys, with its path for messages."""
    for index, item in enumerate(_entries(check, raw, key, path)):
        where = f"{_join(path, key)}[{index}]"
        yield where, check.table(item, where, required, optional)


def _entries(check: _Check, raw: Mapping[str, object], key: str, path: str = "") -> list[object]:
    items = check.array(raw, key, path)
    if not items and key not in raw:
        check.missing(_join(path, key), "an array of tables")
    return items


# ---------------------------------------------------------------------- questionnaire.toml


def _questionnaire(
    check: _Check, raw: Mapping[str, object]
) -> tuple[tuple[str, str], tuple[Question, ...]]:
    top = check.table(raw, "", ("id", "version", "questions"))
    header = (check.string(top, "id", ""), check.string(top, "version", ""))
    questions = tuple(
        _question(check, item, f"questions[{index}]")
        for index, item in enumerate(_entries(check, top, "questions"))
    )
    ids = [q.id for q in questions]
    check.unique(ids, "questions")
    # The engine's rules name these questions; each must exist with the right shape.
    expected_kinds = {
        "age": ("capacity", "number"),
        "loss_tolerance_pct": ("attitude", "number"),
        **dict.fromkeys(LIFE_CYCLE_QUESTIONS, ("life_cycle", "choice")),
        **dict.fromkeys(SEGMENT_QUESTIONS, ("segment", "choice")),
    }
    for key, (section, kind) in expected_kinds.items():
        found = [q for q in questions if q.id == key]
        if not found:
            check.missing(f"questions id {key!r}", f"a {kind} question in section {section}")
        elif (found[0].section, found[0].kind) != (section, kind):
            check.bad(
                f"questions id {key!r}",
                f"{found[0].section}/{found[0].kind}",
                f"has the wrong section/kind; expected {section}/{kind}",
            )
    # Levels cover 0–100: no answers may score outside that.
    for section in SCORED_SECTIONS:
        scored = [q for q in questions if q.section == section and q.points_by_answer]
        highest = sum(max(q.points_by_answer.values()) for q in scored)
        lowest = sum(min(q.points_by_answer.values()) for q in scored)
        if highest > 100 or lowest < 0:
            check.bad(
                f"questions in section {section}",
                [lowest, highest],
                "can score outside 0–100; expected points that add up to at most 100",
            )
    return header, questions


def _question(check: _Check, raw: object, path: str) -> Question:
    table = check.table(
        raw,
        path,
        ("id", "section", "kind", "text", "help"),
        ("options", "min", "max", "unit", "points"),
    )
    qid = check.ident(table, "id", path)
    section = check.string(table, "section", path)
    if section and section not in SECTIONS:
        check.bad(f"{path}.section", section, f"is unknown; expected one of {_ids(SECTIONS)}")
    kind = table.get("kind")
    text = check.text(table, "text", path)
    help_text = check.text(table, "help", path)
    if kind == "number":
        for key in ("options",):
            if key in table:
                check.bad(f"{path}.{key}", table[key], "is not allowed for a number question")
        minimum = check.integer(table, "min", path)
        maximum = check.integer(table, "max", path)
        for key in ("min", "max", "unit", "points"):
            if key not in table:
                check.missing(f"{path}.{key}", "a value for a number question")
        if minimum > maximum:
            check.bad(f"{path}.min", minimum, f"is above max {maximum}; expected min ≤ max")
        rule = check.table(
            table.get("points", {}), f"{path}.points", ("base", "per_unit", "floor", "cap")
        )
        where = f"{path}.points"
        points_rule = LinearPoints(
            base=check.integer(rule, "base", where),
            per_unit=check.integer(rule, "per_unit", where),
            floor=check.integer(rule, "floor", where),
            cap=check.integer(rule, "cap", where),
        )
        return Question(
            id=qid,
            section=section,
            kind="number",
            text=text,
            help=help_text,
            minimum=minimum,
            maximum=maximum,
            unit=check.text(table, "unit", path),
            points_rule=points_rule,
        )
    if kind != "choice":
        check.bad(f"{path}.kind", kind, "is unknown; expected choice or number")
    for key in ("min", "max", "unit", "points"):
        if key in table:
            check.bad(f"{path}.{key}", table[key], "is not allowed for a choice question")
    scored = section in SCORED_SECTIONS
    options: list[Option] = []
    for where, opt in _records(
        check, table, "options", path, ("id", "text", "points") if scored else ("id", "text")
    ):
        points = check.integer(opt, "points", where, 0, 100) if scored else None
        options.append(
            Option(
                id=check.ident(opt, "id", where), text=check.text(opt, "text", where), points=points
            )
        )
    check.unique([o.id for o in options], f"{path}.options")
    return Question(
        id=qid, section=section, kind="choice", text=text, help=help_text, options=tuple(options)
    )


# ---------------------------------------------------------------------- tables.toml


def _tables(check: _Check, raw: Mapping[str, object], questions: tuple[Question, ...]) -> Tables:
    top = check.table(
        raw,
        "",
        (
            "levels",
            "risk_classes",
            "allocation",
            "life_stages",
            "life_cycle",
            "segments",
            "service_levels",
            "services",
            "general_services",
        ),
    )
    by_id = {q.id: q for q in questions}
    levels = _levels(check, top)
    level_ids = tuple(level.id for level in levels)
    service_levels = _services(check, top, "service_levels")
    services = _services(check, top, "services")
    capital, activity = _segments(check, top, by_id, service_levels, services)
    general = check.table(
        top.get("general_services", {}), "general_services", ("level", "services")
    )
    general_level = check.string(general, "level", "general_services")
    if general_level and general_level not in [s.id for s in service_levels]:
        check.bad("general_services.level", general_level, "is not a service level id")
    segments = check.table(
        top.get("segments", {}), "segments", ("capital", "activity", "key_clients", "label")
    )
    key_table = check.table(
        segments.get("key_clients", {}), "segments.key_clients", ("ids", "most_important")
    )
    segment_ids = [f"{a.id}_{c.id}" for a in activity for c in capital]
    key_clients = check.id_list(key_table, "ids", "segments.key_clients", segment_ids)
    most_important = check.string(key_table, "most_important", "segments.key_clients")
    if most_important and most_important not in segment_ids:
        check.bad(
            "segments.key_clients.most_important",
            most_important,
            f"is unknown; expected one of {_ids(segment_ids)}",
        )
    label = check.table(segments.get("label", {}), "segments.label", LANGS)
    return Tables(
        levels=levels,
        risk_classes=_risk_classes(check, top),
        allocation=_allocation(check, top, level_ids),
        life_stages=_life_stages(check, top, by_id.get("age")),
        life_cycle_rules=_life_cycle_rules(check, top, by_id),
        life_cycle_stages=_life_cycle_stages(check, top),
        capital=capital,
        activity=activity,
        key_clients=frozenset(key_clients),
        most_important_segment=most_important,
        segment_label=Text(
            zh_CN=check.string(label, "zh_CN", "segments.label"),
            en=check.string(label, "en", "segments.label"),
        ),
        service_levels=service_levels,
        services=services,
        general_service_level=general_level,
        general_services=check.id_list(
            general, "services", "general_services", [s.id for s in services]
        ),
    )


def _bands(
    check: _Check,
    path: str,
    bands: Sequence[tuple[int, int]],
    span: tuple[int, int],
    keys: tuple[str, str] = ("min", "max"),
) -> None:
    """Inclusive integer bands must cover low..high in order with no gap and no overlap."""
    lo_key, hi_key = keys
    expected, high = span
    for index, (start, end) in enumerate(bands):
        where = f"{path}[{index}]"
        if start != expected:
            problem = "leaves a gap" if start > expected else "overlaps the band before"
            check.bad(f"{where}.{lo_key}", start, f"{problem}; expected {expected}")
        if end < start:
            check.bad(
                f"{where}.{hi_key}", end, f"is below its {lo_key} {start}; expected ≥ {start}"
            )
        expected = end + 1
    if bands and bands[-1][1] < high:
        check.bad(
            f"{path}[{len(bands) - 1}].{hi_key}",
            bands[-1][1],
            f"leaves a gap at the top; expected ≥ {high}",
        )


def _levels(check: _Check, top: Mapping[str, object]) -> tuple[Level, ...]:
    levels: list[Level] = []
    for where, table in _records(
        check, top, "levels", "", ("id", "min", "max", "name", "capacity", "attitude")
    ):
        levels.append(
            Level(
                id=check.ident(table, "id", where),
                minimum=check.integer(table, "min", where, 0, 100),
                maximum=check.integer(table, "max", where, 0, 100),
                name=check.text(table, "name", where),
                capacity=check.text(table, "capacity", where),
                attitude=check.text(table, "attitude", where),
            )
        )
    check.unique([level.id for level in levels], "levels")
    _bands(check, "levels", [(lv.minimum, lv.maximum) for lv in levels], (0, 100))
    return tuple(levels)


def _risk_classes(check: _Check, top: Mapping[str, object]) -> tuple[RiskClass, ...]:
    classes: list[RiskClass] = []
    for where, table in _records(check, top, "risk_classes", "", ("id", "name", "examples")):
        classes.append(
            RiskClass(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                examples=check.text_list(table, "examples", where),
            )
        )
    ids = [c.id for c in classes]
    check.unique(ids, "risk_classes")
    if ids != list(RISK_CLASS_IDS) and all(ids):
        check.bad("risk_classes", ids, f"are not in order; expected {_ids(RISK_CLASS_IDS)}")
    return tuple(classes)


def _allocation(
    check: _Check, top: Mapping[str, object], level_ids: tuple[str, ...]
) -> Mapping[tuple[str, str], tuple[int, int, int]]:
    matrix = check.table(top.get("allocation", {}), "allocation", level_ids)
    cells: dict[tuple[str, str], tuple[int, int, int]] = {}
    for attitude in level_ids:
        row = check.table(matrix.get(attitude, {}), f"allocation.{attitude}", level_ids)
        for capacity in level_ids:
            where = f"allocation.{attitude}.{capacity}"
            if capacity not in row:
                continue  # reported as missing by table()
            cell = row[capacity]
            if (
                not isinstance(cell, list)
                or len(cell) != len(RISK_CLASS_IDS)
                or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in cell)
            ):
                check.bad(
                    where, cell, "is not three whole percentages; expected [low, medium, high]"
                )
                continue
            if sum(cell) != 100:
                check.bad(where, cell, f"sums to {sum(cell)}; expected 100")
            cells[(attitude, capacity)] = (cell[0], cell[1], cell[2])
    return MappingProxyType(cells)


def _life_stages(
    check: _Check, top: Mapping[str, object], age: Question | None
) -> tuple[LifeStage, ...]:
    stages: list[LifeStage] = []
    for where, table in _records(
        check, top, "life_stages", "", ("id", "min_age", "max_age", "name", "trait", "focus")
    ):
        stages.append(
            LifeStage(
                id=check.ident(table, "id", where),
                min_age=check.integer(table, "min_age", where, 0, 200),
                max_age=check.integer(table, "max_age", where, 0, 200),
                name=check.text(table, "name", where),
                trait=check.text(table, "trait", where),
                focus=check.text(table, "focus", where),
            )
        )
    check.unique([s.id for s in stages], "life_stages")
    if stages and age is not None:
        first = stages[0].min_age
        if first > age.minimum:
            check.bad(
                "life_stages[0].min_age",
                first,
                f"is above the youngest age; expected ≤ {age.minimum}",
            )
        spans = [(s.min_age, s.max_age) for s in stages]
        _bands(check, "life_stages", spans, (first, age.maximum), ("min_age", "max_age"))
    return tuple(stages)


def _life_cycle_rules(
    check: _Check, top: Mapping[str, object], questions: Mapping[str, Question]
) -> tuple[LifeCycleRule, ...]:
    cycle = check.table(top.get("life_cycle", {}), "life_cycle", ("rules", "stages"))
    raw_stages = cycle.get("stages")
    stage_ids = [
        item.get("id")
        for item in (raw_stages if isinstance(raw_stages, list) else [])
        if isinstance(item, dict)
    ]
    rules: list[LifeCycleRule] = []
    for where, table in _records(
        check,
        cycle,
        "rules",
        "life_cycle",
        ("stage",),
        optional=(*LIFE_CYCLE_QUESTIONS, "min_age", "max_age"),
    ):
        stage = check.string(table, "stage", where)
        if stage and stage not in stage_ids:
            check.bad(f"{where}.stage", stage, "is not a life_cycle.stages id")
        conditions = []
        for key in LIFE_CYCLE_QUESTIONS:
            if key in table and key in questions:
                accepted = check.id_list(table, key, where, questions[key].option_ids)
                conditions.append((key, frozenset(accepted)))
        rules.append(
            LifeCycleRule(
                stage=stage,
                conditions=tuple(conditions),
                min_age=check.optional_int(table, "min_age", where),
                max_age=check.optional_int(table, "max_age", where),
            )
        )
    return tuple(rules)


def _life_cycle_stages(check: _Check, top: Mapping[str, object]) -> tuple[LifeCycleStage, ...]:
    cycle = top.get("life_cycle", {})
    cycle = cycle if isinstance(cycle, dict) else {}
    stages: list[LifeCycleStage] = []
    for where, table in _records(
        check, cycle, "stages", "life_cycle", ("id", "name", "situation", "needs")
    ):
        stages.append(
            LifeCycleStage(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                situation=check.text(table, "situation", where),
                needs=check.text(table, "needs", where),
            )
        )
    check.unique([s.id for s in stages], "life_cycle.stages")
    return tuple(stages)


def _services(check: _Check, top: Mapping[str, object], key: str) -> tuple[Service, ...]:
    services: list[Service] = []
    for where, table in _records(check, top, key, "", ("id", "name", "description")):
        services.append(
            Service(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                description=check.text(table, "description", where),
            )
        )
    check.unique([s.id for s in services], key)
    return tuple(services)


def _segments(
    check: _Check,
    top: Mapping[str, object],
    questions: Mapping[str, Question],
    service_levels: tuple[Service, ...],
    services: tuple[Service, ...],
) -> tuple[tuple[CapitalBand, ...], tuple[ActivityBand, ...]]:
    segments = top.get("segments", {})
    segments = segments if isinstance(segments, dict) else {}
    level_ids = [s.id for s in service_levels]
    capital: list[CapitalBand] = []
    for where, table in _records(
        check,
        segments,
        "capital",
        "segments",
        ("id", "name", "min_cny", "service_level"),
        optional=("max_cny",),
    ):
        level = check.string(table, "service_level", where)
        if level and level not in level_ids:
            check.bad(
                f"{where}.service_level", level, f"is unknown; expected one of {_ids(level_ids)}"
            )
        capital.append(
            CapitalBand(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                min_cny=check.integer(table, "min_cny", where, 0),
                max_cny=check.optional_int(table, "max_cny", where),
                service_level=level,
            )
        )
    activity: list[ActivityBand] = []
    for where, table in _records(
        check,
        segments,
        "activity",
        "segments",
        ("id", "name", "turnover", "min_turnover", "services"),
        optional=("max_turnover",),
    ):
        activity.append(
            ActivityBand(
                id=check.ident(table, "id", where),
                name=check.text(table, "name", where),
                turnover=check.text(table, "turnover", where),
                min_turnover=check.integer(table, "min_turnover", where, 0),
                max_turnover=check.optional_int(table, "max_turnover", where),
                services=check.id_list(table, "services", where, [s.id for s in services]),
            )
        )
    for name, bands in (("capital", capital), ("activity", activity)):
        ids = [band.id for band in bands]
        check.unique(ids, f"segments.{name}")
        if name in questions:
            check.exactly(ids, questions[name].option_ids, f"segments.{name}")
    _thresholds(
        check, "segments.capital", [(c.min_cny, c.max_cny) for c in capital], inclusive=True
    )
    _thresholds(
        check,
        "segments.activity",
        [(a.min_turnover, a.max_turnover) for a in activity],
        inclusive=False,
    )
    return tuple(capital), tuple(activity)


def _thresholds(
    check: _Check, path: str, bands: Sequence[tuple[int, int | None]], *, inclusive: bool
) -> None:
    """Ascending bands from 0; only the last is open-ended."""
    expected = 0
    for index, (start, end) in enumerate(bands):
        if start != expected:
            check.bad(
                f"{path}[{index}].min", start, f"leaves a gap or overlaps; expected {expected}"
            )
        last = index == len(bands) - 1
        if end is None:
            if not last:
                check.missing(f"{path}[{index}].max", "an upper bound (only the last band is open)")
            break
        if last:
            check.bad(f"{path}[{index}].max", end, "bounds the last band; expected no upper bound")
        if end < start:
            check.bad(f"{path}[{index}].max", end, f"is below its min {start}")
        expected = end + 1 if inclusive else end
