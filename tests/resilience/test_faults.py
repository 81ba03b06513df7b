"""Exactly once under the portal's failures: 500s, latency, expiring sessions, and
submissions committed whose response never arrives (the ambiguous submit)."""

from __future__ import annotations

import pytest

from robots.engine.config import Retry
from robots.engine.flow import Timeouts
from tests.flows.conftest import run_job, write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import END_DATE, assert_exactly_once, results

FAULTS = "error_rate=0.1,latency_ms=100-1500,session_ttl_s=20,lost_response_rate=0.1"
# Waits long enough for the slowest answer (1.5 s) several times over; a lost response is
# given up on after `submit_ms`.
TIMEOUTS = Timeouts(element_ms=8_000, navigation_ms=10_000, submit_ms=5_000, attempt_ms=90_000)
RETRY = Retry(attempts=8, initial_s=0.2, max_s=2.0, jitter_s=0.2)


def run_under_faults(portal_factory, tmp_path, *, members: int, unlinks: int, seed: int,
                     workers: int = 2, timeout_s: float = 600, variant: str | None = None,
                     lost: str = "withhold", faults: str = FAULTS) -> None:
    portal = portal_factory(members=members, practitioners=max(unlinks, 1), variant=variant,
                            faults=f"{faults},lost_response_mode={lost},seed={seed}")
    disenroll = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(members),
                          defaults={"reason": "Member request"})
    unlink = write_job(tmp_path, "group_unlink", fb.GROUP, fb.unlink_records(unlinks, END_DATE))

    for job, out in ((disenroll, tmp_path / "disenroll"), (unlink, tmp_path / "unlink")):
        run_job(job, portal.url, out, workers=workers, timeouts=TIMEOUTS, retry=RETRY, breaker_threshold=40,
                timeout_s=timeout_s)

    transactions = portal.transactions()
    assert_exactly_once(results(tmp_path / "disenroll"), [t for t in transactions if t["kind"] == "disenrollment"])
    assert_exactly_once(results(tmp_path / "unlink"), [t for t in transactions if t["kind"] == "group_unlink"])
    # The faults did happen: some records needed more than one attempt.
    attempts = [row["attempts"] for row in results(tmp_path / "disenroll") + results(tmp_path / "unlink")]
    assert max(attempts) > 1


def test_every_record_done_exactly_once_under_all_faults_at_once(portal_factory, tmp_path, bot_credentials):
    run_under_faults(portal_factory, tmp_path, members=6, unlinks=2, seed=11)


def test_on_a_portal_that_updates_in_place_under_all_faults_and_cut_connections(portal_factory, tmp_path,
                                                                            bot_credentials):
    # The JSF/RichFaces mechanics: panels re-rendered in place after a delay, new ids each
    # time, 5xx answers to in-place requests; and Submits whose connection is cut. (Sessions
    # that expire as well, and slower answers, are the soak's: here they would take minutes.)
    run_under_faults(portal_factory, tmp_path, members=6, unlinks=2, seed=13, variant="ajax", lost="cut",
                     faults="error_rate=0.15,latency_ms=50-400,lost_response_rate=0.25")


@pytest.mark.soak
@pytest.mark.parametrize(("variant", "lost"), [(None, "withhold"), ("ajax", "withhold"), ("ajax", "cut")])
def test_soak_150_disenrollments_and_30_unlinks_under_all_faults(portal_factory, tmp_path, bot_credentials,
                                                                 variant, lost):
    # Every answer is 0.1-1.5 s late and a tenth never comes (or its connection is cut): four
    # workers wait side by side (10-20 minutes here, each).
    run_under_faults(portal_factory, tmp_path, members=150, unlinks=30, seed=12, workers=4, timeout_s=3600,
                     variant=variant, lost=lost)


def test_a_page_that_failed_is_never_taken_for_an_expired_session(portal_factory, tmp_path, bot_credentials):
    """Sessions never expire here. After a 500 the robot starts its menu walk again from the
    home page its login landed on, not from the portal's address (which shows the login panel
    even to a live session): no expiry reported, no needless login, each record once."""
    portal = portal_factory(members=6, practitioners=1, faults="error_rate=0.3,seed=5")
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(6),
                    defaults={"reason": "Member request"})
    out = tmp_path / "out"

    run_job(job, portal.url, out, workers=1, timeouts=TIMEOUTS, retry=RETRY, breaker_threshold=40)

    log = (out / "run.log").read_text()
    assert "HTTP 500" in log  # the faults did hit the run
    assert "session expired" not in log
    assert_exactly_once(results(out), [t for t in portal.transactions() if t["kind"] == "disenrollment"])



@pytest.mark.parametrize("mode", ["cut", "withhold"])
def test_a_submit_whose_connection_is_cut_or_whose_answer_never_comes_is_sent_once(
        portal_factory, tmp_path, bot_credentials, mode):
    # cut: the connection closes before any byte of the answer, and Chromium would send the
    # POST again by itself; withhold: no answer until the robot gives up. Either way the
    # robot's Submit reaches the portal once and the record is settled by reading the portal.
    portal = portal_factory(members=8, faults=f"lost_response_rate=0.5,lost_response_mode={mode},seed=11")
    job = write_job(tmp_path, "disenroll_one_care", fb.PLAN, fb.disenroll_records(8),
                    defaults={"reason": "Member request"})

    summary = run_job(job, portal.url, tmp_path / "out", workers=2, credentials=fb.credentials())

    assert summary.exit_code == 0, results(tmp_path / "out")
    assert_exactly_once(results(tmp_path / "out"), portal.transactions())
