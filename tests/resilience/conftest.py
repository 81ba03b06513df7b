"""Resilience tests: the robot under injected faults, crashes and a portal that goes away.
Every test ends by counting the portal's own record of submissions (`/_mock/transactions`)
against the run's results: exactly one per `done` record, none for any other."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CERTIFIER, MockPortal, credentials_env
from tests.resilience import fixture_builder as fb

END_DATE = (dt.date.today() + dt.timedelta(days=90)).isoformat()


@pytest.fixture
def bot_credentials(monkeypatch):
    credentials = fb.credentials()
    for name, value in credentials_env(credentials).items():
        monkeypatch.setenv(name, value)
    return credentials


@pytest.fixture
def portal_factory(tmp_path):
    """Starts mock portals on a fixture of `members` and `practitioners`; stops them after."""
    started: list[MockPortal] = []

    def start(members: int = 10, practitioners: int = 10, **options) -> MockPortal:
        fixture = fb.write_fixture(tmp_path, members, practitioners)
        portal = MockPortal(fixture=fixture, **options)
        portal.start()
        started.append(portal)
        return portal

    yield start
    for portal in started:
        portal.stop()


def robot_command(job: Path, portal_url: str, out_dir: Path, *extra: str) -> list[str]:
    # No gap between logins (the tests' portals take a verification code every 2 s), the
    # unlinks' Agreement certified ahead of time by the person the jobs name, no printed report.
    return [sys.executable, "-m", "robots", "run", str(job), "--portal", portal_url, "--out", str(out_dir),
            "--login-gap", "0", "--certify", CERTIFIER["name"], "--no-pdf", *extra]


def run_robot(job: Path, portal_url: str, out_dir: Path, *extra: str, env: dict | None = None, timeout: float = 300):
    """`posc run` as its own process, as ops would run it."""
    return subprocess.run(
        robot_command(job, portal_url, out_dir, *extra),
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
    )


def settled_count(out_dir: Path) -> int:
    """How many records the ledger holds as finished (read while the robot runs)."""
    ledger = out_dir / "ledger.sqlite"
    if not ledger.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=5) as db:
            query = "SELECT COUNT(*) FROM records WHERE state IN ('done', 'already_done', 'rejected')"
            (count,) = db.execute(query).fetchone()
            return count
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0


def wait_until(condition, *, timeout: float, what: str) -> None:
    """Polls a condition on the system under test (its ledger, its processes) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def results(out_dir: Path) -> list[dict]:
    return json.loads((out_dir / "results.json").read_text())["records"]


def submission_key(transaction: dict) -> str:
    if transaction["kind"] == "disenrollment":
        return transaction["member_id"]
    key = f"{transaction['location']} / {transaction['practitioner']}".upper()
    return f"{key} / {transaction['npi']}" if transaction.get("npi") else key


def assert_exactly_once(rows: list[dict], transactions: list[dict], *, all_done: bool = True) -> None:
    """One submission per done record, none for any other record, none for unknown records."""
    submitted = Counter(submission_key(t) for t in transactions)
    for row in rows:
        expected = 1 if row["status"] == "done" else 0
        assert submitted.get(row["key"], 0) == expected, (row["key"], row["status"], row["message"])
    assert set(submitted) <= {row["key"] for row in rows}
    if all_done:
        assert Counter(row["status"] for row in rows) == Counter({"done": len(rows)}), [
            (r["key"], r["status"], r["message"]) for r in rows if r["status"] != "done"
        ]
