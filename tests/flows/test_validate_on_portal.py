"""`posc validate --portal URL`: the job checked against the portal's own lists before a run,
with nothing chosen and nothing submitted."""

from __future__ import annotations

import subprocess
import sys

from tests.flows.conftest import write_job

PLAN = "110000000A"
RIVERA = {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"}
OBRIEN = {"member_id": "100000000002", "last_name": "O'BRIEN", "first_name": "SEAN"}


def validate(job, portal_url):
    return subprocess.run([sys.executable, "-m", "robots", "validate", str(job), "--portal", portal_url],
                          capture_output=True, text=True, timeout=180)


def test_a_reason_the_portal_does_not_offer_is_named_before_any_run(portal, tmp_path):
    job = write_job(tmp_path, "disenroll_one_care", PLAN, [RIVERA, {**OBRIEN, "reason": "Bored"}],
                    defaults={"reason": "Member request"})

    finished = validate(job, portal.url)

    assert finished.returncode == 2
    assert "record 2: field 'reason': the portal's list offers no 'Bored'; it offers: Member request" in finished.stderr
    assert portal.transactions() == []


def test_validate_says_what_it_checked_on_the_portal(portal, tmp_path):
    job = write_job(tmp_path, "disenroll_one_care", PLAN, [RIVERA, OBRIEN], defaults={"reason": "member REQUEST"})

    finished = validate(job, portal.url)

    assert finished.returncode == 0, finished.stderr
    assert f"checked against {portal.url}: the reason list offers 8 (every record's is offered)" in finished.stdout
    assert portal.transactions() == []
