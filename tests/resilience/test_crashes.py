"""Exactly once across crashes: the robot killed (SIGKILL) at the moments that matter,
Chromium killed under it, the portal stopped under it, and two runs on one folder."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from robots.run_folder.folder import FolderLock
from tests.flows.conftest import run_job, write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import (
    END_DATE,
    assert_exactly_once,
    results,
    robot_command,
    run_robot,
    settled_count,
    wait_until,
)

MEMBERS = 5


@pytest.fixture
def portal(portal_factory, bot_credentials):
    return portal_factory(members=MEMBERS, practitioners=3)


def disenroll_job(tmp_path: Path) -> Path:
    return write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(MEMBERS),
                     defaults={"reason": "Member request"})


def crash_then_resume(job: Path, portal, out: Path, failpoint: str) -> None:
    crashed = run_robot(job, portal.url, out, "--workers", "2", env={"POSC_FAILPOINTS": failpoint})
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr

    resumed = run_robot(job, portal.url, out, "--workers", "2")

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert_exactly_once(results(out), portal.transactions())


@pytest.mark.parametrize(
    "failpoint",
    [
        "after-claim@2",  # a record taken, nothing done yet
        "after-mark-submitting@2",  # the ledger knows of the Submit; the click never happened
        "after-submit-click@2",  # Submit clicked: between the Submit and its confirmation
        "during-settle@2",  # inside the ledger's write of a record's outcome
        "after-settle@3",  # between two records
        "during-report-write@1",  # all records done, reports half written
    ],
)
def test_robot_killed_at_any_moment_then_resumed_does_each_disenrollment_once(portal, tmp_path, failpoint):
    crash_then_resume(disenroll_job(tmp_path), portal, tmp_path / "out", failpoint)


def test_robot_killed_between_the_agreements_submit_and_processing_unlinks_once(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", fb.GROUP, fb.unlink_records(3, END_DATE))
    crash_then_resume(job, portal, tmp_path / "out", "after-submit-click@2")


def test_robot_killed_at_an_arbitrary_moment_then_resumed_does_each_record_once(portal, tmp_path):
    job, out = disenroll_job(tmp_path), tmp_path / "out"
    robot = subprocess.Popen(robot_command(job, portal.url, out, "--workers", "2"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: settled_count(out) >= 2, timeout=120, what="two records settled")
    robot.send_signal(signal.SIGKILL)
    robot.wait(timeout=30)

    resumed = run_robot(job, portal.url, out, "--workers", "2")

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert_exactly_once(results(out), portal.transactions())


def chromium_processes_under(pid: int) -> list[int]:
    """The browser processes (not its helpers) that descend from `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            stack.append(child)
            try:
                command = (Path("/proc") / str(child) / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"chrom" in command[0] and not any(arg.startswith(b"--type=") for arg in command):
                found.append(child)
    return found


def test_chromium_killed_mid_run_is_replaced_and_no_record_is_doubled(portal, tmp_path):
    job, out = disenroll_job(tmp_path), tmp_path / "out"
    robot = subprocess.Popen(robot_command(job, portal.url, out, "--workers", "2"),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_until(lambda: settled_count(out) >= 1, timeout=120, what="a record settled")
    browsers = chromium_processes_under(robot.pid)
    assert browsers, "no Chromium found under the robot"
    for browser in browsers:
        os.kill(browser, signal.SIGKILL)

    output, _ = robot.communicate(timeout=300)

    assert robot.returncode == 0, output
    assert_exactly_once(results(out), portal.transactions())


def test_portal_stopped_mid_run_stops_the_run_cleanly_and_a_resume_completes_once(
    portal_factory, bot_credentials, tmp_path
):
    db = tmp_path / "portal.sqlite"
    portal = portal_factory(members=8, practitioners=1, db=db)
    port = portal.port
    job = write_job(
        tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(8), defaults={"reason": "Member request"}
    )
    out = tmp_path / "out"
    stopper = threading.Thread(target=lambda: (
        wait_until(lambda: settled_count(out) >= 2, timeout=120, what="two records settled"), portal.stop()
    ))
    stopper.start()

    first = run_job(job, portal.url, out, workers=2, breaker_threshold=6)
    stopper.join()

    assert first.exit_code == 1
    assert "system failures in a row" in first.stopped
    rows = results(out)
    assert {row["status"] for row in rows} <= {"done", "pending", "failed"}
    assert any(row["status"] == "pending" for row in rows)

    restarted = portal_factory(members=8, practitioners=1, db=db, port=port)
    second = run_job(job, restarted.url, out, workers=2, breaker_threshold=6)

    assert second.exit_code == 0
    assert_exactly_once(results(out), restarted.transactions())


def test_a_second_run_on_the_same_folder_refuses_while_the_first_holds_it(portal, tmp_path):
    job, out = disenroll_job(tmp_path), tmp_path / "out"
    out.mkdir()
    with FolderLock(out):  # the first run, holding its folder
        second = run_robot(job, portal.url, out)

    assert second.returncode == 2
    assert "in use by another posc run" in second.stderr
    assert "Traceback" not in second.stderr
    assert portal.transactions() == []

