"""A throwaway PostgreSQL server for tests that restart or kill the database.

The `private_cluster` fixture (import `private_cluster_fixture` into the test module) runs Debian's server binaries (`initdb`, `pg_ctl`) into a temporary directory on
a free port — never the shared server the rest of the suite uses — creates and migrates a
database `peifu`, and removes it all afterwards. It skips, saying why, when the binaries are not
installed (or when running as root without `runuser`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from peifu.db.engine import normalise_url
from peifu.db.migrate import upgrade


@dataclass
class PrivateCluster:
    """A throwaway PostgreSQL server of this test's own: restarting it disturbs nobody else."""

    bindir: Path
    data: Path
    port: int
    run_as: list[str]  # initdb and pg_ctl refuse to run as root: they run as `postgres` then
    url: str = ""

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, check=check)

    def online(self) -> bool:
        return self.pg_ctl("status", check=False).returncode == 0

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.pg_ctl("start", "-w", "-t", "120", "-l", str(self.data.parent / "server.log"), "-o", options)


def _postgres_bindir() -> Path | None:
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and (Path(found).parent / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(name="private_cluster")
def private_cluster_fixture() -> Iterator[PrivateCluster]:
    """initdb + pg_ctl into a temporary directory, on a free port, migrated; removed afterwards."""
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="peifu-pg-"))  # directly under /tmp: `postgres` must reach it
    run_as: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: initdb cannot run")
        shutil.chown(root, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster = PrivateCluster(bindir, root / "data", _free_port(), run_as)
    made = subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    cluster.start()
    try:
        admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres", poolclass=NullPool)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE peifu"))
        admin.dispose()
        cluster.url = f"postgresql://postgres@127.0.0.1:{cluster.port}/peifu"
        upgrade(cluster.url)
        yield cluster
    finally:
        cluster.pg_ctl("stop", "-m", "immediate", check=False)
        shutil.rmtree(root, ignore_errors=True)


def postmaster_started(database_url: str) -> Any:
    engine = create_engine(normalise_url(database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_postmaster_start_time()")).scalar()
    finally:
        engine.dispose()
