"""The profile's explanation exactly as SPEC §15 says: the limiting axis, a neighbouring
level one answer away, the check rules of §15.3, the lowest category."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.engine import Dimension, load_questionnaire, score
from kiosk.engine.explaining import explain, lowest_category
from kiosk.engine.explanation_data import can_hold
from tests.engine.test_properties import answers
from tests.helpers import SPEC_PROFILE, answers_for

QUESTIONNAIRE = load_questionnaire()
TABLES = QUESTIONNAIRE.tables
LEVELS = ["low", "mid_low", "mid", "mid_high", "high"]
BOUNDARIES = [20, 40, 60, 80]


def explanation(answers: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = score(QUESTIONNAIRE, answers).to_json_dict()["explanation"]
    return data


def test_worked_example_gives_the_spec_explanation(example: dict[str, object]) -> None:
    assert explanation(example) == SPEC_PROFILE["explanation"]


def test_explanation_is_the_last_key(example: dict[str, object]) -> None:
    data = score(QUESTIONNAIRE, example).to_json_dict()
    assert list(data)[-1] == "explanation"


# ---------------------------------------------------------------------- §15.1 limited_by


@pytest.mark.parametrize(
    ("capacity", "attitude", "limited_by"),
    [
        (30, 70, "capacity"),  # mid_low < mid_high
        (70, 30, "attitude"),
        (50, 50, "balanced"),
        (41, 58, "balanced"),  # both mid, different scores
        (20, 18, "attitude"),  # mid_low > low, one point apart at the boundary
    ],
)
def test_limited_by_the_lower_level(capacity: int, attitude: int, limited_by: str) -> None:
    answers = answers_for(QUESTIONNAIRE, capacity=capacity, attitude=attitude)
    assert explanation(answers)["limited_by"] == limited_by


# ---------------------------------------------------------------------- §15.2 near


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_near_of_every_boundary_at_2_and_3_points_both_sides(boundary: int) -> None:
    above = LEVELS[BOUNDARIES.index(boundary) + 1]
    below = LEVELS[BOUNDARIES.index(boundary)]
    # Below the boundary: b − s ≤ 2 is near the level above.
    step = TABLES.near_of(boundary - 2)
    assert step is not None
    assert (step.boundary, step.points_away, step.level) == (boundary, 2, above)
    assert TABLES.near_of(boundary - 3) is None
    # At or above it: s − b + 1 ≤ 2 is near the level below.
    step = TABLES.near_of(boundary + 1)
    assert step is not None
    assert (step.boundary, step.points_away, step.level) == (boundary, 2, below)
    assert TABLES.near_of(boundary + 2) is None  # 3 points away
    step = TABLES.near_of(boundary)
    assert step is not None
    assert (step.points_away, step.level) == (1, below)
    step = TABLES.near_of(boundary - 1)
    assert step is not None
    assert (step.points_away, step.level) == (1, above)


def test_no_level_beyond_the_ends() -> None:
    assert TABLES.near_of(0) is None
    assert TABLES.near_of(100) is None
    assert TABLES.near_of(17) is None
    near = [s for s in range(101) if TABLES.near_of(s) is not None]
    assert near == [b + d for b in BOUNDARIES for d in (-2, -1, 0, 1)]


@pytest.mark.parametrize(
    ("score_", "near"),
    [
        (58, (60, 2, "mid_high")),  # 2 points away, below the boundary
        (57, None),  # 3 points away
        (61, (60, 2, "mid")),  # 2 points away, above it
        (62, None),  # 3 points away
        (60, (60, 1, "mid")),
        (79, (80, 1, "high")),
    ],
)
def test_capacity_near_end_to_end(score_: int, near: tuple[int, int, str] | None) -> None:
    answers = answers_for(QUESTIONNAIRE, capacity=score_, attitude=50)
    found = explanation(answers)["near"]
    if near is None:
        assert found == []
        return
    boundary, points_away, level = near
    row = TABLES.allocation[("mid", level)]
    assert found == [
        {
            "axis": "capacity",
            "score": score_,
            "boundary": boundary,
            "points_away": points_away,
            "level": level,
            "allocation": dict(zip(("low_risk", "medium_risk", "high_risk"), row, strict=True)),
        }
    ]


@pytest.mark.parametrize(
    ("score_", "near"),
    [
        # Attitude totals are even: 2 points below a boundary, or 1 and 3 points above it.
        (38, (40, 2, "mid")),
        (36, None),
        (40, (40, 1, "mid_low")),
        (42, None),  # s − b + 1 = 3
    ],
)
def test_attitude_near_end_to_end(score_: int, near: tuple[int, int, str] | None) -> None:
    answers = answers_for(QUESTIONNAIRE, capacity=50, attitude=score_)
    found = explanation(answers)["near"]
    if near is None:
        assert found == []
        return
    level = near[2]
    assert len(found) == 1
    assert found[0]["axis"] == "attitude"
    assert (found[0]["boundary"], found[0]["points_away"], found[0]["level"]) == near
    row = TABLES.allocation[(level, "mid")]
    assert tuple(found[0]["allocation"].values()) == row


def test_both_axes_near_capacity_first() -> None:
    answers = answers_for(QUESTIONNAIRE, capacity=39, attitude=60)
    found = explanation(answers)["near"]
    assert [(n["axis"], n["level"]) for n in found] == [("capacity", "mid"), ("attitude", "mid")]
    # capacity at mid, attitude unchanged (mid_high) ; attitude at mid, capacity unchanged.
    assert tuple(found[0]["allocation"].values()) == TABLES.allocation[("mid_high", "mid")]
    assert tuple(found[1]["allocation"].values()) == TABLES.allocation[("mid", "mid_low")]


# ---------------------------------------------------------------------- §15.3 checks

# Each rule of SPEC §15.3: changes to the worked example that make it hold, and changes
# that make it not hold (each just across an edge of the rule).
RULE_CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "loss_vs_feeling": (
        [
            {"loss_tolerance_pct": 20, "if_loss": "unacceptable"},
            {"loss_tolerance_pct": 100, "if_loss": "sleepless"},
        ],
        [
            {"loss_tolerance_pct": 19, "if_loss": "unacceptable"},
            {"loss_tolerance_pct": 20, "if_loss": "upset"},
        ],
    ),
    "gains_vs_loss": (
        [
            {"priority": "price_gains", "loss_tolerance_pct": 5},
            {"priority": "swing_trading", "loss_tolerance_pct": 0},
        ],
        [
            {"priority": "price_gains", "loss_tolerance_pct": 6},
            {"priority": "dividends", "loss_tolerance_pct": 5},
        ],
    ),
    "preservation_vs_loss": (
        [
            {"priority": "capital_preservation", "loss_tolerance_pct": 20},
            {"priority": "capital_preservation", "loss_tolerance_pct": 100},
        ],
        [
            {"priority": "capital_preservation", "loss_tolerance_pct": 19},
            {"priority": "inflation_hedge", "loss_tolerance_pct": 20},
        ],
    ),
    "beginner_vs_attitude": (
        [
            # The example's attitude is 58 (mid); 3 % more loss makes it 64 (mid_high).
            {"knowledge": "beginner", "loss_tolerance_pct": 15},
            {
                "knowledge": "beginner",
                "loss_tolerance_pct": 25,
                "performance": "full_control",
                "priority": "price_gains",
                "stop_loss": "preset",
                "if_loss": "learning",
            },
        ],
        [
            {"knowledge": "beginner"},  # attitude 58: mid
            {"knowledge": "average", "loss_tolerance_pct": 15},
        ],
    ),
    "trader_vs_experience": (
        [{"knowledge": "seasoned_trader", "experience": "under_1y"}],
        [
            {"knowledge": "seasoned_trader", "experience": "1_to_2y"},
            {"knowledge": "professional", "experience": "under_1y"},
        ],
    ),
    "willing_beyond_capacity": (
        [
            # capacity 30 (mid_low); attitude 64 (mid_high): two levels above
            {"age": 75, "loss_tolerance_pct": 15},
            # capacity 30; attitude 88 (high): three levels above
            {"age": 75, "loss_tolerance_pct": 25, "priority": "price_gains"},
        ],
        [
            {"age": 75},  # capacity 30 (mid_low), attitude 58 (mid): one level above
            {"age": 38},  # capacity 67 (mid_high) above attitude 58
        ],
    ),
}
HOLDS = [(rule, change) for rule, (yes, _) in RULE_CASES.items() for change in yes]
DOES_NOT_HOLD = [(rule, change) for rule, (_, no) in RULE_CASES.items() for change in no]


def test_every_default_rule_is_tested() -> None:
    assert [rule.id for rule in TABLES.checks] == list(RULE_CASES)


@pytest.mark.parametrize(("rule", "change"), HOLDS)
def test_rule_holds(example: dict[str, object], rule: str, change: dict[str, Any]) -> None:
    assert rule in explanation({**example, **change})["checks"]


@pytest.mark.parametrize(("rule", "change"), DOES_NOT_HOLD)
def test_rule_does_not_hold(example: dict[str, object], rule: str, change: dict[str, Any]) -> None:
    assert rule not in explanation({**example, **change})["checks"]


def test_checks_are_listed_in_data_order(example: dict[str, object]) -> None:
    answers = {
        **example,
        "loss_tolerance_pct": 25,
        "if_loss": "sleepless",
        "priority": "capital_preservation",
        "knowledge": "seasoned_trader",
        "experience": "under_1y",
    }
    assert explanation(answers)["checks"] == [
        "loss_vs_feeling",
        "preservation_vs_loss",
        "trader_vs_experience",
    ]


def test_a_rule_on_an_unanswered_question_does_not_hold(example: dict[str, object]) -> None:
    rule = dataclasses.replace(
        TABLES.checks[0],
        clauses=(
            dataclasses.replace(
                TABLES.checks[0].clauses[1], key="marital", allowed=frozenset({"single"})
            ),
        ),
    )
    ranks = {"capacity": 3, "attitude": 2}
    assert not rule.holds({k: v for k, v in example.items() if k != "marital"}, ranks)
    assert rule.holds({**example, "marital": "single"}, ranks)


def test_every_default_rule_can_hold() -> None:
    questions = {q.id: q for q in QUESTIONNAIRE.questions}
    assert all(can_hold(rule, questions, TABLES.levels) for rule in TABLES.checks)


# ---------------------------------------------------------------------- §15.4


@pytest.mark.parametrize(("pct", "lowest"), [(0, True), (1, False), (100, False)])
def test_lowest_category_when_no_loss_is_acceptable(
    example: dict[str, object], pct: int, lowest: bool
) -> None:
    profile = score(QUESTIONNAIRE, {**example, "loss_tolerance_pct": pct})
    assert profile.explanation.lowest_category is lowest
    assert profile.to_json_dict()["explanation"]["lowest_category"] is lowest


def test_lowest_category_changes_no_score(example: dict[str, object]) -> None:
    profile = score(QUESTIONNAIRE, {**example, "loss_tolerance_pct": 0})
    assert (profile.attitude.score, profile.attitude.level) == (58 - 24, "mid_low")
    cell = TABLES.allocation[("mid_low", profile.capacity.level)]
    assert profile.allocation.as_tuple() == cell


# ---------------------------------------------------------------------- properties


def _oracle_checks(answers: dict[str, Any], capacity: str, attitude: str) -> list[str]:
    """SPEC §15.3's table, written out by hand."""
    loss, rank = answers["loss_tolerance_pct"], LEVELS.index
    holds = {
        "loss_vs_feeling": loss >= 20 and answers["if_loss"] in {"unacceptable", "sleepless"},
        "gains_vs_loss": answers["priority"] in {"price_gains", "swing_trading"} and loss <= 5,
        "preservation_vs_loss": answers["priority"] == "capital_preservation" and loss >= 20,
        "beginner_vs_attitude": answers["knowledge"] == "beginner"
        and attitude in {"mid_high", "high"},
        "trader_vs_experience": answers["knowledge"] == "seasoned_trader"
        and answers["experience"] == "under_1y",
        "willing_beyond_capacity": rank(attitude) - rank(capacity) >= 2,
    }
    return [rule for rule, hold in holds.items() if hold]


WITHOUT_RULES = dataclasses.replace(QUESTIONNAIRE, tables=dataclasses.replace(TABLES, checks=()))


@settings(max_examples=400)
@given(answers())
def test_explanation_properties(given_answers: dict[str, Any]) -> None:
    profile = score(QUESTIONNAIRE, given_answers)
    rank = TABLES.level_rank
    levels = {"capacity": profile.capacity.level, "attitude": profile.attitude.level}
    scores = {"capacity": profile.capacity.score, "attitude": profile.attitude.score}
    axes = [near.axis for near in profile.explanation.near]
    assert axes in ([], ["capacity"], ["attitude"], ["capacity", "attitude"])
    for near in profile.explanation.near:
        # Never the axis's own level: the one next to it, across the boundary.
        assert near.level != levels[near.axis]
        assert abs(rank[near.level] - rank[levels[near.axis]]) == 1
        assert near.score == scores[near.axis]
        assert 1 <= near.points_away <= 2
        assert TABLES.level_by_score[near.boundary] in (near.level, levels[near.axis])
        # A real matrix cell, the other axis unchanged.
        moved = {**levels, near.axis: near.level}
        cell = TABLES.allocation[(moved["attitude"], moved["capacity"])]
        assert near.allocation.as_tuple() == cell
    assert list(profile.explanation.checks) == _oracle_checks(
        given_answers, levels["capacity"], levels["attitude"]
    )
    # A rule never changes a score or the allocation.
    plain = score(WITHOUT_RULES, given_answers)
    assert plain.explanation.checks == ()
    assert dataclasses.replace(profile, explanation=plain.explanation) == plain


def test_near_is_exactly_spec_15_2_for_every_pair_of_scores() -> None:
    for cap, att in itertools.product(range(101), repeat=2):
        found = [(n.axis, n.boundary, n.points_away) for n in _near(cap, att)]
        expected = []
        for axis, s in (("capacity", cap), ("attitude", att)):
            above = [b for b in BOUNDARIES if b > s]
            below = [b for b in BOUNDARIES if b <= s]
            if above and above[0] - s <= 2:
                expected.append((axis, above[0], above[0] - s))
            elif below and s - below[-1] + 1 <= 2:
                expected.append((axis, below[-1], s - below[-1] + 1))
        assert found == expected, (cap, att)


def _near(cap: int, att: int) -> tuple[Any, ...]:
    levels = TABLES.level_by_score
    capacity, attitude = Dimension(cap, levels[cap], ()), Dimension(att, levels[att], ())
    return explain(TABLES, {"loss_tolerance_pct": 10}, capacity, attitude).near


@given(st.integers(0, 100))
def test_near_by_score_is_near_of(total: int) -> None:
    assert TABLES.near_by_score[total] == TABLES.near_of(total)


@pytest.mark.parametrize(("pct", "lowest"), [(0, True), (1, False), (None, False)])
def test_the_loss_questions_warning_follows_lowest_category(pct: int | None, lowest: bool) -> None:
    assert lowest_category({"loss_tolerance_pct": pct}) is lowest
