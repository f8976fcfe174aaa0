"""Fixtures shared by every test: an isolated home, the questionnaire, the worked example;
and a warning the kiosk logs fails the test unless it expects it (tests.helpers.logfail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.engine import Questionnaire, load_questionnaire
from tests.helpers import WORKED_EXAMPLE

pytest_plugins = [
    "pytester",
    "tests.helpers.logfail",
    "tests.helpers.ipp",
    "tests.helpers.postgres",
]

__all__ = ["WORKED_EXAMPLE"]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and data go to a fresh folder, never to the real user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture
def example() -> dict[str, object]:
    answers: dict[str, object] = json.loads(WORKED_EXAMPLE.read_text("utf-8"))
    return answers
