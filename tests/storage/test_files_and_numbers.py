"""Sheet numbers never repeat; files are written whole or not at all."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.files import write_atomic
from kiosk.storage.outbox import Outbox, OutboxError
from kiosk.storage.sessions import DB_FILE, SessionLog, VisitRecord
from kiosk.storage.sheet_numbers import SheetNumberError, next_sheet_number
from tests.conftest import WORKED_EXAMPLE
from tests.helpers import mounted_tmpfs, run_kiosk

DAY = date(2026, 11, 25)


def test_numbers_have_the_spec_shape_and_count_up(tmp_path: Path) -> None:
    assert next_sheet_number(tmp_path, "0451", DAY) == "0451-20261125-1001"
    assert next_sheet_number(tmp_path, "0451", DAY) == "0451-20261125-1002"
    assert next_sheet_number(tmp_path, "0451", date(2026, 11, 26)) == "0451-20261126-1001"
    assert next_sheet_number(tmp_path, "0451", DAY, kiosk_no=3) == "0451-20261125-3003"


def test_a_kiosk_has_999_numbers_a_day_and_the_1000th_asks_for_staff(tmp_path: Path) -> None:
    numbers = [next_sheet_number(tmp_path, "0000", DAY, kiosk_no=2) for _ in range(999)]
    assert len(set(numbers)) == 999
    assert (numbers[0], numbers[-1]) == ("0000-20261125-2001", "0000-20261125-2999")
    with pytest.raises(SheetNumberError, match="all 999 sheet numbers of 2026-11-25"):
        next_sheet_number(tmp_path, "0000", DAY, kiosk_no=2)
    # Still refused (nothing reused), and the next day starts again.
    with pytest.raises(SheetNumberError):
        next_sheet_number(tmp_path, "0000", DAY, kiosk_no=2)
    assert next_sheet_number(tmp_path, "0000", date(2026, 11, 26), kiosk_no=2).endswith("-2001")


def test_two_kiosks_of_a_branch_never_share_a_number(tmp_path: Path) -> None:
    first = {next_sheet_number(tmp_path / "a", "0451", DAY, kiosk_no=1) for _ in range(50)}
    second = {next_sheet_number(tmp_path / "b", "0451", DAY, kiosk_no=2) for _ in range(50)}
    assert len(first) == len(second) == 50
    assert not first & second


def test_a_clock_set_back_continues_that_days_count(tmp_path: Path) -> None:
    first = next_sheet_number(tmp_path, "0000", DAY)
    next_sheet_number(tmp_path, "0000", date(2026, 11, 26))
    again = next_sheet_number(tmp_path, "0000", DAY)
    assert (first, again) == ("0000-20261125-1001", "0000-20261125-1002")


def test_numbers_survive_restarts_of_the_command(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    data = tmp_path / "data"
    settings.write_text(f'[storage]\ndata_dir = "{data}"\n[branch]\ncode = "7"\n', "utf-8")
    said = []
    for index in range(3):
        out = tmp_path / f"s{index}.pdf"
        run = run_kiosk(
            "report",
            "--settings",
            str(settings),
            "--answers",
            str(WORKED_EXAMPLE),
            "--out",
            str(out),
        )
        assert run.code == 0, run.err
        said.append(run.out.split()[1])
    assert [number[-4:] for number in said] == ["1001", "1002", "1003"]
    assert all(number.startswith("7-") for number in said)
    # Every numbered sheet is kept in the outbox, whoever made it (the sheet service).
    assert sorted(p.stem for p in (data / "outbox").glob("*.pdf")) == sorted(said)
    assert (data / "outbox" / f"{said[0]}.pdf").read_bytes() == (tmp_path / "s0.pdf").read_bytes()
    assert json.loads((data / "sheet_numbers.json").read_text()) == {said[0].split("-")[1]: 3}


def test_concurrent_processes_never_share_a_number(tmp_path: Path) -> None:
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from kiosk.storage.sheet_numbers import next_sheet_number\n"
        "for _ in range(150):\n"
        "    print(next_sheet_number(Path(sys.argv[1]), '0000', date(2026, 11, 25)))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    numbers = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        numbers += out.split()
    assert len(numbers) == 450
    assert len(set(numbers)) == 450


def _issue(data: Path, count: int) -> list[str]:
    """Take `count` numbers and keep a sheet under each, as the kiosk does."""
    outbox = Outbox(data)
    numbers = [next_sheet_number(data, "0000", DAY) for _ in range(count)]
    for number in numbers:
        outbox.save(number, b"%PDF sheet " + number.encode())
    return numbers


def test_a_damaged_counter_is_kept_and_resumes_above_the_outbox(tmp_path: Path) -> None:
    _issue(tmp_path, 7)
    next_sheet_number(tmp_path, "0000", date(2026, 11, 24))
    (tmp_path / "sheet_numbers.json").write_text("{not json", "utf-8")
    assert next_sheet_number(tmp_path, "0000", DAY) == "0000-20261125-1008"
    assert (tmp_path / "sheet_numbers.damaged").read_text("utf-8") == "{not json"
    assert next_sheet_number(tmp_path, "0000", DAY) == "0000-20261125-1009"


@pytest.mark.parametrize("damage", ["delete", "out of range"])
def test_a_lost_counter_resumes_above_the_days_session_log(tmp_path: Path, damage: str) -> None:
    numbers = _issue(tmp_path, 12)
    log = SessionLog(tmp_path / DB_FILE)
    now = datetime(2026, 11, 25, 10, 0)
    log.record(VisitRecord(now, now, "zh_CN", "completed", sheet_number=numbers[-1]))
    log.close()
    # The outbox lost its newest sheets (staff deleted them); the log still has them.
    for number in numbers[4:]:
        Outbox(tmp_path).path(number).unlink()
    counter = tmp_path / "sheet_numbers.json"
    if damage == "delete":
        counter.unlink()
    else:
        counter.write_text('{"20261125": 5001}', "utf-8")
    assert next_sheet_number(tmp_path, "0000", DAY) == "0000-20261125-1013"


def test_a_counter_behind_the_outbox_skips_the_kept_sheets(tmp_path: Path) -> None:
    _issue(tmp_path, 3)
    # A counter restored from an old backup: it says only one number was taken.
    (tmp_path / "sheet_numbers.json").write_text('{"20261125": 1}', "utf-8")
    assert next_sheet_number(tmp_path, "0000", DAY) == "0000-20261125-1004"


def test_an_outbox_sheet_is_never_overwritten(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path)
    kept = outbox.save("0000-20261125-1001", b"%PDF first client")
    with pytest.raises(OutboxError, match="already kept and is never replaced"):
        outbox.save("0000-20261125-1001", b"%PDF second client")
    assert kept.read_bytes() == b"%PDF first client"
    assert [p.name for p in outbox.folder.iterdir()] == ["0000-20261125-1001.pdf"]


def test_an_unusable_data_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    with pytest.raises(SheetNumberError) as caught:
        next_sheet_number(blocker / "data", "0000", DAY)
    message = str(caught.value)
    assert str(blocker / "data" / "sheet_numbers.json") in message
    assert "data folder" in message


def test_report_with_an_unusable_data_folder_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\ndata_dir = "{blocker}/data"\n', "utf-8")
    out = tmp_path / "s.pdf"
    run = run_kiosk(
        "--settings", str(settings), "report", "--answers", str(WORKED_EXAMPLE), "--out", str(out)
    )
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert "sheet_numbers.json" in run.err_lines[0]
    assert not out.exists()


# ---------------------------------------------------------------------- atomic writes


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real full disk (needs root and mount; skipped otherwise)."""
    with mounted_tmpfs(tmp_path / "tiny", "64k") as mount:
        yield mount


def test_a_full_disk_leaves_the_old_file_and_no_fragment(tiny_disk: Path) -> None:
    target = tiny_disk / "sheet.pdf"
    write_atomic(target, b"old sheet")
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"x" * 200_000)
    assert target.read_bytes() == b"old sheet"
    assert [p.name for p in tiny_disk.iterdir()] == ["sheet.pdf"]


def test_report_onto_a_full_disk_exits_2_naming_the_file(tiny_disk: Path) -> None:
    (tiny_disk / "filler").write_bytes(b"x" * 60_000)
    out = tiny_disk / "sheet.pdf"
    run = run_kiosk("report", "--answers", str(WORKED_EXAMPLE), "--out", str(out))
    assert run.code == 2
    assert run.err_lines == [
        f"{out}: cannot be written (No space left on device); "
        "free some space or choose another --out"
    ]
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]
