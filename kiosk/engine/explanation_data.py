"""Loading and checking the data of SPEC §15 in `tables.toml`: the explanation's words
(`[explanation]`) and the check rules (`[[checks]]`).

A check rule is an id, a text in every language, and `when`, a list of clauses that
must all hold. A clause names one subject and tests it:

* `{ question = "if_loss", in = ["unacceptable", "sleepless"] }`: a choice question's
  answer is one of these options (an unanswered question never is);
* `{ question = "loss_tolerance_pct", at_least = 20 }` (or `at_most`, or both): a
  number question's answer lies in that range;
* `{ level = "attitude", in = ["mid_high", "high"] }`: an axis's level is one of these;
* `{ level_gap = ["attitude", "capacity"], at_least = 2 }`: the first axis's level is
  that many levels above the second's (negative: below).

No clause is ever evaluated as code. Every problem is named (file, key path, value),
and so is a rule that no answers can make hold.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping, Sequence

from kiosk.engine.model import LIMITED_BY, NEAR_DIRECTIONS, SCORED_SECTIONS, Level, Question, Text
from kiosk.engine.resources import LANGS
from kiosk.engine.tables import CheckRule, Clause, ExplanationTexts
from kiosk.engine.validation import Checker, join_ids

SUBJECTS = ("question", "level", "level_gap")
TESTS = ("in", "at_least", "at_most")
NEAR_FIELDS = ("axis", "score", "points", "level")
"""The placeholders a near sentence may use; {points} and {level} it must."""
NEAR_REQUIRED = ("points", "level")


def explanation_texts(
    check: Checker, top: Mapping[str, object], levels: Sequence[Level]
) -> tuple[int, ExplanationTexts]:
    """`near_within` and the words of `[explanation]`."""
    path = "explanation"
    table = check.table(
        top.get(path, {}),
        path,
        ("near_within", "limited_by", "axes", "near", "heading", "lowest_category", "loss_warning"),
    )
    near_within = check.integer(table, "near_within", path, 0, 10)
    narrowest = min((level.maximum - level.minimum + 1 for level in levels), default=0)
    if levels and 2 * near_within > narrowest:
        check.bad(
            f"{path}.near_within",
            near_within,
            f"is more than half the narrowest level ({narrowest} points); "
            f"expected at most {narrowest // 2}",
        )
    limited_by = _texts(check, table, "limited_by", path, LIMITED_BY)
    axes = _texts(check, table, "axes", path, SCORED_SECTIONS)
    near = _texts(check, table, "near", path, NEAR_DIRECTIONS)
    for direction, text in near.items():
        for lang in LANGS:
            _check_template(check, f"{path}.near.{direction}.{lang}", text.get(lang))
    return near_within, ExplanationTexts(
        limited_by=limited_by,
        axes=axes,
        near=near,
        heading=check.text(table, "heading", path),
        lowest_category=check.text(table, "lowest_category", path),
        loss_warning=check.text(table, "loss_warning", path),
    )


def _texts(
    check: Checker, raw: Mapping[str, object], key: str, path: str, ids: Sequence[str]
) -> Mapping[str, Text]:
    where = f"{path}.{key}"
    table = check.table(raw.get(key, {}), where, ids)
    return {item: check.text(table, item, where) for item in ids}


def _check_template(check: Checker, path: str, template: str) -> None:
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        check.bad(path, template, f"is not a valid template ({exc}); write {{name}} for a value")
        return
    for name, spec, conversion in fields:
        if name not in NEAR_FIELDS or spec or conversion:
            check.bad(
                path,
                template,
                f"uses {{{name}}}; expected only {join_ids('{' + f + '}' for f in NEAR_FIELDS)}",
            )
    names = {name for name, _, _ in fields}
    for name in NEAR_REQUIRED:
        if name not in names:
            check.bad(path, template, f"does not say {{{name}}}; expected it in the sentence")


# ---------------------------------------------------------------------- check rules


def check_rules(
    check: Checker,
    top: Mapping[str, object],
    questions: Mapping[str, Question],
    levels: Sequence[Level],
) -> tuple[CheckRule, ...]:
    """The `[[checks]]` of tables.toml, in data order; every problem named."""
    rules: list[CheckRule] = []
    for where, table in check.records(top, "checks", "", ("id", "when", "text")):
        before = len(check.problems)
        clauses: list[Clause] = []
        for index, item in enumerate(check.array(table, "when", where)):
            clause = _clause(check, item, f"{where}.when[{index}]", questions, levels)
            if clause is not None:
                clauses.append(clause)
        rule = CheckRule(
            id=check.ident(table, "id", where),
            clauses=tuple(clauses),
            text=check.text(table, "text", where),
        )
        if len(check.problems) == before and not can_hold(rule, questions, levels):
            check.bad(
                f"{where}.when",
                table.get("when"),
                f"(rule {rule.id}) can never hold: no answers meet all its clauses together; "
                "expected clauses that some answers meet",
            )
        rules.append(rule)
    check.unique([rule.id for rule in rules], "checks")
    return tuple(rules)


def _clause(
    check: Checker,
    raw: object,
    path: str,
    questions: Mapping[str, Question],
    levels: Sequence[Level],
) -> Clause | None:
    """One clause, its tests turned into the set of allowed values; None if it is bad."""
    if not isinstance(raw, dict):
        check.bad(path, raw, "is not a table; expected a clause such as { question = …, in = […] }")
        return None
    table = check.table(raw, path, (), (*SUBJECTS, *TESTS))
    subjects = [key for key in SUBJECTS if key in table]
    tests = [key for key in TESTS if key in table]
    if len(subjects) != 1:
        named = f"names {len(subjects)} subjects" if subjects else "names no subject"
        check.bad(path, table, f"{named}; expected exactly one of {join_ids(SUBJECTS)}")
        return None
    if not tests:
        check.missing(f"{path}.{TESTS[0]}", f"a test: {join_ids(TESTS)}")
        return None
    subject = subjects[0]
    if subject == "question":
        return _question_clause(check, table, path, questions)
    if subject == "level":
        return _level_clause(check, table, path, levels)
    return _gap_clause(check, table, path, levels)


def _question_clause(
    check: Checker, table: Mapping[str, object], path: str, questions: Mapping[str, Question]
) -> Clause | None:
    qid = table["question"]
    question = questions.get(qid) if isinstance(qid, str) else None
    if question is None:
        check.bad(
            f"{path}.question", qid, f"is not a question id; expected one of {join_ids(questions)}"
        )
        return None
    if question.kind == "choice":
        if not _only(check, table, path, ("in",), f"for the choice question {qid}"):
            return None
        options = _id_set(check, table, path, question.option_ids)
        return None if options is None else Clause("question", question.id, options)
    if not _only(check, table, path, ("at_least", "at_most"), f"for the number question {qid}"):
        return None
    values = _range(check, table, path, (question.minimum, question.maximum), f"question {qid}")
    return None if values is None else Clause("question", question.id, values)


def _level_clause(
    check: Checker, table: Mapping[str, object], path: str, levels: Sequence[Level]
) -> Clause | None:
    axis = table["level"]
    if axis not in SCORED_SECTIONS:
        check.bad(f"{path}.level", axis, f"is not an axis; expected {join_ids(SCORED_SECTIONS)}")
        return None
    if not _only(check, table, path, ("in",), "for a level"):
        return None
    level_ids = [level.id for level in levels]
    chosen = _id_set(check, table, path, level_ids)
    if chosen is None:
        return None
    return Clause("level", str(axis), frozenset(level_ids.index(str(i)) for i in chosen))


def _gap_clause(
    check: Checker, table: Mapping[str, object], path: str, levels: Sequence[Level]
) -> Clause | None:
    axes = table["level_gap"]
    if (
        not isinstance(axes, list)
        or len(axes) != 2
        or any(axis not in SCORED_SECTIONS for axis in axes)
        or axes[0] == axes[1]
    ):
        check.bad(
            f"{path}.level_gap",
            axes,
            'is not two different axes; expected ["attitude", "capacity"] or the reverse',
        )
        return None
    if not _only(check, table, path, ("at_least", "at_most"), "for a level gap"):
        return None
    top = len(levels) - 1
    gaps = _range(check, table, path, (-top, top), "level gap")
    if gaps is None:
        return None
    return Clause("level_gap", str(axes[0]), gaps, other=str(axes[1]))


def _only(
    check: Checker, table: Mapping[str, object], path: str, allowed: Sequence[str], what: str
) -> bool:
    """The clause's tests are among `allowed` (at least one of them)."""
    wrong = [key for key in TESTS if key in table and key not in allowed]
    for key in wrong:
        check.bad(
            f"{path}.{key}", table[key], f"is not a test {what}; expected {join_ids(allowed)}"
        )
    if not wrong and not any(key in table for key in allowed):
        check.missing(f"{path}.{allowed[0]}", f"a test {what}: {join_ids(allowed)}")
        return False
    return not wrong


def _id_set(
    check: Checker, table: Mapping[str, object], path: str, known: Sequence[str]
) -> frozenset[object] | None:
    items = table["in"]
    if isinstance(items, list) and not items:
        check.bad(
            f"{path}.in", items, "is empty, so the rule can never hold; expected at least one id"
        )
        return None
    before = len(check.problems)
    chosen = check.id_list(table, "in", path, known)
    return None if len(check.problems) != before else frozenset(chosen)


def _range(
    check: Checker, table: Mapping[str, object], path: str, span: tuple[int, int], what: str
) -> frozenset[object] | None:
    low, high = span
    before = len(check.problems)
    at_least = check.integer(table, "at_least", path) if "at_least" in table else low
    at_most = check.integer(table, "at_most", path) if "at_most" in table else high
    if len(check.problems) != before:
        return None
    never = "so the rule can never hold"
    if at_least > high:
        check.bad(f"{path}.at_least", at_least, f"is above the {what}'s max {high}, {never}")
    elif at_most < low:
        check.bad(f"{path}.at_most", at_most, f"is below the {what}'s min {low}, {never}")
    elif at_least > at_most:
        check.bad(f"{path}.at_least", at_least, f"is above at_most {at_most}, {never}")
    else:
        return frozenset(range(max(low, at_least), min(high, at_most) + 1))
    return None


# ---------------------------------------------------------------------- can a rule hold?


def can_hold(rule: CheckRule, questions: Mapping[str, Question], levels: Sequence[Level]) -> bool:
    """Whether some valid answers make every clause of the rule hold.

    Exact: questions are answered independently, so the answers a rule allows give each
    axis a set of reachable totals (a sum over its questions); the rule can hold when a
    pair of their levels meets the rule's level and level-gap clauses.
    """
    allowed: dict[str, set[object]] = {}
    for clause in rule.clauses:
        if clause.subject == "question":
            allowed.setdefault(clause.key, set(clause.allowed)).intersection_update(clause.allowed)
    if any(not values for values in allowed.values()):
        return False
    rank_by_score = _rank_by_score(levels)
    reachable: dict[str, set[int]] = {}
    for axis in SCORED_SECTIONS:
        totals = {0}
        for question in questions.values():
            if question.section != axis:
                continue
            values = allowed.get(question.id, question.points_by_answer.keys())
            points = {question.points_by_answer[value] for value in values}
            totals = {total + add for total in totals for add in points}
        reachable[axis] = {rank_by_score[total] for total in totals if 0 <= total <= 100}
    for cap, att in itertools.product(reachable["capacity"], reachable["attitude"]):
        ranks = {"capacity": cap, "attitude": att}
        if all(c.holds({}, ranks) for c in rule.clauses if c.subject != "question"):
            return True
    return False


def _rank_by_score(levels: Sequence[Level]) -> list[int]:
    ranks = [0] * 101
    for rank, level in enumerate(levels):
        for total in range(max(0, level.minimum), min(100, level.maximum) + 1):
            ranks[total] = rank
    return ranks
