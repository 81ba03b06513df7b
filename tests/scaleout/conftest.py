"""Runs on several hosts, as processes on this one: real PostgreSQL and Redis servers
(tests/servers.py), `posc worker` processes and the `posc run` that follows them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CERTIFIER, credentials_env
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import portal_factory  # noqa: F401 (fixture)
from tests.servers import postgres_server, postgres_url, redis_server  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ledger_url(postgres_server, request) -> str:  # noqa: F811 (the fixture imported above)
    """A database of its own for the test."""
    return postgres_server.create_database(f"t{abs(hash(request.node.nodeid)) % 10**10}")


@pytest.fixture
def hosts(tmp_path, ledger_url, redis_server):  # noqa: F811
    """Starts `posc worker` processes (each with its own bot credentials, as a host has);
    kills every one still running after the test."""
    started: list[subprocess.Popen] = []

    def start(processes: int = 1, *, lease_s: float = 8, redeliver_after_s: float = 20) -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "-m", "robots", "worker", "--workers", str(processes), "--lease", str(lease_s),
             "--redeliver-after", str(redeliver_after_s)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **credentials_env(fb.credentials()), "POSC_LEDGER_URL": ledger_url,
                 "POSC_QUEUE_URL": redis_server.url},
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def follow_command(job: Path, portal_url: str, out: Path, ledger_url: str, queue_url: str) -> list[str]:
    return [sys.executable, "-m", "robots", "run", str(job), "--portal", portal_url, "--out", str(out),
            "--ledger", ledger_url, "--queue", queue_url, "--certify", CERTIFIER["name"], "--no-pdf"]
