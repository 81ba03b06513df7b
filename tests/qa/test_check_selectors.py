"""`posc check-selectors` against the bundled mock and against a portal that is not the mock."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from robots import cli
from tests.qa.conftest import FAST, run_check

EVERY_PANEL = [
    "Virtual Gateway", "Log In", "Multifactor Authentication", "My Applications",
    "Member Search", "Disenrollment", "Disenrollment Confirmation", "List of Providers", "Steps",
    "List of Locations", "List of Servicing Providers", "Service Provider Detail", "Agreement", "Processing",
]


def test_on_the_bundled_mock_every_key_of_every_panel_is_found_and_scanned(tmp_path, monkeypatch):
    monkeypatch.delenv("POSC_USER", raising=False)  # the bundled mock's demo user
    monkeypatch.delenv("POSC_PASSWORD", raising=False)

    run = run_check(None, tmp_path / "out", settings=dataclasses.replace(FAST, accessibility=True))

    assert run.exit_code == 0, run.console
    assert run.report["mock"] is True and run.report["ok"] is True
    assert [p["name"] for p in run.report["panels"]] == EVERY_PANEL
    assert all(p["status"] == "visited" for p in run.report["panels"])
    results = {(p["name"], c["key"]): c["status"] for p in run.report["panels"] for c in p["controls"]}
    assert results.pop(("Disenrollment", "pending_notice")) == "optional_absent"
    assert results.pop(("Log In", "to_login")) == "optional_absent"  # the mock has no start page
    assert results[("Disenrollment", "reason option 'Member request'")] == "found"
    assert set(results.values()) == {"found"}
    for panel in run.report["panels"]:  # information only: counted, never a failure
        scan = panel["accessibility"]
        assert scan["violations"] == sum(scan["by_impact"].values()) == len(scan["rules"]), panel["name"]
    assert "Accessibility (axe-core; information only" in run.console
    assert not list(run.out_dir.glob("screenshots/*.png"))
    suite = ET.parse(run.out_dir / "selectors.junit.xml").getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == sum(len(p["controls"]) for p in run.report["panels"])
    assert (suite.get("failures"), suite.get("skipped")) == ("0", "2")  # the optional pending notice, to_login
    assert "Member Search / last_name" in {case.get("name") for case in cases}
    assert "OK —" in run.console


def test_elsewhere_nothing_is_submitted_and_the_confirmations_are_not_visited(mock_portal, not_the_mock, tmp_path,
                                                                             demo_user):
    run = run_check(not_the_mock, tmp_path / "out")

    assert run.exit_code == 0, run.console
    assert run.report["mock"] is False
    for name in ("Disenrollment Confirmation", "Processing"):
        assert run.panel(name)["status"] == "not_visited"
        assert run.panel(name)["detail"] == "would change the portal's state"
    assert run.panel("Agreement")["status"] == "visited"  # as a dry run: its Submit files the request
    assert mock_portal.transactions() == []
    assert "nothing is submitted" in run.console


def test_a_refused_login_leaves_every_panel_not_reached_and_fails(mock_portal, tmp_path, monkeypatch):
    monkeypatch.setenv("POSC_USER", "posc.demo@example.org")
    monkeypatch.setenv("POSC_PASSWORD", "not-the-password")

    run = run_check(mock_portal.url, tmp_path / "out")

    assert run.exit_code == 1
    assert run.panel("Virtual Gateway")["status"] == run.panel("Log In")["status"] == "visited"
    reached = {p["name"]: p["status"] for p in run.report["panels"][2:]}
    assert set(reached.values()) == {"not_reached"}
    assert "refused the login" in run.panel("Member Search")["detail"]
    # The page where the walk stopped, shown with the first panel it did not reach.
    assert (run.out_dir / run.panel("Multifactor Authentication")["screenshot"]).is_file()
    assert mock_portal.transactions() == []


def test_a_portal_off_loopback_needs_live_and_is_a_usage_error(tmp_path, capsys):
    code = cli.main(["check-selectors", "--portal", "https://posc.example.org", "--out", str(tmp_path / "out")])

    assert code == 2
    assert "--live" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_live_without_a_yes_at_a_terminal_checks_nothing(tmp_path, capsys):
    code = cli.main(["check-selectors", "--portal", "https://posc.example.org", "--live", "--rpa-registration", "RPA-7",
                     "--out", str(tmp_path / "out")])

    assert code == 2
    assert "not confirmed" in capsys.readouterr().err


def test_live_needs_the_bots_registration(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("POSC_RPA_REGISTRATION", raising=False)
    code = cli.main(["check-selectors", "--portal", "https://posc.example.org", "--live",
                     "--out", str(tmp_path / "out")])

    assert code == 2
    assert "RPA registration" in capsys.readouterr().err


def test_a_bad_data_file_is_a_usage_error_naming_the_field(tmp_path, capsys):
    data = tmp_path / "data.yaml"
    data.write_text("disenroll:\n  plan_provider_id: '110000000A'\n  reason: Death\n"
                    "  member: {member_id: '123', last_name: RIVERA, first_name: ANA}\n")

    code = cli.main(["check-selectors", "--data", str(data), "--out", str(tmp_path / "out")])

    assert code == 2
    error = capsys.readouterr().err
    assert str(data) in error and "disenroll.member.member_id" in error and "12 digits" in error
