"""Throwaway PostgreSQL servers for the fleet tests (registered in tests/conftest.py).

PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user
(`postgres`, which Debian's package creates, else `nobody`), in a temporary folder it
owns, on a free port of 127.0.0.1, with trust authentication; the tests connect over TCP.
`initdb` runs once a session into a template folder; every server is a copy of it,
started as a child of the test process (so the test reaps it) and stopped by its
fixture. scripts/test installs Debian's `postgresql` when root; without it (or without
psycopg) the fixtures skip and say why.

- `postgres_server` (session): one server shared by the tests that never stop it;
- `fleet_db`: a fresh database on it, with the fleet schema and a kiosk role that has
  only the documented GRANTs;
- `private_postgres`: a server of the test's own, which it may kill and restart.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

ADMIN = "fleet_admin"
KIOSK_ROLE = "kiosk_pusher"
_databases = count(1)


def _bin_dir() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run_as() -> tuple[str, int, int] | None:
    """The unprivileged user (name, uid, gid) the server runs as; None: the current one."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return name, entry.pw_uid, entry.pw_gid
    return None


def _why_no_postgres() -> str:
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    if _bin_dir() is None:
        return "PostgreSQL is not installed (Debian: postgresql; scripts/test installs it as root)"
    if os.geteuid() == 0 and _run_as() is None:
        return "running as root without a user postgres or nobody to run PostgreSQL as"
    return ""


WHY = _why_no_postgres()


# A server outlives a test process that dies without its fixtures' teardown (a crash,
# SIGKILL) unless told to stop with it: setpriv's parent-death signal (set after the
# switch to the server's user, kept across exec), SIGINT being PostgreSQL's fast shutdown.
_SETPRIV = shutil.which("setpriv")
_DIE_WITH_US = [_SETPRIV, "--pdeathsig", "INT", "--"] if _SETPRIV else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _owned_dir(prefix: str) -> Path:
    """A fresh folder in /tmp the server's user owns (pytest's own are root's, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    user = _run_as()
    if user is not None:
        os.chown(folder, user[1], user[2])
    return folder


def _as_user() -> dict[str, object]:
    user = _run_as()
    if user is None:
        return {}
    return {"user": user[1], "group": user[2], "extra_groups": []}


def _chown_tree(folder: Path) -> None:
    user = _run_as()
    if user is None:
        return
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            os.lchown(os.path.join(root, name), user[1], user[2])
    os.chown(folder, user[1], user[2])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class PostgresServer:
    """One postgres process (a child of the test process) on its own port and folder."""

    folder: Path
    port: int
    bin: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", role: str = ADMIN) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 30.0) -> None:
        import psycopg  # noqa: PLC0415

        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen(
            [
                *_DIE_WITH_US,
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=50",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **_as_user(),  # type: ignore[arg-type]
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"PostgreSQL did not start:\n{tail}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """A fast shutdown (SIGINT), as an administrator stops it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def kill(self) -> None:
        """A crash: SIGKILL to the server and every backend at once, no shutdown at all."""
        if self.process is None:
            return
        pid = self.process.pid
        children = _children(pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.process.wait(30)
        deadline = time.monotonic() + 30
        while any(_alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self) -> str:
        import psycopg  # noqa: PLC0415

        name = f"fleet_{os.getpid()}_{next(_databases)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return name

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _initdb(bin_dir: Path) -> Path:
    folder = _owned_dir("kiosk-pg-template-")
    subprocess.run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            ADMIN,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **_as_user(),  # type: ignore[arg-type]
    )
    return folder


def new_server(template: Path) -> PostgresServer:
    """A started server copied from the initdb'd template folder."""
    bin_dir = _bin_dir()
    assert bin_dir is not None
    folder = _owned_dir("kiosk-pg-")
    shutil.copytree(template / "data", folder / "data", symlinks=True)
    _chown_tree(folder)
    server = PostgresServer(folder, free_port(), bin_dir)
    try:
        server.start()
    except BaseException:
        server.remove()
        raise
    with contextlib.suppress(Exception):
        _create_kiosk_role(server)
    return server


def _create_kiosk_role(server: PostgresServer) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {KIOSK_ROLE} LOGIN")  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[Path]:
    if WHY:
        pytest.skip(WHY)
    bin_dir = _bin_dir()
    assert bin_dir is not None
    folder = _initdb(bin_dir)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(postgres_template: Path) -> Iterator[PostgresServer]:
    server = new_server(postgres_template)
    yield server
    server.remove()


@pytest.fixture
def private_postgres(postgres_template: Path) -> Iterator[PostgresServer]:
    server = new_server(postgres_template)
    yield server
    server.remove()


@dataclass(frozen=True)
class FleetDb:
    """A database with the fleet schema: `admin_url` owns it, `kiosk_url` is a kiosk's
    role with only the GRANTs of packaging/README.md."""

    server: PostgresServer
    name: str

    @property
    def admin_url(self) -> str:
        return self.server.url(self.name)

    @property
    def kiosk_url(self) -> str:
        return self.server.url(self.name, KIOSK_ROLE)


def fleet_database(server: PostgresServer) -> FleetDb:
    """A fresh database on `server` with the schema and the kiosk role's GRANTs."""
    import psycopg  # noqa: PLC0415

    from kiosk.fleet.schema import init_schema  # noqa: PLC0415

    db = FleetDb(server, server.create_database())
    with psycopg.connect(db.admin_url, autocommit=True) as conn:
        init_schema(conn, db.name, grant=KIOSK_ROLE)
    return db


@pytest.fixture
def fleet_db(postgres_server: PostgresServer) -> FleetDb:
    return fleet_database(postgres_server)


__all__ = [
    "ADMIN",
    "KIOSK_ROLE",
    "WHY",
    "FleetDb",
    "PostgresServer",
    "fleet_database",
    "fleet_db",
    "free_port",
    "new_server",
    "postgres_server",
    "private_postgres",
]
