"""`posc follow-up RUN_DIR`: did MassHealth process the unlinks the portal accepted? Each done
unlink's request on Inquire Profile Update Status, as the mock's clock moves it on."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.request

from tests.flows.conftest import run_job, write_job

GROUP = "110000001A"
FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()
UNLINKS = [
    {"location": "MAIN STREET CLINIC", "practitioner": "ABBOTT, JANE", "end_date": FUTURE},
    {"location": "MAIN STREET CLINIC", "practitioner": "SMITH, JOHN", "npi": "1234567893", "end_date": FUTURE},
]


def follow_up(out, portal):
    return subprocess.run([sys.executable, "-m", "robots", "follow-up", str(out), "--portal", portal.url],
                          capture_output=True, text=True, timeout=180)


def advance(portal, days: int) -> None:
    request = urllib.request.Request(f"{portal.url}/_mock/advance?days={days}", method="POST", data=b"")
    urllib.request.urlopen(request, timeout=10).close()


def test_each_request_is_followed_until_processed_and_each_change_is_kept(portal, tmp_path):
    out = tmp_path / "out"
    run_job(write_job(tmp_path, "group_unlink", GROUP, UNLINKS), portal.url, out)

    first = follow_up(out, portal)
    advance(portal, 1)
    second = follow_up(out, portal)
    advance(portal, 14)
    third = follow_up(out, portal)

    assert first.returncode == 1 and "first seen -> Submitted" in first.stdout
    assert second.returncode == 1 and "Submitted -> In Process" in second.stdout
    assert third.returncode == 0, third.stdout + third.stderr
    assert "In Process -> Processed" in third.stdout
    document = json.loads((out / "follow-up.json").read_text())
    assert [[h["status"] for h in item["history"]] for item in document["requests"]] == [
        ["Submitted", "In Process", "Processed"]] * 2
    assert (out / document["screenshot"]).is_file()
    assert "Unlink requests: follow-up" in (out / "report.html").read_text()
    verified = subprocess.run([sys.executable, "-m", "robots", "verify", str(out)], capture_output=True, text=True,
                              timeout=60)
    assert verified.returncode == 0, verified.stdout
