"""Reports are formatting of the ledger's entries, in job order."""

from __future__ import annotations

import csv
import json
import stat
from xml.etree import ElementTree

from robots.ledger.base import Entry, RecordState
from robots.reports.files import write_all
from robots.reports.rows import RunInfo

INFO = RunInfo(job="November", kind="disenroll_one_care", provider_id="110000000A", portal="http://127.0.0.1:1",
               started="2026-11-26T10:00:00", finished="2026-11-26T10:05:00", dry_run=False)


def entry(seq, key, state, message="", screenshot=None, confirmation=None):
    return Entry(key=key, seq=seq, state=state, attempts=1, submit_started=False, message=message,
                 confirmation=confirmation, screenshot=screenshot, trace=None, fields={"member_id": key},
                 started_at=None, finished_at=None)


ENTRIES = [
    entry(1, "100000000001", RecordState.DONE, "validated", None, {"effective_date": "11/30/2026"}),
    entry(2, "100000000002", RecordState.REJECTED, "No member was found for the Member ID entered."),
    entry(3, "100000000003", RecordState.FAILED, "timed out"),
    entry(4, "100000000004", RecordState.SUBMITTING),
]


def test_results_json_has_one_entry_per_record_in_job_order_with_the_contract_fields(tmp_path):
    write_all(tmp_path, INFO, ENTRIES)

    data = json.loads((tmp_path / "results.json").read_text())
    assert [r["key"] for r in data["records"]] == [e.key for e in ENTRIES]
    assert [r["status"] for r in data["records"]] == ["done", "rejected", "failed", "pending"]
    for row in data["records"]:
        assert {"key", "status", "message", "attempts", "screenshot", "confirmation"} <= row.keys()
    assert {"job", "started", "finished", "records"} <= data.keys()


def test_results_csv_carries_status_message_and_the_records_fields(tmp_path):
    write_all(tmp_path, INFO, ENTRIES)

    rows = list(csv.DictReader((tmp_path / "results.csv").open()))
    assert rows[1]["status"] == "rejected"
    assert rows[1]["message"].startswith("No member was found")
    assert rows[0]["member_id"] == "100000000001"


def test_junit_marks_rejections_as_failures_and_system_failures_as_errors(tmp_path):
    write_all(tmp_path, INFO, ENTRIES)

    suite = ElementTree.parse(tmp_path / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert cases[1].find("failure").get("type") == "rejected"
    assert cases[2].find("error") is not None


def test_html_report_is_self_contained_with_a_filter_per_status(tmp_path):
    report = write_all(tmp_path, INFO, ENTRIES)

    page = report.read_text()
    assert 'data-status="rejected"' in page and 'data-status="failed"' in page
    assert "<script src" not in page and "<link" not in page


def test_reports_are_owner_only(tmp_path):
    write_all(tmp_path, INFO, ENTRIES)

    for name in ("results.json", "results.csv", "junit.xml", "report.html"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
