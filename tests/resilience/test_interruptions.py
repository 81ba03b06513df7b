"""Ctrl-C at a terminal: the signal reaches the whole foreground process group (the robot,
Playwright's driver, Chromium, the bundled mock). The records in hand finish with their
evidence, the rest stays pending, and the console says so without a trace of a crash."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.flows.conftest import write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import assert_exactly_once, results, robot_command, settled_count, wait_until

CRASH_WORDS = ("Traceback", "Future exception was never retrieved", "Connection closed", "Error:")


@pytest.mark.parametrize("after", [1, 4])
def test_ctrl_c_finishes_the_records_in_hand_with_their_evidence_and_a_clean_console(
        portal_factory, bot_credentials, tmp_path, after):
    portal = portal_factory(members=12, faults="latency_ms=150-400,seed=5")
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(12),
                    defaults={"reason": "Member request"})
    out = tmp_path / "out"
    # Its own process group, as a terminal gives a command: the group's Ctrl-C reaches all of it.
    robot = subprocess.Popen(robot_command(job, portal.url, out, "--workers", "2"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_until(lambda: settled_count(out) >= after, timeout=120, what=f"{after} records settled")
        os.killpg(robot.pid, signal.SIGINT)
        stdout, stderr = robot.communicate(timeout=120)
    finally:
        if robot.poll() is None:
            os.killpg(robot.pid, signal.SIGKILL)

    assert robot.returncode == 1, stdout[-2000:] + stderr[-2000:]
    assert "interrupted by SIGINT" in stdout
    assert not any(word in stdout + stderr for word in CRASH_WORDS), stdout[-2000:] + stderr[-2000:]
    rows = results(out)
    done = [row for row in rows if row["status"] == "done"]
    assert len(done) >= after and {row["status"] for row in rows} <= {"done", "pending"}
    for row in done:
        assert row["screenshot"] and (out / row["screenshot"]).is_file(), row
    assert_exactly_once(rows, portal.transactions(), all_done=False)
