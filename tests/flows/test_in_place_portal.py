"""The real POSC's mechanics (the mock's `ajax` release): panels re-rendered in place a while
after the click, new ids at every render, the list's paging swapping its rows in place. The
robot waits for each panel's new state, never for a page load or for the old state."""

from __future__ import annotations

import datetime as dt

import pytest

from flows import disenroll_one_care
from flows.login import log_in
from robots.engine.flow import FlowContext
from robots.engine.page_status import track
from robots.records import DisenrollRecord
from tests.conftest import open_gate
from tests.flows.conftest import in_chromium, results, run_job, write_job

FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()
CLINIC = "MAIN STREET CLINIC"


@pytest.fixture(scope="module")
def in_place(request):
    from tests.conftest import MockPortal

    with MockPortal(variant="ajax") as portal:
        yield portal


@pytest.fixture
def ajax_portal(in_place, credentials):
    in_place.reset()
    return in_place


def test_practitioners_on_pages_one_and_three_are_found_where_the_list_swaps_its_rows_in_place(
        ajax_portal, credentials, tmp_path):
    # On an in-place portal a robot that read the list too early rejected these two: the one on
    # page 1 as "listed 2 times", the one on page 3 as "not in the List of Servicing Providers".
    job = write_job(tmp_path, "group_unlink", "110000001A", [
        {"location": CLINIC, "practitioner": "ABBOTT, JANE", "end_date": FUTURE},
        {"location": CLINIC, "practitioner": "YOUNG, ROBERT", "end_date": FUTURE},
        {"location": CLINIC, "practitioner": "SMITH, JOHN", "npi": "1245319599", "end_date": FUTURE},
    ])

    run_job(job, ajax_portal.url, tmp_path / "out", credentials=credentials, workers=2)

    abbott, young, wrong_npi = results(tmp_path / "out")
    assert (abbott["status"], young["status"]) == ("done", "done"), (abbott["message"], young["message"])
    assert wrong_npi["status"] == "rejected" and "NPI mismatch" in wrong_npi["message"]
    assert sorted(t["practitioner"] for t in ajax_portal.transactions()) == ["ABBOTT, JANE", "YOUNG, ROBERT"]


def test_a_search_and_a_submit_answered_in_place_end_each_record_at_its_true_status(ajax_portal, credentials,
                                                                                    tmp_path):
    job = write_job(tmp_path, "disenroll_one_care", "110000000A", [
        {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA"},
        {"member_id": "199999999999", "last_name": "NOBODY", "first_name": "NEMO"},
        {"member_id": "100000000008", "last_name": "CHEN", "first_name": "WEI"},
    ], defaults={"reason": "Member request"})

    run_job(job, ajax_portal.url, tmp_path / "out", credentials=credentials, workers=1)

    assert [row["status"] for row in results(tmp_path / "out")] == ["done", "rejected", "already_done"]
    assert [t["member_id"] for t in ajax_portal.transactions()] == ["100000000001"]



def test_a_disenrollment_ends_on_member_search_ready_for_the_next_member(ajax_portal, credentials):
    # "Enroll/Disenroll Another Member" is answered in place by a redirect a while later: a
    # record that began before it came was cut short by it (a page load aborted, an attempt
    # lost: half the records of the in-place soak).
    async def scenario(page):
        track(page)
        await log_in(page, ajax_portal.url, credentials, gate=open_gate(credentials), timeout_ms=15_000)

        async def nowhere(panel, name=None):
            return None

        ctx = FlowContext(portal_url=ajax_portal.url, provider_id="110000000A", dry_run=False, verify_first=False,
                          mark_submitting=lambda: None, capture=nowhere)
        record = DisenrollRecord(member_id="100000000001", last_name="RIVERA", first_name="ANA",
                                 reason="Member request")
        result = await disenroll_one_care.perform(page, record, ctx)
        return result.status, await disenroll_one_care.member_search.shown(page)

    status, member_search_shown = in_chromium(scenario)

    assert status == "done"
    assert member_search_shown  # at once, when perform returns
