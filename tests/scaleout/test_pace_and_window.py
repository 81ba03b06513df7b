"""`--pace` and `--window` hold for a run on several hosts as on one machine: record starts are
spaced across every host (slots taken in the database), and no task goes to the broker before
the follower's window opens."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess

import redis

from robots.scaleout.app import QUEUE
from robots.scaleout.store import SharedStore
from tests.flows.conftest import write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import assert_exactly_once, results
from tests.scaleout.conftest import ROOT, follow_command


def test_start_slots_are_spaced_by_the_pace_whoever_asks(ledger_url):
    one, other = SharedStore(ledger_url, "paced-job"), SharedStore(ledger_url, "paced-job")  # two hosts
    one.put_spec({})

    waits = [one.take_start(5.0), other.take_start(5.0), one.take_start(5.0)]

    assert waits[0] < 0.5
    assert 4.5 < waits[1] <= 5.0
    assert 9.5 < waits[2] <= 10.0


def test_two_processes_start_their_records_at_the_runs_pace(portal_factory, hosts, ledger_url, redis_server,
                                                             tmp_path):
    portal = portal_factory(members=3, practitioners=1)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(3),
                    defaults={"reason": "Member request"})
    hosts(2)  # two processes, each free to start a record at once
    out = tmp_path / "out"

    finished = subprocess.run([*follow_command(job, portal.url, out, ledger_url, redis_server.url), "--pace", "15/min"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    rows = results(out)
    assert_exactly_once(rows, portal.transactions())
    starts = sorted(dt.datetime.fromisoformat(row["started"]) for row in rows)
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 3  # 4 s apart, a little less for a slow clock read


def test_no_record_is_sent_before_the_window_opens(portal_factory, ledger_url, redis_server, tmp_path):
    portal = portal_factory(members=2, practitioners=1)
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(2),
                    defaults={"reason": "Member request"})
    now = dt.datetime.now()
    window = f"{(now + dt.timedelta(hours=2)):%H:%M}-{(now + dt.timedelta(hours=3)):%H:%M}"
    follower = subprocess.Popen([*follow_command(job, portal.url, tmp_path / "out", ledger_url, redis_server.url),
                                 "--window", window], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
    try:
        lines = []
        for line in follower.stdout:
            lines.append(line)
            if "waiting for the run's window" in line:
                break
        assert f"waiting for the run's window {window}: it opens in 1 h" in lines[-1], "".join(lines)
        assert redis.Redis.from_url(redis_server.url).llen(QUEUE) == 0  # nothing sent

        follower.send_signal(signal.SIGINT)
        output = follower.communicate(timeout=60)[0]
    finally:
        follower.kill()
    assert follower.returncode == 1, output
    assert "interrupted by SIGINT" in output
    assert portal.transactions() == []
    assert {row["status"] for row in results(tmp_path / "out")} == {"pending"}
