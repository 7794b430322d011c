"""A real PostgreSQL for the tests: Debian's server, started in a temporary folder on 127.0.0.1.

    def test_something(postgres_url):        # a fresh, empty database for this test
        engine = create_engine(postgres_url)

One server per test process (``initdb`` once, a few seconds), one database per test. Tests that
use it skip with the reason when no PostgreSQL server is installed (``make setup`` installs
Debian's ``postgresql``). Running as root, the server runs as the ``postgres`` user (PostgreSQL
refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


def server_binaries() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: Debian's versioned one, else the PATH's."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    folder: Path
    port: int
    binaries: Path
    run_as: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://deskbot@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://deskbot@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=deskbot dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.run_as, str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)


def start_server(folder: Path) -> PostgresServer:
    binaries = server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server not installed (make setup installs Debian's postgresql)")
    run_as: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL will not run as root
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data = folder / "data"
    init = subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(data), "-U", "deskbot", "--auth=trust",
                           "-E", "UTF8", "--no-locale", "--no-sync"], capture_output=True, text=True, timeout=300)
    if init.returncode:
        pytest.fail(f"initdb failed: {init.stderr[-2000:]}")
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {folder} -F -c max_connections=200 -c shared_buffers=32MB"
    start = subprocess.run([*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                            str(folder / "server.log"), "-w", "-t", "120", "start"], capture_output=True, text=True,
                           timeout=180)
    if start.returncode:
        log = (folder / "server.log").read_text(errors="replace")[-2000:] if (folder / "server.log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {start.stderr[-1000:]} {log}")
    return PostgresServer(folder, port, binaries, run_as)


@pytest.fixture(scope="session")
def postgres_server():
    import tempfile

    # not under pytest's tmp folder: that one is private to root, and the server runs as postgres
    folder = Path(tempfile.mkdtemp(prefix="deskbot-pg-"))
    try:
        server = start_server(folder)
        yield server
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new empty database on the test server, as a SQLAlchemy URL (psycopg 3)."""
    return postgres_server.create_database()
