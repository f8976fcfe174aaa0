"""The check rules and the explanation's words in tables.toml (SPEC §15): every problem
`kiosk check-config` finds is named on its own line (file, key path, value)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.engine import DataError, default_resources_dir, load_questionnaire, loading

LOSS = '{ question = "loss_tolerance_pct", at_least = 20 }'
FEELING = '{ question = "if_loss", in = ["unacceptable", "sleepless"] }'
ATTITUDE = '{ level = "attitude", in = ["mid_high", "high"] }'
GAP = '{ level_gap = ["attitude", "capacity"], at_least = 2 }'
LOSS_TEXT = 'text = { zh_CN = "您可以接受较大的亏损，但也说过亏钱会让您难以接受或睡不着觉。", en = '
BALANCED = (
    'balanced = { zh_CN = "您的风险承受力与风险承受度处于同一等级，两者共同决定了这一配置。", '
)
HEADING = (
    'heading = { zh_CN = "值得与我们的工作人员聊一聊", en = "Worth discussing with our staff" }\n'
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "resources"
    shutil.copytree(default_resources_dir(), folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    """Replace the first `old` in tables.toml (LOSS is the first rule's, then the third's)."""
    path = folder / "tables.toml"
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in tables.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_questionnaire(folder)
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # An unknown question, option, axis or level.
        (
            FEELING,
            FEELING.replace('"if_loss"', '"if_los"'),
            'tables.toml: checks[0].when[1].question: "if_los" is not a question id; '
            "expected one of age, job,",
        ),
        (
            FEELING,
            FEELING.replace('"sleepless"', '"sleepy"'),
            'tables.toml: checks[0].when[1].in[1]: "sleepy" is unknown; expected one of '
            "learning, calm, upset, unacceptable, sleepless",
        ),
        (
            ATTITUDE,
            ATTITUDE.replace('"high"]', '"highest"]'),
            'tables.toml: checks[3].when[1].in[1]: "highest" is unknown; expected one of '
            "low, mid_low, mid, mid_high, high",
        ),
        (
            ATTITUDE,
            ATTITUDE.replace('"attitude"', '"appetite"'),
            'tables.toml: checks[3].when[1].level: "appetite" is not an axis; '
            "expected capacity, attitude",
        ),
        (
            GAP,
            GAP.replace('"capacity"', '"attitude"'),
            'tables.toml: checks[5].when[0].level_gap: ["attitude", "attitude"] is not two '
            "different axes",
        ),
        # A rule that can never hold.
        (
            LOSS,
            LOSS.replace("20", "120"),
            "tables.toml: checks[0].when[0].at_least: 120 is above the question "
            "loss_tolerance_pct's max 100, so the rule can never hold",
        ),
        (
            LOSS,
            LOSS.replace("at_least = 20", "at_least = 20, at_most = 10"),
            "tables.toml: checks[0].when[0].at_least: 20 is above at_most 10, "
            "so the rule can never hold",
        ),
        (
            '{ question = "loss_tolerance_pct", at_most = 5 }',
            '{ question = "loss_tolerance_pct", at_most = -1 }',
            "tables.toml: checks[1].when[1].at_most: -1 is below the question "
            "loss_tolerance_pct's min 0, so the rule can never hold",
        ),
        (
            FEELING,
            FEELING.replace('["unacceptable", "sleepless"]', "[]"),
            "tables.toml: checks[0].when[1].in: [] is empty, so the rule can never hold",
        ),
        (
            GAP,
            GAP.replace("2", "5"),
            "tables.toml: checks[5].when[0].at_least: 5 is above the level gap's max 4, "
            "so the rule can never hold",
        ),
        (
            # Each clause can hold, but not together: a loss of at most 5 % gives an
            # attitude of at most 10 + 50 = 60, never high.
            ATTITUDE,
            '{ level = "attitude", in = ["high"] }, '
            '{ question = "loss_tolerance_pct", at_most = 5 }',
            "tables.toml: checks[3].when: ",
        ),
        (
            LOSS,
            f"{LOSS}, {LOSS.replace('at_least = 20', 'at_most = 19')}",
            "(rule loss_vs_feeling) can never hold",
        ),
        # A test that does not fit its subject, a clause without a subject or a test.
        (
            FEELING,
            '{ question = "if_loss", at_least = 2 }',
            "tables.toml: checks[0].when[1].at_least: 2 is not a test for the choice "
            "question if_loss; expected in",
        ),
        (
            LOSS,
            '{ question = "loss_tolerance_pct", in = [20] }',
            "tables.toml: checks[0].when[0].in: [20] is not a test for the number question "
            "loss_tolerance_pct; expected at_least, at_most",
        ),
        (
            FEELING,
            '{ in = ["unacceptable"] }',
            'tables.toml: checks[0].when[1]: {"in": ["unacceptable"]} names no subject',
        ),
        (
            FEELING,
            '{ question = "if_loss" }',
            "tables.toml: checks[0].when[1].in: missing; expected a test",
        ),
        (
            FEELING,
            '{ question = "if_loss", is = ["calm"] }',
            'tables.toml: checks[0].when[1].is: ["calm"] is an unknown key',
        ),
        # A missing language, a duplicate id.
        (
            LOSS_TEXT,
            'text = { zh_CN = "您可以接受较大的亏损。" }\nxtext = { en = ',
            "tables.toml: checks[0].text.en: missing",
        ),
        (
            'id = "gains_vs_loss"',
            'id = "loss_vs_feeling"',
            'tables.toml: checks[1].id: "loss_vs_feeling" is a duplicate id',
        ),
    ],
)
def test_a_bad_rule_is_named(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, old, new)
    found = problems(data)
    assert any(expected in problem for problem in found), found


def test_the_unsatisfiable_rule_names_its_id(data: Path) -> None:
    edit(data, ATTITUDE, f'{ATTITUDE}, {{ question = "loss_tolerance_pct", at_most = 5 }}')
    # mid_high (60) is still reachable with a loss of at most 5 %: the rule can hold.
    load_questionnaire(data)
    edit(data, '"mid_high", "high"]', '"high"]')
    (found,) = problems(data)
    assert found.startswith("tables.toml: checks[3].when: ")
    assert "(rule beginner_vs_attitude) can never hold" in found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            BALANCED + "en = ",
            'balanced = { zh_CN = "您的风险承受力与风险承受度处于同一等级。" }\nx = { en = ',
            "tables.toml: explanation.limited_by.balanced.en: missing",
        ),
        (
            "{points} short of {level}",
            "{points} short of {levels}",
            "tables.toml: explanation.near.above.en: ",
        ),
        (
            "{points} short of {level}",
            "{points} short of {level.__class__}",
            "uses {level.__class__}; expected only {axis}, {score}, {points}, {level}",
        ),
        (
            "再多{points}分即为",
            "再多分即为",
            "explanation.near.above.zh_CN: ",
        ),
        ("near_within = 2", "near_within = 11", "explanation.near_within: 11 is out of range"),
        (
            HEADING,
            "",
            "tables.toml: explanation.heading: missing",
        ),
    ],
)
def test_bad_explanation_words_are_named(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, old, new)
    found = problems(data)
    assert any(expected in problem for problem in found), found


def test_near_within_may_not_reach_across_a_level(data: Path) -> None:
    edit(data, "near_within = 2", "near_within = 10")
    load_questionnaire(data)  # levels are 20 points wide: 10 is the most
    edit(data, "min = 40\nmax = 59", "min = 40\nmax = 49")
    edit(data, "min = 60\nmax = 79", "min = 50\nmax = 79")
    assert any(
        "explanation.near_within: 10 is more than half the narrowest level (10 points)" in p
        for p in problems(data)
    )


def test_check_config_names_each_problem_on_its_own_line(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(data, FEELING, FEELING.replace('"if_loss"', '"if_los"'))
    edit(data, ATTITUDE, ATTITUDE.replace('"high"]', '"highest"]'))
    edit(data, GAP, GAP.replace("2", "5"))
    edit(data, LOSS_TEXT, 'text = { zh_CN = "您可以接受较大的亏损。" }\nxtext = { en = ')
    monkeypatch.setattr(loading, "default_resources_dir", lambda: data)
    assert cli.main(["check-config"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    for expected in (
        'checks[0].when[1].question: "if_los" is not a question id',
        'checks[3].when[1].in[1]: "highest" is unknown',
        "checks[5].when[0].at_least: 5 is above the level gap's max 4",
        "checks[0].text.en: missing",
    ):
        assert sum(expected in line for line in lines) == 1, (expected, lines)
    assert err.strip().startswith("check-config: ")


def test_the_bundled_rules_and_words_are_valid() -> None:
    tables = load_questionnaire().tables
    assert [rule.id for rule in tables.checks] == [
        "loss_vs_feeling",
        "gains_vs_loss",
        "preservation_vs_loss",
        "beginner_vs_attitude",
        "trader_vs_experience",
        "willing_beyond_capacity",
    ]
    words = tables.explanation
    texts = [
        *(rule.text for rule in tables.checks),
        *words.limited_by.values(),
        *words.axes.values(),
        *words.near.values(),
        words.heading,
        words.lowest_category,
        words.loss_warning,
    ]
    for text in texts:
        assert text.zh_CN.strip()
        assert text.en.strip()
    assert tables.near_within == 2
