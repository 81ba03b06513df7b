"""The group-practice unlink flow, end to end: job file → robot → Chromium → mock portal."""

from __future__ import annotations

import datetime as dt
import json

from flows import group_unlink, servicing_list
from flows.login import log_in
from robots.engine.flow import FlowContext
from robots.engine.page_status import track
from robots.errors import SessionExpired
from robots.records import UnlinkRecord
from tests.conftest import fast_mfa_default_fixture, open_gate
from tests.flows.conftest import in_chromium, results, run_job, statuses, write_job

GROUP = "110000001A"  # Bay State Family Medicine Group
CLINIC = "MAIN STREET CLINIC"
FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()

SMITH = {"location": CLINIC, "practitioner": "SMITH, JOHN", "npi": "1234567893", "end_date": FUTURE}
ABBOTT = {"location": CLINIC, "practitioner": "ABBOTT, JANE", "end_date": FUTURE}  # page 1
YOUNG = {"location": CLINIC, "practitioner": "YOUNG, ROBERT", "end_date": FUTURE}  # page 3


def unlinks(portal) -> list[tuple[str, str]]:
    return [(t["location"], t["practitioner"]) for t in portal.transactions() if t["kind"] == "group_unlink"]


def test_practitioners_on_pages_one_and_three_are_each_unlinked_once(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", GROUP, [ABBOTT, YOUNG, SMITH])

    summary = run_job(job, portal.url, tmp_path / "out")

    assert set(statuses(tmp_path / "out").values()) == {"done"}
    assert sorted(unlinks(portal)) == [(CLINIC, "ABBOTT, JANE"), (CLINIC, "SMITH, JOHN"), (CLINIC, "YOUNG, ROBERT")]
    wanted = dt.date.fromisoformat(FUTURE).isoformat()
    assert {t["end_date"] for t in portal.transactions()} == {wanted}
    assert summary.exit_code == 0
    for row in results(tmp_path / "out"):
        assert row["confirmation"]["panel"] == "Processing"
        assert row["confirmation"]["request_id"]
        assert (tmp_path / "out" / row["screenshot"]).is_file()
        [asked] = row["evidence"]  # the detail with the end date entered, before Update
        assert asked.endswith("-asked.png") and (tmp_path / "out" / asked).is_file()


def test_the_agreement_is_certified_once_by_the_person_the_job_names_with_the_text_it_showed(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", GROUP, [ABBOTT, SMITH])

    run_job(job, portal.url, tmp_path / "out", workers=2)

    [certified] = json.loads((tmp_path / "out" / "results.json").read_text())["certification"]
    assert (certified["name"], certified["title"], certified["how"]) == ("Dana Whitfield", "Practice Manager",
                                                                        "--certify")
    # The statement as the panel shows it, without the panel's title and its buttons.
    assert certified["text"].startswith("All update requests submitted via the POSC require a certification")
    assert "I certify under the pains and penalties of perjury" in certified["text"]
    assert certified["text"].endswith("any material fact contained herein. I agree")
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Agreement certified" in report and "Dana Whitfield" in report


def test_npi_that_does_not_match_the_detail_is_rejected_before_anything_changes(portal, tmp_path):
    wrong_npi = {**SMITH, "npi": "1245319599"}
    job = write_job(tmp_path, "group_unlink", GROUP, [wrong_npi])

    run_job(job, portal.url, tmp_path / "out")

    [row] = results(tmp_path / "out")
    assert row["status"] == "rejected"
    assert "NPI mismatch" in row["message"] and "1234567893" in row["message"]
    assert portal.transactions() == []


def test_an_end_date_the_portal_refuses_is_rejected_with_its_own_message(start_portal, credentials, tmp_path):
    # The portal's day is a month ahead of the robot's: an end date between the two passes the
    # robot's check (not before today) and the portal refuses it (before its today).
    ahead = dt.date.today() + dt.timedelta(days=30)
    fixture = tmp_path / "ahead.yaml"
    fixture.write_text(f"today: {ahead.isoformat()}\n" + fast_mfa_default_fixture().read_text())
    portal = start_portal(fixture=fixture)
    between = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    job = write_job(tmp_path, "group_unlink", GROUP, [{**ABBOTT, "end_date": between}])

    run_job(job, portal.url, tmp_path / "out", credentials=credentials)

    [row] = results(tmp_path / "out")
    assert row["status"] == "rejected"
    assert "End Date cannot be before" in row["message"]
    assert row["attempts"] == 1
    assert portal.transactions() == []


def test_practitioner_not_listed_at_the_location_is_rejected(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", GROUP, [{**ABBOTT, "practitioner": "NOBODY, NEMO"}])

    run_job(job, portal.url, tmp_path / "out")

    assert statuses(tmp_path / "out") == {f"{CLINIC} / NOBODY, NEMO": "rejected"}


def test_unlink_requested_by_an_earlier_run_ends_already_done(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", GROUP, [SMITH, YOUNG])
    run_job(job, portal.url, tmp_path / "first")

    second = run_job(job, portal.url, tmp_path / "second")

    assert set(statuses(tmp_path / "second").values()) == {"already_done"}
    assert second.exit_code == 0
    assert len(unlinks(portal)) == 2


def test_dry_run_stops_at_the_agreement_and_leaves_nothing_behind(portal, tmp_path):
    job = write_job(tmp_path, "group_unlink", GROUP, [ABBOTT, SMITH])

    run_job(job, portal.url, tmp_path / "out", dry_run=True)
    assert set(statuses(tmp_path / "out").values()) == {"dry_run"}
    assert portal.transactions() == []

    run_job(job, portal.url, tmp_path / "out")  # for real: each record's own change only
    assert sorted(unlinks(portal)) == [(CLINIC, "ABBOTT, JANE"), (CLINIC, "SMITH, JOHN")]


def test_provider_the_portal_cannot_update_is_refused_with_its_message(portal, tmp_path):
    ltss = "110000002A"  # Commonwealth Home Care Services, an LTSS provider
    job = write_job(tmp_path, "group_unlink", ltss, [ABBOTT])

    run_job(job, portal.url, tmp_path / "out")

    [row] = results(tmp_path / "out")
    assert row["status"] == "rejected"
    assert "Long-Term Services and Supports" in row["message"]
    assert portal.transactions() == []


def _on_the_list_of_servicing_providers(portal, credentials, then):
    """Logs in and walks steps 1-7 to the first page of MAIN STREET CLINIC's List of Servicing
    Providers (a real Chromium on the real mock), then returns `await then(page, context, ctx,
    reopen)`."""

    async def scenario(page):
        track(page)
        await log_in(page, portal.url, credentials, gate=open_gate(credentials), timeout_ms=15_000)
        ctx = FlowContext(portal_url=portal.url, provider_id=GROUP, dry_run=True, verify_first=False,
                          mark_submitting=lambda: None, capture=lambda panel: None)
        record = UnlinkRecord(location=CLINIC, practitioner="YOUNG, ROBERT", end_date=dt.date.fromisoformat(FUTURE))

        async def reopen():
            await group_unlink.select_location(page, record, ctx)

        await group_unlink.open_update_profile(page, ctx)
        await group_unlink.select_provider(page, ctx)
        await group_unlink.open_group_practice_info(page, ctx)
        await reopen()
        return await then(page, page.context, ctx, reopen)

    return in_chromium(scenario)


def test_a_session_that_ends_while_paging_the_list_is_an_expired_session_not_a_changed_portal(portal, credentials):
    """Step 7 turns the list's pages; when the session ends in between, the page shows the
    login panel instead of the list: SessionExpired (log in again, retry), never SelectorError
    (which would stop the whole run as if the portal had changed)."""

    async def session_gone(page, context, ctx, reopen):
        await context.clear_cookies()  # the portal's session is gone
        try:
            await servicing_list.find_practitioner(page, "YOUNG, ROBERT", CLINIC, ctx, reopen=reopen)
        except Exception as error:  # noqa: BLE001  (the test is which one)
            return error
        return None

    error = _on_the_list_of_servicing_providers(portal, credentials, session_gone)

    assert isinstance(error, SessionExpired), repr(error)


def test_once_the_list_was_read_a_later_record_goes_straight_to_its_page_and_a_wrong_hint_costs_only_time(
        portal, credentials):
    """The first search reads all three pages; the run remembers where each name is listed, so
    the next one (page 3) turns one page, not three. A hint the page does not bear out (the
    list changed) is never trusted: the whole list is read again."""

    async def twice(page, context, ctx, reopen):
        turns = []
        # A turn is a page load, or the request of an in-place update where the list is re-rendered in place.
        page.on("request", lambda request: turns.append(request.url)
                if request.resource_type in ("document", "fetch", "xhr") else None)
        await servicing_list.find_practitioner(page, "ABBOTT, JANE", CLINIC, ctx, reopen=reopen)
        first = len(turns)
        await reopen()
        turns.clear()
        young = await servicing_list.find_practitioner(page, "YOUNG, ROBERT", CLINIC, ctx, reopen=reopen)
        second = len(turns), await young.inner_text()
        await reopen()
        ctx.memo[next(iter(ctx.memo))]["young, robert"] = [2]  # a hint gone stale
        stale = await servicing_list.find_practitioner(page, "YOUNG, ROBERT", CLINIC, ctx, reopen=reopen)
        return first, second, await stale.inner_text()

    first, (second, young), stale = _on_the_list_of_servicing_providers(portal, credentials, twice)

    assert first == 3  # pages 2 and 3, then back to page 1 for ABBOTT
    assert second == 1 and young == "YOUNG, ROBERT"
    assert stale == "YOUNG, ROBERT"
