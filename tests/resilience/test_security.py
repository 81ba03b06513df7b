"""What a run leaves behind: no password anywhere, no unmasked PHI on the console, and a run
folder only its owner can read."""

from __future__ import annotations

import stat

import pytest

from tests.flows.conftest import write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import END_DATE, run_robot

REJECTED_MEMBER = {"member_id": "399999999999", "last_name": "ZELLWEGER", "first_name": "QUINCY"}


@pytest.fixture
def finished_run(portal_factory, bot_credentials, tmp_path_factory):
    """A finished run of each kind, with done and rejected records."""
    portal = portal_factory(members=3, practitioners=2)
    folder = tmp_path_factory.mktemp("security")
    disenroll = write_job(folder, "disenroll_one_care", fb.PLAN, [*fb.disenroll_records(3), REJECTED_MEMBER],
                          defaults={"reason": "Member request"})
    unlink = write_job(folder, "group_unlink", fb.GROUP, fb.unlink_records(2, END_DATE))
    outputs = [
        run_robot(disenroll, portal.url, folder / "disenroll"),
        run_robot(unlink, portal.url, folder / "unlink"),
    ]
    return folder, outputs


def every_file(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_the_password_is_in_no_file_of_the_run_and_not_on_the_console(finished_run):
    folder, outputs = finished_run
    secret = fb.PASSWORD.encode()
    leaked = [path for path in every_file(folder / "disenroll") + every_file(folder / "unlink")
              if secret in path.read_bytes()]
    assert leaked == []
    for finished in outputs:
        assert fb.PASSWORD not in finished.stdout + finished.stderr


def test_member_ids_and_names_reach_the_console_only_masked(finished_run):
    _, outputs = finished_run
    console = outputs[0].stdout + outputs[0].stderr
    members = [*fb.disenroll_records(3), REJECTED_MEMBER]
    for member in members:
        assert member["member_id"] not in console
        assert member["member_id"][-4:] in console  # masked, yet each record is recognisable
    assert "ZELLWEGER" not in console and "QUINCY" not in console
    log = (finished_run[0] / "disenroll" / "run.log").read_text()
    assert all(m["member_id"] not in log for m in members)
    assert "ZELLWEGER" not in log


def test_run_folders_and_every_file_in_them_are_owner_only(finished_run):
    folder, _ = finished_run
    for run in (folder / "disenroll", folder / "unlink"):
        for path in [run, *run.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
