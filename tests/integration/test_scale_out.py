"""Several processes side by side: `peifu serve --workers N` answers from N API processes, and
processes starting at the same moment on a fresh database all come up (the policy version is
stored once, whoever is first)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from peifu.db.engine import make_engine, make_session_factory, unit_of_work
from peifu.db.migrate import upgrade
from peifu.db.models import PolicyVersionRow
from peifu.domain.policy import read_policy_text
from peifu.services import policies
from tests.conftest import START, _postgres_database
from tests.server_support import free_port


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    server = os.environ.get("PEIFU_TEST_DATABASE_URL", "")
    if server.startswith("postgres"):
        yield from _postgres_database(server)
    else:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"


def test_processes_starting_at_once_store_the_policy_version_once(fresh_url: str) -> None:
    upgrade(fresh_url)
    engine = make_engine(fresh_url)
    factory = make_session_factory(engine)
    text = read_policy_text(None)
    gate = threading.Barrier(4)
    failures: list[BaseException] = []

    def start() -> None:
        gate.wait()
        try:
            with unit_of_work(factory) as session:
                policies.activate(session, text, START)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with unit_of_work(factory) as session:
        assert session.scalar(select(func.count()).select_from(PolicyVersionRow)) == 1
    engine.dispose()


def test_serve_with_two_api_processes(fresh_url: str) -> None:
    port = free_port()
    env = {**os.environ, "PEIFU_LOG_LEVEL": "WARNING"}
    peifu = str(Path(sys.executable).parent / "peifu")
    cmd = [peifu, "serve", "--workers", "2", "--no-demo", "--no-worker", "--port", str(port)]
    proc = subprocess.Popen([*cmd, "--database-url", fresh_url], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(_children(proc.pid)) < 2:
            time.sleep(0.3)
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert answer.status_code == 200
        pids = set(_children(proc.pid))
        assert len(pids) >= 2, "uvicorn did not start two API processes"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _children(parent: int) -> list[int]:
    """The worker processes uvicorn spawned under `parent` (multiprocessing spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        if int(fields[1]) == parent and b"spawn_main" in (entry / "cmdline").read_bytes():
            found.append(int(entry.name))
    return found
