"""The portal's other releases. Restyled (other ids, classes and layout; the same texts, roles
and labels): the robot and check-selectors work unchanged. Drifted (a label, a title and a
button renamed, a reason removed): check-selectors and the portal suite name each drift, and
the robot stops instead of acting wrongly."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from robots.engine.flow import Timeouts
from tests.conftest import credentials_env
from tests.flows.conftest import results, run_job, statuses, write_job
from tests.qa.conftest import FAST, run_check

ROOT = Path(__file__).resolve().parents[2]
PLAN, GROUP = "110000000A", "110000001A"
MEMBERS = [
    {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"},
    {"member_id": "100000000002", "last_name": "O'BRIEN", "first_name": "SEAN"},
]
# A control the panel lacks is waited for this long once its panel has arrived.
SHORT = Timeouts(element_ms=1_500, navigation_ms=5_000, submit_ms=6_000)
UNLINK = {"location": "MAIN STREET CLINIC", "practitioner": "SMITH, JOHN", "npi": "1234567893",
          "end_date": "2099-12-31"}


def disenroll_job(folder: Path) -> Path:
    return write_job(folder, "disenroll_one_care", PLAN, MEMBERS, defaults={"reason": "Member request"})


def test_restyled_the_robot_disenrolls_and_unlinks_unchanged(restyled, tmp_path, demo_user):
    restyled.reset()

    disenrolled = run_job(disenroll_job(tmp_path), restyled.url, tmp_path / "disenroll")
    unlinked = run_job(write_job(tmp_path, "group_unlink", GROUP, [UNLINK]), restyled.url, tmp_path / "unlink")

    assert disenrolled.exit_code == unlinked.exit_code == 0
    assert set(statuses(tmp_path / "disenroll").values()) == set(statuses(tmp_path / "unlink").values()) == {"done"}
    sent = restyled.transactions()
    assert sorted(t["member_id"] for t in sent if t["kind"] == "disenrollment") == ["100000000001", "100000000002"]
    assert [(t["practitioner"], t["end_date"]) for t in sent if t["kind"] == "group_unlink"] == [
        ("SMITH, JOHN", "2099-12-31")]


def test_restyled_check_selectors_finds_every_key_submitting_one_of_each(restyled, tmp_path, demo_user):
    restyled.reset()

    run = run_check(restyled.url, tmp_path / "out")

    assert run.exit_code == 0, run.console
    assert run.report["failures"] == []
    assert all(p["status"] == "visited" for p in run.report["panels"])
    # On a mock, one member is disenrolled and one unlink submitted, to reach their last panels.
    assert [(t["kind"], t.get("member_id") or t.get("practitioner")) for t in restyled.transactions()] == [
        ("disenrollment", "100000000001"), ("group_unlink", "SMITH, JOHN")]


def test_in_place_check_selectors_finds_every_key_submitting_one_of_each(in_place, tmp_path, demo_user):
    in_place.reset()

    run = run_check(in_place.url, tmp_path / "out")

    assert run.exit_code == 0, run.console
    assert run.report["failures"] == []
    assert all(p["status"] == "visited" for p in run.report["panels"])


def test_in_place_the_portal_suite_passes_unchanged(in_place, tmp_path, credentials):
    in_place.reset()
    env = {**os.environ, **credentials_env(credentials)}

    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/portal", "--base-url", in_place.url, "-p", "no:cacheprovider", "-q",
         "--output", str(tmp_path / "results")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )

    assert finished.returncode == 0, finished.stdout[-4000:]
    assert " passed" in finished.stdout


def test_drifted_check_selectors_names_each_drift_by_panel_and_key(drifted, tmp_path, demo_user):
    drifted.reset()

    run = run_check(drifted.url, tmp_path / "out", settings=dataclasses.replace(FAST, timeouts=SHORT))

    assert run.exit_code == 1
    assert run.failures() == {
        ("Member Search", "last_name", "missing"),
        ("Disenrollment", "title", "missing"),
        ("Disenrollment", "reason option 'Member request'", "missing"),
        ("Service Provider Detail", "update", "missing"),
        # the Date Detail cannot be saved without its Update button: what lies beyond is unchecked
        ("Agreement", None, "not_reached"),
        ("Processing", None, "not_reached"),
    }
    details = {(f["panel"], f["key"]): f["detail"] for f in run.report["failures"]}
    assert "'Member Last Name' stood in" in details[("Member Search", "last_name")]
    assert "'Disenroll Member'" in details[("Disenrollment", "title")]
    assert "'Save'" in details[("Service Provider Detail", "update")]
    assert "control 'update' not found" in details[("Agreement", None)]
    for name in ("Member Search", "Disenrollment", "Service Provider Detail"):
        assert (run.out_dir / run.panel(name)["screenshot"]).is_file(), name
    # Past the drifts, the rest of each panel was still checked.
    assert run.panel("Disenrollment Confirmation")["status"] == "visited"
    assert run.panel("List of Servicing Providers")["controls"] and not any(
        c["status"] == "missing" for c in run.panel("List of Servicing Providers")["controls"])
    assert "MISSING (0)" in run.console and "Member Search" in run.console


def test_drifted_the_robot_stops_naming_member_search_last_name_and_submits_nothing(drifted, tmp_path, demo_user):
    drifted.reset()

    summary = run_job(disenroll_job(tmp_path), drifted.url, tmp_path / "out", workers=1, timeouts=SHORT)

    assert summary.exit_code == 1
    assert summary.stopped is not None and "Member Search" in summary.stopped and "'last_name'" in summary.stopped
    assert "done" not in statuses(tmp_path / "out").values()
    [first, second] = results(tmp_path / "out")
    assert first["status"] == "failed"
    assert "panel 'Member Search': control 'last_name' not found" in first["message"]
    assert "labels shown:" in first["message"] and "'Member Last Name'" in first["message"]  # what shows instead
    assert second["status"] == "pending"  # the run stopped: the portal changed
    assert drifted.transactions() == []


# One test of the portal suite per drift, and one the drifts leave alone.
SUITE_TESTS = {
    "test_steps_5_to_8_member_search_fields_and_required_marks": "Last Name",
    "test_step_8_a_current_member_opens_the_disenrollment_panel": "Disenrollment",
    "test_step_9_the_reasons_the_jobs_name_are_offered": "Member request",
    "test_step_8_service_provider_detail_and_date_detail": "Update",
    "test_step_6_list_of_locations": None,
}


def test_drifted_the_portal_suite_fails_the_test_of_each_drift(drifted, tmp_path, credentials):
    drifted.reset()
    report = tmp_path / "suite.xml"
    env = {**os.environ, "POSC_QA_TIMEOUT_MS": "3000", **credentials_env(credentials)}

    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/portal", "--base-url", drifted.url, "-k", " or ".join(SUITE_TESTS),
         "-p", "no:cacheprovider", "-q", "--junitxml", str(report), "--output", str(tmp_path / "results")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )

    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        failure = case.find("failure")
        outcomes[case.get("name").split("[")[0]] = None if failure is None else failure.get("message", "") + (
            failure.text or "")
    assert set(outcomes) == set(SUITE_TESTS), finished.stdout[-2000:]
    for test, drift in SUITE_TESTS.items():
        if drift is None:
            assert outcomes[test] is None, f"{test} should pass on drifted: {outcomes[test]}"
        else:
            assert outcomes[test] is not None, f"{test} passed on drifted"
            assert drift in outcomes[test], f"{test} fails without naming {drift!r}: {outcomes[test][:500]}"
    assert finished.returncode == 1


def test_drifted_update_fails_only_the_date_details_test_naming_what_shows_instead(drifted, tmp_path, credentials):
    drifted.reset()
    report = tmp_path / "suite.xml"
    env = {**os.environ, "POSC_QA_TIMEOUT_MS": "3000", **credentials_env(credentials)}

    subprocess.run(
        [sys.executable, "-m", "pytest", "tests/portal/test_job_aid_group_unlink.py", "--base-url", drifted.url,
         "-p", "no:cacheprovider", "-q", "--junitxml", str(report), "--output", str(tmp_path / "results")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )

    failed = {case.get("name").split("[")[0]: case.find("failure").get("message", "")
              for case in ET.parse(report).getroot().iter("testcase") if case.find("failure") is not None}
    assert list(failed) == ["test_step_8_service_provider_detail_and_date_detail"]
    message = failed["test_step_8_service_provider_detail_and_date_detail"]
    assert "'Update' button is not shown" in message and "'Save'" in message
