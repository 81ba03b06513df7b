"""Did MassHealth act on it? `posc reconcile RUN_DIR FILE.834...` against the 834 the mock
produces from its own transactions, and against files made with late, missing and foreign
terminations or broken on purpose."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.request

from mock_portal.x12_834 import Termination, build_834
from tests.flows.conftest import run_job, write_job

PLAN = "110000000A"
MEMBERS = [
    {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"},
    {"member_id": "100000000002", "last_name": "O'BRIEN", "first_name": "SEAN"},
    {"member_id": "100000000004", "last_name": "WASHINGTON JR", "first_name": "GEORGE"},
]


def posc(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "robots", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def disenrolled(portal, tmp_path):
    out = tmp_path / "out"
    run_job(write_job(tmp_path, "disenroll_one_care", PLAN, MEMBERS, defaults={"reason": "Member request"}),
            portal.url, out)
    return out


def month_end() -> dt.date:
    today = dt.date.today()
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def test_every_done_disenrollment_is_confirmed_by_the_portals_834(portal, tmp_path):
    out = disenrolled(portal, tmp_path)
    month = f"{dt.date.today():%Y-%m}"
    file = tmp_path / "plan.834"
    file.write_bytes(urllib.request.urlopen(f"{portal.url}/_mock/834?plan={PLAN}&month={month}", timeout=10).read())

    finished = posc("reconcile", out, file)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    document = json.loads((out / "reconciliation.json").read_text())
    assert document["totals"] == {"confirmed": 3}
    assert "834 reconciliation" in (out / "report.html").read_text()
    assert posc("verify", out).returncode == 0  # the packet's manifest covers what was added
    assert "100000000001" not in finished.stdout  # member IDs masked on the console


def test_late_missing_and_foreign_terminations_are_each_named(portal, tmp_path):
    out = disenrolled(portal, tmp_path)
    end = month_end()
    later = end + dt.timedelta(days=31)
    file = tmp_path / "made.834"
    file.write_text(build_834(PLAN, "COMMONWEALTH CARE ALLIANCE ONE CARE", [
        Termination("100000000001", "RIVERA", "ANA", end),  # confirmed
        Termination("100000000002", "O'BRIEN", "SEAN", later),  # another date
        Termination("100000000099", "STRANGER", "SAM", end),  # no run asked for it
    ], control_number=1, created=dt.date.today()))  # 100000000004 is missing: not in the file yet

    finished = posc("reconcile", out, file)

    assert finished.returncode == 1
    statuses = {r["member_id"]: r["status"] for r in json.loads((out / "reconciliation.json").read_text())["records"]}
    assert statuses == {"100000000001": "confirmed", "100000000002": "date differs",
                        "100000000004": "not in the file yet", "100000000099": "not ours"}
    assert "date differs" in (out / "reconciliation.csv").read_text()


def test_a_truncated_or_foreign_834_is_refused_naming_what_is_wrong_and_changes_nothing(portal, tmp_path):
    out = disenrolled(portal, tmp_path)
    results_before = (out / "results.json").read_bytes()
    good = build_834(PLAN, "CCA", [Termination("100000000001", "RIVERA", "ANA", month_end())], control_number=2,
                     created=dt.date.today())
    truncated = tmp_path / "truncated.834"
    truncated.write_text(good[: good.index("SE*")])
    broken = tmp_path / "broken.834"
    broken.write_text(good.replace("INS*Y*18*024*07*A~", "INS*Y*18~").replace("INS*Y*18*024*14*A~", "INS*Y*18~"))
    other_plan = tmp_path / "other.834"
    other_plan.write_text(good.replace(PLAN, "110000005A"))  # the Tufts plan's file

    for file, says in ((truncated, "missing"), (broken, "INS segment"), (other_plan, "for plan 110000005A")):
        finished = posc("reconcile", out, file)
        assert finished.returncode == 2, (file, finished.stdout, finished.stderr)
        assert str(file) in finished.stderr and says in finished.stderr
    assert (out / "results.json").read_bytes() == results_before
    assert not (out / "reconciliation.json").exists()
