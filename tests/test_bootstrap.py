"""scripts/_bootstrap.sh waits for another package manager instead of failing with apt's
"Could not get lock" (a fresh Debian runs unattended-upgrades at its first boot).

apt and dpkg take fcntl (POSIX) locks on their lock files. Here the test process holds
such a lock on a file of its own, named to the bootstrap by KIOSK_APT_LOCKS, and stand-ins
for apt-get, dpkg-query and id (root) behave like the real ones towards that lock, so the
real system's locks are never touched.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = ROOT / "scripts" / "_bootstrap.sh"
MESSAGE = "waiting for another package manager (apt) to finish"

FAKE_APT_GET = textwrap.dedent(
    """\
    import fcntl, os, sys
    # Like apt-get: fail at once when another process holds the lock.
    lock = os.environ["KIOSK_APT_LOCKS"].split(":")[0]
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(f"E: Could not get lock {lock}. It is held by process 1 (apt-get)")
    words = [a for a in sys.argv[1:] if not a.startswith("-") and "::" not in a]
    if "no-such-package" in words:
        sys.exit("E: Unable to locate package no-such-package")
    with open(os.environ["FAKE_APT_LOG"], "a") as log:
        log.write(" ".join(words) + "\\n")
    """
)


@pytest.fixture
def fake_system(tmp_path: Path) -> dict[str, str]:
    """The environment for a bootstrap that sees a root Debian made of stand-ins."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "apt-get": f"#!{sys.executable}\n{FAKE_APT_GET}",
        "dpkg-query": "#!/bin/sh\nexit 1\n",  # nothing is installed
        "id": '#!/bin/sh\n[ "$1" = -u ] && echo 0 && exit 0\nexec /usr/bin/id "$@"\n',
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text, "utf-8")
        (bin_dir / name).chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "KIOSK_APT_LOCKS": str(tmp_path / "lock-frontend"),
        "FAKE_APT_LOG": str(tmp_path / "apt.log"),
        "PYTHON": sys.executable,
    }


def bootstrap(env: dict[str, str], stderr: Path, *packages: str) -> subprocess.Popen[bytes]:
    command = f'set -euo pipefail; source "{BOOTSTRAP}"; apt_ensure "$@"'
    with stderr.open("wb") as err:
        return subprocess.Popen(
            ["bash", "-c", command, "bootstrap", *packages],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def hold(lock: str) -> int:
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o640)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # what apt and dpkg do
    return fd


def test_a_held_apt_lock_is_waited_for_with_one_message(
    fake_system: dict[str, str], tmp_path: Path
) -> None:
    fd = hold(fake_system["KIOSK_APT_LOCKS"])
    stderr = tmp_path / "stderr.txt"
    process = bootstrap(fake_system, stderr, "libfoo1", "libbar2")
    try:
        time.sleep(3)
        said = stderr.read_text("utf-8")
        assert process.poll() is None, f"the bootstrap did not wait for the lock: {said}"
        assert said.count(MESSAGE) == 1, said
        assert not Path(fake_system["FAKE_APT_LOG"]).exists(), "apt-get ran under the lock"
    finally:
        os.close(fd)  # the other package manager is done
    try:
        assert process.wait(timeout=30) == 0, stderr.read_text("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
    said = stderr.read_text("utf-8")
    assert said.count(MESSAGE) == 1, said
    assert "Could not get lock" not in said
    ran = Path(fake_system["FAKE_APT_LOG"]).read_text("utf-8").splitlines()
    assert ran == ["update", "install libfoo1 libbar2"]


def test_a_lock_held_too_long_ends_with_one_error(
    fake_system: dict[str, str], tmp_path: Path
) -> None:
    fd = hold(fake_system["KIOSK_APT_LOCKS"])
    stderr = tmp_path / "stderr.txt"
    try:
        process = bootstrap({**fake_system, "KIOSK_APT_LOCK_WAIT": "2"}, stderr, "libfoo1")
        assert process.wait(timeout=30) != 0
    finally:
        os.close(fd)
    said = stderr.read_text("utf-8")
    assert said.count(MESSAGE) == 1, said
    assert f"{fake_system['KIOSK_APT_LOCKS']} is still held after 2 s" in said, said
    assert not Path(fake_system["FAKE_APT_LOG"]).exists()


def test_other_apt_failures_are_not_waited_on(fake_system: dict[str, str], tmp_path: Path) -> None:
    stderr = tmp_path / "stderr.txt"
    process = bootstrap(fake_system, stderr, "no-such-package")
    assert process.wait(timeout=30) != 0
    said = stderr.read_text("utf-8")
    assert "E: Unable to locate package no-such-package" in said
    assert MESSAGE not in said
