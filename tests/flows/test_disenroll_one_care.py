"""The One Care disenrollment flow, end to end: job file → robot → Chromium → mock portal."""

from __future__ import annotations

import calendar
import datetime as dt
import subprocess
import sys

from tests.flows.conftest import results, run_job, statuses, write_job

PLAN = "110000000A"  # Commonwealth Care Alliance One Care, the demo user's plan

VALID = [
    {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"},
    {"member_id": "100000000002", "last_name": "O'BRIEN", "first_name": "SEAN"},
    {"member_id": "100000000004", "last_name": "WASHINGTON JR", "first_name": "GEORGE"},
]
NOT_FOUND = {"member_id": "199999999999", "last_name": "NOBODY", "first_name": "NEMO"}
NAME_MISMATCH = {"member_id": "100000000003", "last_name": "SMITH", "first_name": "MARY"}
NOT_ONE_CARE = {"member_id": "100000000006", "last_name": "NGUYEN", "first_name": "THANH"}
OTHER_PLAN = {"member_id": "100000000007", "last_name": "MURPHY", "first_name": "KATE"}
PENDING = {"member_id": "100000000008", "last_name": "CHEN", "first_name": "WEI"}


def disenroll_job(tmp_path, records, **extra):
    return write_job(tmp_path, "disenroll_one_care", PLAN, records, defaults={"reason": "Member request"}, **extra)


def submitted_member_ids(portal) -> list[str]:
    return [t["member_id"] for t in portal.transactions() if t["kind"] == "disenrollment"]


def test_mixed_job_ends_each_record_at_its_true_status_and_submits_only_the_valid(portal, tmp_path):
    job = disenroll_job(tmp_path, [*VALID, NOT_FOUND, NAME_MISMATCH, NOT_ONE_CARE, OTHER_PLAN, PENDING])

    summary = run_job(job, portal.url, tmp_path / "out")

    assert statuses(tmp_path / "out") == {
        "100000000001": "done",
        "100000000002": "done",
        "100000000004": "done",
        "199999999999": "rejected",
        "100000000003": "rejected",
        "100000000006": "rejected",
        "100000000007": "rejected",
        "100000000008": "already_done",
    }
    assert sorted(submitted_member_ids(portal)) == ["100000000001", "100000000002", "100000000004"]
    assert summary.exit_code == 1  # rejections: not every record ended done


def test_rejections_carry_the_portals_own_message_and_a_screenshot_of_it(portal, tmp_path):
    job = disenroll_job(tmp_path, [NOT_FOUND, NAME_MISMATCH, NOT_ONE_CARE, OTHER_PLAN])

    run_job(job, portal.url, tmp_path / "out")

    rows = results(tmp_path / "out")
    for row in rows:  # the refusal as the portal showed it, each record its own file
        assert (tmp_path / "out" / row["screenshot"]).read_bytes().startswith(b"\x89PNG"), row["key"]
    assert len({row["screenshot"] for row in rows}) == len(rows)
    messages = {row["key"]: row["message"] for row in rows}
    assert messages["199999999999"] == "No member was found for the Member ID entered."
    assert "does not match our records" in messages["100000000003"]
    assert messages["100000000006"] == "The member is not currently enrolled in One Care."
    assert "enrolled in One Care with another plan" in messages["100000000007"]
    assert all(row["attempts"] == 1 for row in results(tmp_path / "out"))  # never retried


def test_done_record_has_confirmation_screenshot_and_effective_date(portal, tmp_path):
    job = disenroll_job(tmp_path, VALID[:1])

    summary = run_job(job, portal.url, tmp_path / "out")

    [row] = results(tmp_path / "out")
    today = dt.date.today()
    last_day = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    assert summary.exit_code == 0
    assert row["confirmation"]["validated_by_mmis"] is True
    assert row["confirmation"]["effective_date"] == last_day.strftime("%m/%d/%Y")
    screenshot = tmp_path / "out" / row["screenshot"]
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_duplicate_member_rows_are_refused_before_anything_is_submitted(portal, tmp_path):
    job = disenroll_job(tmp_path, [VALID[0], VALID[1], dict(VALID[0])])

    finished = subprocess.run(
        [sys.executable, "-m", "robots", "run", str(job), "--portal", portal.url, "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )

    assert finished.returncode == 2
    assert "record 3: field 'member_id': duplicate of record 1" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert portal.transactions() == []


def test_rerun_of_finished_job_submits_nothing(portal, tmp_path):
    job = disenroll_job(tmp_path, [*VALID, NOT_FOUND])
    run_job(job, portal.url, tmp_path / "out")
    first = results(tmp_path / "out")

    again = run_job(job, portal.url, tmp_path / "out")

    assert len(submitted_member_ids(portal)) == 3
    assert results(tmp_path / "out") == first
    assert again.exit_code == 1  # still the one rejection


def test_member_disenrolled_by_an_earlier_run_ends_already_done(portal, tmp_path):
    job = disenroll_job(tmp_path, VALID)
    run_job(job, portal.url, tmp_path / "first")

    second = run_job(job, portal.url, tmp_path / "second")  # another folder: no ledger to ask

    assert set(statuses(tmp_path / "second").values()) == {"already_done"}
    assert second.exit_code == 0
    assert len(submitted_member_ids(portal)) == 3
    assert all("pending" in row["message"] for row in results(tmp_path / "second"))


def test_dry_run_walks_to_the_reason_and_submits_nothing(portal, tmp_path):
    job = disenroll_job(tmp_path, VALID)

    summary = run_job(job, portal.url, tmp_path / "out", dry_run=True)

    assert set(statuses(tmp_path / "out").values()) == {"dry_run"}
    assert summary.exit_code == 1  # DESIGN.md: 0 only when every record is done or already done
    assert portal.transactions() == []
    real = run_job(job, portal.url, tmp_path / "out")  # the same folder, for real now
    assert set(statuses(tmp_path / "out").values()) == {"done"} and real.exit_code == 0


def test_one_and_four_workers_give_the_same_results(portal, tmp_path):
    members = [*VALID, NOT_FOUND, NOT_ONE_CARE, PENDING]
    one = run_job(disenroll_job(tmp_path, members), portal.url, tmp_path / "one", workers=1)
    by_one = statuses(tmp_path / "one")
    portal.reset()

    four = run_job(disenroll_job(tmp_path, members), portal.url, tmp_path / "four", workers=4)

    assert statuses(tmp_path / "four") == by_one
    assert [r["key"] for r in results(tmp_path / "four")] == [r["key"] for r in results(tmp_path / "one")]
    assert sorted(submitted_member_ids(portal)) == ["100000000001", "100000000002", "100000000004"]
    assert one.totals == four.totals


def test_job_for_a_plan_the_user_does_not_act_for_stops_without_submitting(portal, tmp_path):
    tufts_job = write_job(
        tmp_path, "disenroll_one_care", "110000005A", [OTHER_PLAN], defaults={"reason": "Member request"}
    )

    summary = run_job(tufts_job, portal.url, tmp_path / "out")

    assert "110000005A" in (summary.stopped or "")
    assert statuses(tmp_path / "out") == {"100000000007": "pending"}
    assert portal.transactions() == []


def test_a_reason_the_dropdown_does_not_offer_is_that_records_refusal_and_the_run_goes_on(portal, tmp_path):
    job = write_job(tmp_path, "disenroll_one_care", PLAN, [{**VALID[0], "reason": "Bored"}, VALID[1]],
                    defaults={"reason": "Member request"})

    summary = run_job(job, portal.url, tmp_path / "out", workers=1)

    assert summary.stopped is None
    first, second = results(tmp_path / "out")
    assert first["status"] == "rejected"
    assert "offers no 'Bored'" in first["message"] and "Member request" in first["message"]
    assert second["status"] == "done"
    assert submitted_member_ids(portal) == [VALID[1]["member_id"]]
