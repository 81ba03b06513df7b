"""`python -m mock_portal`: the URL line once it accepts connections, one clear line and exit
2 for anything wrong at start, `--db` keeping the state across a restart."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from robots.engine.portal_process import PortalProcess
from tests.mock.conftest import disenroll
from tests.mock.portal_client import PortalClient


def run_portal(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A start that is expected to fail at once."""
    return subprocess.run([sys.executable, "-m", "mock_portal", *args], capture_output=True,
                          text=True, timeout=30, env=env)


def test_port_0_prints_one_url_line_once_connections_are_accepted():
    process = subprocess.Popen([sys.executable, "-m", "mock_portal", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"POSC mock portal: (http://127\.0\.0\.1:(\d+))\n", line)
        assert match and int(match.group(2)) > 0
        with urllib.request.urlopen(f"{match.group(1)}/_mock/health", timeout=5) as response:
            assert json.load(response) == {"ok": True}
    finally:
        process.terminate()
        assert process.wait(timeout=10) is not None
        process.stdout.close()
        process.stderr.close()


@pytest.mark.parametrize(("args", "says"), [
    (["--faults", "error_rate=2"], "bad --faults 'error_rate=2': error_rate must be between 0 and 1"),
    (["--faults", "nonsense"], "bad --faults 'nonsense': fault 'nonsense' must be NAME=VALUE"),
    (["--variant", "retro"], "argument --variant: invalid choice: 'retro'"),
    (["--login", "sso"], "argument --login: invalid choice: 'sso'"),
    (["--port", "70000"], "--port 70000 is not between 0 and 65535"),
    (["--fixture", "/no/such/fixture.yaml"], "/no/such/fixture.yaml: cannot read the fixture"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_start_exits_2_with_one_clear_line(args, says):
    finished = run_portal("--port", "0", *args)

    assert finished.returncode == 2
    assert finished.stdout == ""
    [line] = finished.stderr.splitlines()
    assert says in line and "Traceback" not in finished.stderr


def test_help_describes_the_login_modes():
    finished = run_portal("--help")

    assert finished.returncode == 0
    text = " ".join(finished.stdout.split())
    assert "--login {gateway,simple}" in text
    assert "gateway: the EOHHS Virtual Gateway's chain" in text
    assert "simple: the POSC's own User ID and Password panel" in text
    assert "(default: gateway)" in text


def test_bad_fixture_exits_2_naming_the_entry_and_field(tmp_path):
    fixture = tmp_path / "bad.yaml"
    fixture.write_text("users: []\nproviders: []\nmembers: [{member_id: '123', last_name: A,"
                       " first_name: B, one_care_plan: null}]\n")

    finished = run_portal("--port", "0", "--fixture", str(fixture))

    assert finished.returncode == 2
    assert finished.stderr.strip() == (
        f"python -m mock_portal: {fixture}: members[0].member_id: '123' must be 12 digits")


def test_a_db_file_that_is_not_the_portals_exits_2(tmp_path):
    db = tmp_path / "other.sqlite3"
    db.write_text("this is not a database, it is a text file" * 20)

    finished = run_portal("--port", "0", "--db", str(db))

    assert finished.returncode == 2 and "not a mock portal database" in finished.stderr


def test_db_keeps_the_state_across_a_restart(tmp_path):
    db = tmp_path / "portal.sqlite3"
    with PortalProcess(db=db) as portal:
        client = PortalClient.of(portal)
        client.login()
        assert disenroll(client, "100000000001", "RIVERA", "ANA").panels == [
            "Disenrollment Confirmation"]

    with PortalProcess(db=db) as portal:
        with urllib.request.urlopen(f"{portal.url}/_mock/transactions") as response:
            [sent] = json.load(response)
        client = PortalClient.of(portal)
        client.login()
        page = client.get("/EHSProviderPortal/ManageMembers_Enrollment_EnrollDisenrollOneCareMembers/MemberSearch.jsf")
        page = client.post(page.url, {"provider_id": "110000000A", "member_id": "100000000001",
                                      "last_name": "RIVERA", "first_name": "ANA"})

    assert sent["member_id"] == "100000000001"
    assert page.notices[0].startswith("A disenrollment for this member is pending")


def test_without_db_the_state_file_is_removed_at_exit(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "mock_portal", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout.readline().startswith("POSC mock portal: ")
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("posc-mock-")]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()

    assert not [p for p in tmp_path.iterdir() if p.name.startswith("posc-mock-")]
