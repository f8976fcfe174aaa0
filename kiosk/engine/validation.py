"""Checking the raw data of `resources/*.toml`: every problem, not just the first.

A `Checker` collects the problems of one file as "file: key path: value problem; expected
…" lines, and each of its accessors returns a safe value after a problem, so the loader
reads on and `kiosk check-config` can list all of them at once. The checks that span
several records (bands, thresholds, the questions the rules name, the life-cycle rules'
coverage) are here too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from kiosk.engine.errors import show_value
from kiosk.engine.model import (
    LIFE_CYCLE_QUESTIONS,
    SCORED_SECTIONS,
    SEGMENT_QUESTIONS,
    Question,
    Questionnaire,
    Text,
    TextList,
)
from kiosk.engine.resources import LANGS

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class Checker:
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
                    f"is unknown; expected one of {join_ids(accepted)}",
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
                self.missing(f"{path} id {item!r}", f"an entry for each of {join_ids(expected)}")
        for item in present:
            if item not in expected:
                self.bad(f"{path}", item, f"is an unknown id; expected one of {join_ids(expected)}")

    def records(
        self,
        raw: Mapping[str, object],
        key: str,
        path: str,
        required: Sequence[str],
        *,
        optional: Sequence[str] = (),
    ) -> Iterator[tuple[str, dict[str, object]]]:
        """Each table of the array `key`, checked for its keys, with its path for messages."""
        for index, item in enumerate(self.entries(raw, key, path)):
            where = f"{_join(path, key)}[{index}]"
            yield where, self.table(item, where, required, optional)

    def entries(self, raw: Mapping[str, object], key: str, path: str = "") -> list[object]:
        items = self.array(raw, key, path)
        if not items and key not in raw:
            self.missing(_join(path, key), "an array of tables")
        return items


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def join_ids(ids: Iterable[str]) -> str:
    """Ids as an error message lists what is expected: "a, b, c"."""
    return ", ".join(ids)


# ---------------------------------------------------------------------- across records


def check_rule_questions(check: Checker, questions: Sequence[Question]) -> None:
    """The engine's rules name these questions; each must exist with the right shape."""
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


def check_score_range(check: Checker, questions: Sequence[Question]) -> None:
    """Levels cover 0–100: no answers may score outside that."""
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


def check_bands(
    check: Checker,
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


def check_thresholds(
    check: Checker, path: str, bands: Sequence[tuple[int, int | None]], *, inclusive: bool
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


def check_life_cycle_coverage(check: Checker, questionnaire: Questionnaire) -> None:
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
