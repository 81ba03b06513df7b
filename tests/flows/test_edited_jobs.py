"""The first week of an ops team: a job edited between runs into the same folder, records
retried on purpose, and a run folder whose report still tells the whole truth."""

from __future__ import annotations

import csv
import json

from tests.flows.conftest import results, run_job, write_job

PLAN = "110000000A"
RIVERA = {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"}
OBRIEN = {"member_id": "100000000002", "last_name": "O'BRIEN", "first_name": "SEAN"}
BAKER = {"member_id": "100000000009", "last_name": "BAKER", "first_name": "BARBARA"}
MISSPELT = {"member_id": "100000000003", "last_name": "SMITH-JONES", "first_name": "MARIE"}  # MARY
NOT_FOUND = {"member_id": "199999999999", "last_name": "NOBODY", "first_name": "NEMO"}


def job_of(tmp_path, records):
    return write_job(tmp_path, "disenroll_one_care", PLAN, records, defaults={"reason": "Member request"})


def submitted(portal) -> list[str]:
    return [t["member_id"] for t in portal.transactions()]


def test_a_done_record_removed_from_the_job_stays_in_the_report_marked_so(portal, tmp_path):
    run_job(job_of(tmp_path, [RIVERA, OBRIEN]), portal.url, tmp_path / "out")

    summary = run_job(job_of(tmp_path, [OBRIEN, BAKER]), portal.url, tmp_path / "out")

    rows = {row["key"]: row for row in results(tmp_path / "out")}
    assert [key for key in rows] == [OBRIEN["member_id"], BAKER["member_id"], RIVERA["member_id"]]
    gone = rows[RIVERA["member_id"]]
    assert gone["status"] == "done" and gone["in_job"] is False and gone["index"] is None
    assert (tmp_path / "out" / gone["screenshot"]).is_file()
    assert summary.totals == {"done": 2}  # the job's own records; the exit code is theirs
    report = (tmp_path / "out" / "report.html").read_text()
    assert "no longer in the job file" in report
    log = (tmp_path / "out" / "run.log").read_text()
    assert "the job's records changed since this folder's last run: 1 new; 1 no longer in the job file" in log
    assert sorted(submitted(portal)) == sorted(r["member_id"] for r in (RIVERA, OBRIEN, BAKER))


def test_a_corrected_rejected_record_is_tried_again_and_an_unchanged_one_stays_rejected(portal, tmp_path):
    run_job(job_of(tmp_path, [MISSPELT, NOT_FOUND]), portal.url, tmp_path / "out")
    assert [row["status"] for row in results(tmp_path / "out")] == ["rejected", "rejected"]

    corrected = {**MISSPELT, "first_name": "MARY"}
    run_job(job_of(tmp_path, [corrected, NOT_FOUND]), portal.url, tmp_path / "out")

    fixed, unchanged = results(tmp_path / "out")
    assert fixed["status"] == "done" and fixed["fields"]["first_name"] == "MARY"
    assert unchanged["status"] == "rejected" and unchanged["attempts"] == 1
    with (tmp_path / "out" / "results.csv").open(newline="") as handle:
        first_row = next(csv.DictReader(handle))
    assert first_row["first_name"] == "MARY"
    assert submitted(portal) == [MISSPELT["member_id"]]


def test_retry_reopens_chosen_rejected_records_and_never_a_done_one(portal, tmp_path):
    job = job_of(tmp_path, [RIVERA, NOT_FOUND])
    run_job(job, portal.url, tmp_path / "out")

    run_job(job, portal.url, tmp_path / "out", retry_records="2")

    rivera, nobody = results(tmp_path / "out")
    assert rivera["attempts"] == 1  # untouched
    assert nobody["status"] == "rejected" and nobody["attempts"] == 2
    assert submitted(portal) == [RIVERA["member_id"]]


def test_results_csv_reads_as_the_jobs_own_columns_then_what_the_portal_confirmed(portal, tmp_path):
    run_job(job_of(tmp_path, [RIVERA]), portal.url, tmp_path / "out")

    with (tmp_path / "out" / "results.csv").open(newline="") as handle:
        header, row = list(csv.reader(handle))

    assert header[:8] == ["#", "status", "message", "attempts", "member_id", "last_name", "first_name", "reason"]
    assert "confirmation effective_date" in header and "confirmation validated_by_mmis" in header
    named = dict(zip(header, row, strict=True))
    assert named["confirmation validated_by_mmis"] == "yes" and named["confirmation effective_date"]
    assert not any(cell.startswith("{") for cell in row)  # no JSON blobs


def test_the_report_shows_every_run_that_made_the_folder(portal, tmp_path):
    job = job_of(tmp_path, [RIVERA, NOT_FOUND])
    run_job(job, portal.url, tmp_path / "out", dry_run=True)
    run_job(job, portal.url, tmp_path / "out")

    runs = json.loads((tmp_path / "out" / "results.json").read_text())["runs"]
    assert [run["dry_run"] for run in runs] == [True, False]
    assert all(run["finished"] for run in runs)
    assert "2 runs made this folder" in (tmp_path / "out" / "report.html").read_text()
