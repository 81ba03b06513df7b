"""One job on several hosts: Celery workers over a real Redis, the ledger in a real PostgreSQL,
against the bundled mock with faults. Every record ends at its true status, none lost, none
done twice, whatever happens to a worker or to the broker (checked against the portal's own
record of submissions)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.flows.conftest import write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import assert_exactly_once, results, wait_until
from tests.scaleout.conftest import ROOT, follow_command


def test_two_hosts_work_one_job_once_and_the_follower_writes_its_reports(portal_factory, hosts, ledger_url,
                                                                          redis_server, tmp_path):
    portal = portal_factory(members=12, practitioners=2)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(12),
                    defaults={"reason": "Member request"})
    hosts(1)
    hosts(1)
    out = tmp_path / "out"

    finished = subprocess.run(follow_command(job, portal.url, out, ledger_url, redis_server.url), cwd=ROOT,
                              capture_output=True, text=True, timeout=600)

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    rows = results(out)
    assert_exactly_once(rows, portal.transactions())
    assert all((out / row["screenshot"]).is_file() for row in rows)  # evidence came through the database
    status = subprocess.run([sys.executable, "-m", "robots", "status", "--ledger", ledger_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert "12 records (done 12)" in status.stdout
    assert "100000000" not in status.stdout  # no member ID


@pytest.mark.parametrize("records", [pytest.param(45, id="45"), pytest.param(300, id="300", marks=pytest.mark.soak)])
def test_a_worker_killed_and_the_broker_restarted_lose_and_double_nothing(
        portal_factory, hosts, ledger_url, redis_server, tmp_path, records):
    portal = portal_factory(members=records, faults="error_rate=0.05,latency_ms=50-300,lost_response_rate=0.05,seed=3")
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(records),
                    defaults={"reason": "Member request"})
    doomed = hosts(1)
    hosts(1)
    hosts(1)
    out = tmp_path / "out"
    follower = subprocess.Popen(follow_command(job, portal.url, out, ledger_url, redis_server.url), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: _settled_in_ledger(ledger_url) >= records // 5, timeout=600, what="a fifth settled")
        os.killpg(doomed.pid, signal.SIGKILL)  # a host lost with a record in hand, maybe mid-Submit
        wait_until(lambda: _settled_in_ledger(ledger_url) >= records // 2, timeout=600, what="half settled")
        redis_server.restart(kill=True)  # the broker lost, with the tasks it held
        output, _ = follower.communicate(timeout=1800)
    finally:
        if follower.poll() is None:
            follower.kill()

    assert follower.returncode == 0, output[-4000:]
    assert_exactly_once(results(out), portal.transactions())


def _settled_in_ledger(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as db:
        if db.execute("SELECT to_regclass('posc_records')").fetchone()[0] is None:
            return 0  # the follower has not written the job yet
        (count,) = db.execute(
            "SELECT count(*) FROM posc_records WHERE state IN ('done', 'already_done', 'rejected')").fetchone()
        return count



