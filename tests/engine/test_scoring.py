"""Scoring exactly as SPEC §3–§10 says, through engine.score and the questionnaire data."""

from __future__ import annotations

import hashlib

import pytest

from kiosk.engine import Questionnaire, default_resources_dir, score
from tests.helpers import REQUIRED_IDS, SPEC_PROFILE, answers_for, without_sha

LEVELS = ["low", "mid_low", "mid", "mid_high", "high"]

# SPEC §3 and §4: every option id, in the order that earns 10, 8, 6, 4, 2 points.
SCORED_OPTIONS = {
    "job": ["stable_income", "regular_income", "commission", "self_employed", "unemployed"],
    "burden": [
        "single",
        "dual_income_no_kids",
        "dual_income_kids",
        "single_income_kids",
        "single_income_three_generations",
    ],
    "housing": [
        "investment_property",
        "own_home_no_mortgage",
        "mortgage_under_half",
        "mortgage_over_half",
        "renting",
    ],
    "experience": ["over_10y", "6_to_10y", "2_to_5y", "1_to_2y", "under_1y"],
    "knowledge": ["professional", "finance_degree", "seasoned_trader", "average", "beginner"],
    "priority": [
        "price_gains",
        "swing_trading",
        "dividends",
        "inflation_hedge",
        "capital_preservation",
    ],
    "stop_loss": ["preset", "after_the_fact", "partial", "hold", "average_down"],
    "if_loss": ["learning", "calm", "upset", "unacceptable", "sleepless"],
    "watch_market": ["occasionally", "monthly", "weekly", "at_close", "constantly"],
    "performance": ["full_control", "partial_control", "experts", "luck", "unlucky"],
}

# SPEC §6, rows attitude, columns capacity.
ALLOCATION = {
    "low": ["70/20/10", "50/40/10", "40/40/20", "20/50/30", "0/50/50"],
    "mid_low": ["50/40/10", "40/40/20", "20/50/30", "0/50/50", "0/40/60"],
    "mid": ["40/40/20", "20/50/30", "0/50/50", "0/40/60", "0/30/70"],
    "mid_high": ["20/50/30", "0/50/50", "0/40/60", "0/30/70", "0/20/80"],
    "high": ["0/50/50", "0/40/60", "0/30/70", "0/20/80", "0/10/90"],
}
# A score inside each level, for building answers.
INSIDE = {"low": 10, "mid_low": 30, "mid": 50, "mid_high": 70, "high": 90}


def test_worked_example_is_exactly_the_spec_profile(
    questionnaire: Questionnaire, example: dict[str, object]
) -> None:
    assert without_sha(score(questionnaire, example).to_json_dict()) == SPEC_PROFILE


def test_profile_keys_are_in_spec_order(
    questionnaire: Questionnaire, example: dict[str, object]
) -> None:
    data = score(questionnaire, example).to_json_dict()
    assert list(data) == [
        "questionnaire",
        "capacity",
        "attitude",
        "allocation",
        "life_stage",
        "life_cycle",
        "segment",
        "explanation",
    ]
    assert list(data["explanation"]) == ["limited_by", "near", "checks", "lowest_category"]
    assert list(data["explanation"]["near"][0]) == [
        "axis",
        "score",
        "boundary",
        "points_away",
        "level",
        "allocation",
    ]
    assert list(data["questionnaire"]) == ["id", "version", "sha256"]
    assert list(data["capacity"]["points"]) == [
        "age",
        "job",
        "burden",
        "housing",
        "experience",
        "knowledge",
    ]


def test_sha256_covers_the_questionnaire_data(questionnaire: Questionnaire) -> None:
    folder = default_resources_dir()
    digest = hashlib.sha256()
    for name in ("questionnaire.toml", "tables.toml"):
        digest.update((folder / name).read_bytes() + b"\0")
    assert questionnaire.sha256 == digest.hexdigest()


@pytest.mark.parametrize("question_id", sorted(SCORED_OPTIONS))
@pytest.mark.parametrize("position", range(5))
def test_each_option_earns_its_points(
    questionnaire: Questionnaire, example: dict[str, object], question_id: str, position: int
) -> None:
    option_id = SCORED_OPTIONS[question_id][position]
    profile = score(questionnaire, {**example, question_id: option_id})
    points = dict(profile.capacity.points) | dict(profile.attitude.points)
    assert points[question_id] == 10 - 2 * position


def test_questions_come_in_spec_order(questionnaire: Questionnaire) -> None:
    optional = ("marital", "children", "employment", "capital", "activity")
    assert questionnaire.question_ids == (*REQUIRED_IDS, *optional)
    for question_id, options in SCORED_OPTIONS.items():
        assert questionnaire.question(question_id).option_ids == tuple(options)


@pytest.mark.parametrize(
    ("age", "points"),
    [(18, 50), (24, 50), (25, 50), (26, 49), (38, 37), (74, 1), (75, 0), (76, 0), (100, 0)],
)
def test_age_points(
    questionnaire: Questionnaire, example: dict[str, object], age: int, points: int
) -> None:
    profile = score(questionnaire, {**example, "age": age})
    assert dict(profile.capacity.points)["age"] == points


@pytest.mark.parametrize(
    ("pct", "points"), [(0, 0), (1, 2), (12, 24), (24, 48), (25, 50), (26, 50), (30, 50), (100, 50)]
)
def test_loss_points(
    questionnaire: Questionnaire, example: dict[str, object], pct: int, points: int
) -> None:
    profile = score(questionnaire, {**example, "loss_tolerance_pct": pct})
    assert dict(profile.attitude.points)["loss_tolerance_pct"] == points


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (0, "low"),
        (19, "low"),
        (20, "mid_low"),
        (39, "mid_low"),
        (40, "mid"),
        (59, "mid"),
        (60, "mid_high"),
        (79, "mid_high"),
        (80, "high"),
        (100, "high"),
    ],
)
def test_band_edges(questionnaire: Questionnaire, total: int, level: str) -> None:
    assert questionnaire.tables.level_of(total) == level
    assert questionnaire.tables.level_by_score[total] == level
    # Capacity reaches every total from 10 to 100, so each edge is also scored for real.
    if total >= 10:
        profile = score(questionnaire, answers_for(questionnaire, capacity=total, attitude=50))
        assert (profile.capacity.score, profile.capacity.level) == (total, level)
    # Attitude totals are even: check the even edges end to end too.
    if total % 2 == 0 and total >= 10:
        profile = score(questionnaire, answers_for(questionnaire, capacity=50, attitude=total))
        assert (profile.attitude.score, profile.attitude.level) == (total, level)


@pytest.mark.parametrize("attitude", LEVELS)
@pytest.mark.parametrize("capacity", LEVELS)
def test_all_25_allocation_cells(
    questionnaire: Questionnaire, attitude: str, capacity: str
) -> None:
    answers = answers_for(questionnaire, capacity=INSIDE[capacity], attitude=INSIDE[attitude])
    profile = score(questionnaire, answers)
    assert (profile.capacity.level, profile.attitude.level) == (capacity, attitude)
    expected = ALLOCATION[attitude][LEVELS.index(capacity)]
    got = profile.allocation
    assert f"{got.low_risk}/{got.medium_risk}/{got.high_risk}" == expected


@pytest.mark.parametrize(
    ("age", "stage"),
    [
        (18, "growth"),
        (25, "growth"),
        (26, "youth"),
        (35, "youth"),
        (36, "adult"),
        (45, "adult"),
        (46, "mature"),
        (55, "mature"),
        (56, "stable"),
        (65, "stable"),
        (66, "retirement"),
        (100, "retirement"),
    ],
)
def test_life_stage_edges(
    questionnaire: Questionnaire, example: dict[str, object], age: int, stage: str
) -> None:
    assert score(questionnaire, {**example, "age": age}).life_stage == stage


@pytest.mark.parametrize(
    ("marital", "children", "employment", "age", "stage"),
    [
        # Rule 1: a child under 6 decides, whatever else is true.
        ("single", "youngest_under_6", "retired", 70, "full_nest_1"),
        ("married", "youngest_under_6", "working", 30, "full_nest_1"),
        # Rule 2: a dependent child of 6+; 45 is the edge between II and III.
        ("married", "youngest_6_plus", "working", 44, "full_nest_2"),
        ("married", "youngest_6_plus", "working", 45, "full_nest_3"),
        ("widowed_or_divorced", "youngest_6_plus", "retired", 60, "full_nest_3"),
        # Rule 3: married, no child at home.
        ("married", "none", "working", 44, "newlywed"),
        ("married", "none", "working", 45, "empty_nest_1"),
        ("married", "independent", "working", 30, "empty_nest_1"),
        ("married", "none", "retired", 40, "empty_nest_2"),
        ("married", "independent", "retired", 70, "empty_nest_2"),
        # Rule 4: single, working, under 45.
        ("single", "none", "working", 44, "single"),
        ("single", "independent", "working", 25, "single"),
        # Rule 5: everyone else.
        ("single", "none", "working", 45, "solitary_working"),
        ("single", "none", "retired", 40, "solitary_retired"),
        ("widowed_or_divorced", "none", "working", 30, "solitary_working"),
        ("widowed_or_divorced", "independent", "retired", 80, "solitary_retired"),
    ],
)
def test_life_cycle_rules_in_order(
    questionnaire: Questionnaire,
    example: dict[str, object],
    marital: str,
    children: str,
    employment: str,
    age: int,
    stage: str,
) -> None:
    answers = {
        **example,
        "age": age,
        "marital": marital,
        "children": children,
        "employment": employment,
    }
    assert score(questionnaire, answers).life_cycle == stage


@pytest.mark.parametrize("missing", ["marital", "children", "employment"])
def test_life_cycle_unknown_when_a_question_is_unanswered(
    questionnaire: Questionnaire, example: dict[str, object], missing: str
) -> None:
    absent = {k: v for k, v in example.items() if k != missing}
    assert score(questionnaire, absent).life_cycle is None
    assert score(questionnaire, {**example, missing: None}).life_cycle is None


KEY_CLIENTS = {"static_large", "stable_large", "short_term_large", "short_term_medium"}


@pytest.mark.parametrize("capital", ["small", "medium", "large"])
@pytest.mark.parametrize("activity", ["static", "stable", "short_term"])
def test_all_nine_segments(
    questionnaire: Questionnaire, example: dict[str, object], capital: str, activity: str
) -> None:
    profile = score(questionnaire, {**example, "capital": capital, "activity": activity})
    assert profile.to_json_dict()["segment"] == {
        "id": f"{activity}_{capital}",
        "capital": capital,
        "activity": activity,
        "key_client": f"{activity}_{capital}" in KEY_CLIENTS,
    }


@pytest.mark.parametrize("missing", ["capital", "activity"])
def test_segment_unknown_when_a_question_is_unanswered(
    questionnaire: Questionnaire, example: dict[str, object], missing: str
) -> None:
    absent = {k: v for k, v in example.items() if k != missing}
    assert score(questionnaire, absent).segment is None


def test_only_required_answers_give_a_profile(
    questionnaire: Questionnaire, example: dict[str, object]
) -> None:
    required = {q.id: example[q.id] for q in questionnaire.questions if q.required}
    data = score(questionnaire, required).to_json_dict()
    assert data["life_cycle"] is None
    assert data["segment"] is None
    assert data["capacity"]["score"] == 67


def test_most_important_segment_is_a_key_client(questionnaire: Questionnaire) -> None:
    tables = questionnaire.tables
    assert tables.most_important_segment == "short_term_large"
    assert tables.most_important_segment in tables.key_clients
