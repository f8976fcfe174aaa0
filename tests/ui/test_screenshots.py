"""`kiosk screenshots` walks a whole visit, print failure included, in a throwaway data
folder: the kiosk's real session log, sheet numbers and outbox are never touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_kiosk


def test_screenshots_leave_the_real_data_folder_untouched(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "keep.txt").write_text("the branch's own data", "utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[branch]\ncode = "0451"\n[storage]\ndata_dir = "{data}"\n', "utf-8")
    settings_before = settings.read_bytes()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    shots = tmp_path / "shots"
    run = run_kiosk(
        "--settings", str(settings), "screenshots", "--out", str(shots), "--size", "1280x800"
    )
    assert run.code == 0, run.err
    assert len(list(shots.glob("*.png"))) > 10
    assert sorted(p.name for p in data.rglob("*")) == ["keep.txt"]
    assert settings.read_bytes() == settings_before
    assert not (isolated_home / "data" / "branch-risk-kiosk").exists()
    # The throwaway folder is removed afterwards.
    assert [p.name for p in scratch.iterdir() if p.name.startswith("kiosk-")] == []
