"""Bad data in resources/ is reported at load, naming file, key and value (never half-loaded)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.engine import DataError, default_resources_dir, load_questionnaire, loading


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "resources"
    shutil.copytree(default_resources_dir(), folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), "utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_questionnaire(folder)
    return list(caught.value.problems)


def test_the_bundled_data_is_valid() -> None:
    questionnaire = load_questionnaire()
    assert len(questionnaire.questions) == 17
    assert len(questionnaire.tables.allocation) == 25


def test_every_text_exists_in_both_languages() -> None:
    questionnaire = load_questionnaire()
    for question in questionnaire.questions:
        for text in (question.text, question.help, *(o.text for o in question.options)):
            assert text.zh_CN.strip()
            assert text.en.strip()
            assert re.search(r"[\u4e00-\u9fff]|%", text.zh_CN), text.zh_CN
    tables = questionnaire.tables
    for stage in tables.life_cycle_stages:
        for text in (stage.name, stage.situation, stage.needs):
            assert text.zh_CN.strip()
            assert text.en.strip()


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "questionnaire.toml",
            'id = "burden"',
            'id = "job"',
            'questionnaire.toml: questions[2].id: "job" is a duplicate id',
        ),
        (
            "questionnaire.toml",
            '{ id = "regular_income"',
            '{ id = "stable_income"',
            'questionnaire.toml: questions[1].options[1].id: "stable_income" is a duplicate id',
        ),
        (
            "questionnaire.toml",
            'text = { zh_CN = "稳定收入", en = "Stable salary" }',
            'text = { zh_CN = "稳定收入" }',
            "questionnaire.toml: questions[1].options[0].text.en: missing",
        ),
        (
            "questionnaire.toml",
            'text = { zh_CN = "稳定收入", en = "Stable salary" }',
            'text = { zh_CN = "稳定收入", en = "" }',
            'questionnaire.toml: questions[1].options[0].text.en: "" is not a non-empty string',
        ),
        (
            "questionnaire.toml",
            '{ id = "regular_income", points = 8,',
            '{ id = "regular_income", points = 8.5,',
            "questionnaire.toml: questions[1].options[1].points: 8.5 is not an integer",
        ),
        (
            "questionnaire.toml",
            '{ id = "regular_income", points = 8,',
            '{ id = "regular_income", points = "8",',
            'questionnaire.toml: questions[1].options[1].points: "8" is not an integer',
        ),
        (
            "questionnaire.toml",
            'section = "capacity"\nkind = "choice"',
            'section = "capacity"\nkind = "choice"\ncolour = "red"',
            'questionnaire.toml: questions[1].colour: "red" is an unknown key',
        ),
        (
            "questionnaire.toml",
            'kind = "number"\nmin = 18',
            'kind = "slider"\nmin = 18',
            'questionnaire.toml: questions[0].kind: "slider" is unknown',
        ),
        (
            "questionnaire.toml",
            '{ id = "stable_income", points = 10,',
            '{ id = "stable_income", points = 20,',
            "questionnaire.toml: questions in section capacity: [10, 110] can score outside 0–100",
        ),
        (
            "tables.toml",
            "mid_low = [40, 40, 20]",
            "mid_low = [40, 40, 30]",
            "tables.toml: allocation.mid_low.mid_low: [40, 40, 30] sums to 110; expected 100",
        ),
        (
            "tables.toml",
            "mid_low = [40, 40, 20]\n",
            "",
            "tables.toml: allocation.mid_low.mid_low: missing",
        ),
        (
            "tables.toml",
            "high = [0, 10, 90]",
            'high = [0, 10, "90"]',
            'tables.toml: allocation.high.high: [0, 10, "90"] is not three whole percentages',
        ),
        (
            "tables.toml",
            "min = 40\nmax = 59",
            "min = 41\nmax = 59",
            "tables.toml: levels[2].min: 41 leaves a gap; expected 40",
        ),
        (
            "tables.toml",
            "min = 40\nmax = 59",
            "min = 38\nmax = 59",
            "tables.toml: levels[2].min: 38 overlaps the band before; expected 40",
        ),
        (
            "tables.toml",
            "min = 80\nmax = 100",
            "min = 80\nmax = 99",
            "tables.toml: levels[4].max: 99 leaves a gap at the top; expected ≥ 100",
        ),
        (
            "tables.toml",
            "min_age = 46\nmax_age = 55",
            "min_age = 47\nmax_age = 55",
            "tables.toml: life_stages[3].min_age: 47 leaves a gap; expected 46",
        ),
        (
            "tables.toml",
            'stage = "solitary_retired"\nemployment = ["retired"]',
            'stage = "solitary_retired"\nemployment = ["retired"]\nmin_age = 50',
            "matches no rule",
        ),
        (
            "tables.toml",
            'ids = ["static_large"',
            'ids = ["static_huge"',
            'tables.toml: segments.key_clients.ids[0]: "static_huge" is unknown',
        ),
        (
            "tables.toml",
            'services = ["professional"]',
            'services = ["massage"]',
            'tables.toml: segments.activity[1].services[0]: "massage" is unknown',
        ),
        (
            "tables.toml",
            "[general_services]",
            "[general_servicez]",
            "tables.toml: general_servicez: ",
        ),
    ],
)
def test_bad_data_is_named(data: Path, name: str, old: str, new: str, expected: str) -> None:
    edit(data, name, old, new)
    found = problems(data)
    assert any(p.startswith(expected) or expected in p for p in found), found


def test_every_problem_is_reported_at_once(data: Path) -> None:
    edit(data, "tables.toml", "mid_low = [40, 40, 20]", "mid_low = [40, 40, 30]")
    edit(data, "questionnaire.toml", 'en = "Stable salary"', 'en = ""')
    found = problems(data)
    assert len(found) == 2
    assert any("tables.toml" in p for p in found)
    assert any("questionnaire.toml" in p for p in found)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id = [", "questionnaire.toml: not valid TOML"),
        (None, "questionnaire.toml: file not found"),
        (b"\xff\xfe id", "questionnaire.toml: not UTF-8 text"),
    ],
)
def test_unreadable_data_file(data: Path, content: str | bytes | None, expected: str) -> None:
    path = data / "questionnaire.toml"
    if content is None:
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    found = problems(data)
    assert len(found) == 1
    assert expected in found[0]


def test_check_config_lists_every_problem(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(data, "tables.toml", "mid_low = [40, 40, 20]", "mid_low = [40, 40, 30]")
    edit(data, "tables.toml", "min = 40\nmax = 59", "min = 41\nmax = 59")
    monkeypatch.setattr(loading, "default_resources_dir", lambda: data)
    assert cli.main(["check-config"]) == 2
    out, err = capsys.readouterr()
    assert "allocation.mid_low.mid_low: [40, 40, 30] sums to 110; expected 100" in out
    assert "levels[2].min: 41 leaves a gap; expected 40" in out
    assert err.strip() == "check-config: 2 problems found"


def test_score_with_bad_data_says_so_in_one_line(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    edit(data, "tables.toml", "mid_low = [40, 40, 20]", "mid_low = [40, 40, 30]")
    monkeypatch.setattr(loading, "default_resources_dir", lambda: data)
    answers = tmp_path / "a.json"
    answers.write_text("{}", "utf-8")
    assert cli.main(["score", "--answers", str(answers)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "allocation.mid_low.mid_low" in err
