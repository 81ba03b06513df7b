"""The portal's clock (the fixture's today plus /_mock/advance) and what follows it: profile
update requests moving from Submitted to In Process to Processed (or Returned), the date
rules and pending disenrollments. The frozen fixture's today, 2026-03-15, is a Sunday."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mock_portal import processing
from tests.mock.conftest import (
    AGREEMENT,
    GROUP_PRACTICE_INFO,
    PROFILE_STATUS,
    advance,
    date_detail_action,
    disenroll,
    mock_call,
    open_practitioner,
    portal_today,
    search,
)

SUNDAY = dt.date(2026, 3, 15)
FRIDAY = dt.date(2026, 3, 13)
NOT_ENROLLED = "The member is not currently enrolled in One Care."


# --- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(("submitted", "today", "status"), [
    (SUNDAY, SUNDAY, "Submitted"),
    (SUNDAY, dt.date(2026, 3, 16), "In Process"),  # Monday: the next business day
    (SUNDAY, dt.date(2026, 3, 26), "In Process"),  # the 9th business day after
    (SUNDAY, dt.date(2026, 3, 27), "Processed"),  # the 10th
    (SUNDAY, dt.date(2026, 3, 29), "Processed"),  # 14 calendar days
    (FRIDAY, dt.date(2026, 3, 14), "Submitted"),  # Saturday is no business day
    (FRIDAY, dt.date(2026, 3, 15), "Submitted"),
    (FRIDAY, dt.date(2026, 3, 16), "In Process"),
    (FRIDAY, dt.date(2026, 3, 26), "In Process"),
    (FRIDAY, dt.date(2026, 3, 27), "Processed"),
])
def test_a_request_is_processed_by_the_10th_business_day(submitted, today, status):
    assert processing.status(4100001, submitted, today) == status


@pytest.mark.parametrize(("today", "status"), [
    (SUNDAY, "Submitted"), (dt.date(2026, 3, 16), "In Process"),
    (dt.date(2026, 3, 27), "Returned"), (dt.date(2027, 1, 1), "Returned")])
def test_a_request_id_ending_in_7_comes_back_returned(today, status):
    assert processing.status(4100007, SUNDAY, today) == status
    assert processing.status("4100017", SUNDAY, today) == status


# --- the portal --------------------------------------------------------------------------


def file_request(client, end_date: str = "12/31/2026") -> None:
    """One unlink request for SMITH, JOHN (the portal accepts the same change again)."""
    open_practitioner(client, "120000001A")
    date_detail_action(client, "update", end_date)
    client.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "submit"})
    page = client.post(AGREEMENT, {"provider": "110000001A", "agree": "yes", "action": "submit"})
    assert page.panels[-1] == "Processing", page.alerts


def statuses(client) -> dict[str, str]:
    """Request ID -> Status, as Inquire Profile Update Status shows them."""
    cells = client.get(PROFILE_STATUS).texts("td")
    return {cells[i]: cells[i + 4] for i in range(0, len(cells), 5)}


def test_today_is_the_fixtures_and_advance_moves_it(frozen):
    assert portal_today(frozen) == "2026-03-15"

    assert advance(frozen, 1) == "2026-03-16"
    assert advance(frozen, 30) == "2026-04-15"
    assert portal_today(frozen) == "2026-04-15"


def test_a_portal_without_a_frozen_today_runs_on_the_real_date(mock_portal):
    before = dt.date.today()
    shown = dt.date.fromisoformat(portal_today(mock_portal))
    assert before <= shown <= dt.date.today()


def test_statuses_follow_the_clock(qa, frozen):
    file_request(qa)
    assert statuses(qa) == {"4100001": "Submitted"}

    advance(frozen, 1)  # Monday
    assert statuses(qa) == {"4100001": "In Process"}

    advance(frozen, 10)  # Thursday 03/26: the 9th business day
    assert statuses(qa) == {"4100001": "In Process"}

    advance(frozen, 3)  # 14 calendar days
    assert statuses(qa) == {"4100001": "Processed"}
    cells = qa.get(PROFILE_STATUS).texts("td")
    assert cells[1:4] == ["110000001A", "03/15/2026",
                          "Unlink SMITH, JOHN from MAIN STREET CLINIC, end date 12/31/2026"]


def test_the_seventh_request_is_returned(qa, frozen):
    for _ in range(7):
        file_request(qa)
    assert set(statuses(qa).values()) == {"Submitted"}

    advance(frozen, 14)

    shown = statuses(qa)
    assert list(shown) == [str(n) for n in range(4100007, 4100000, -1)]  # newest first
    assert shown.pop("4100007") == "Returned"
    assert set(shown.values()) == {"Processed"}


def test_a_request_filed_later_is_dated_and_counted_from_then(qa, frozen):
    file_request(qa)
    advance(frozen, 5)  # Friday 03/20
    file_request(qa)

    assert statuses(qa) == {"4100002": "Submitted", "4100001": "In Process"}
    assert qa.get(PROFILE_STATUS).texts("td")[2] == "03/20/2026"
    advance(frozen, 3)  # Monday 03/23
    assert statuses(qa) == {"4100002": "In Process", "4100001": "In Process"}


def test_reset_sets_the_clock_back_and_clears_the_requests(qa, frozen):
    file_request(qa)
    advance(frozen, 20)

    frozen.reset()

    assert portal_today(frozen) == "2026-03-15"
    qa.login("qa.plan", "QA-Passw0rd!")
    assert qa.get(PROFILE_STATUS).texts("td") == []
    file_request(qa)
    assert statuses(qa) == {"4100001": "Submitted"}


def test_the_date_rules_follow_the_clock(qa, frozen):
    advance(frozen, 10)  # 03/25/2026
    open_practitioner(qa, "120000001A")

    page = date_detail_action(qa, "update", "03/20/2026")

    assert page.alerts == ["End Date cannot be before today's date. MassHealth will not "
                           "backdate the effective date of a change."]


def test_pending_disenrollments_take_effect_as_the_clock_passes_them(qa, frozen):
    pending = search(qa, "200000000005", "CHEN", "WEI")
    assert pending.notices == ["A disenrollment for this member is pending, effective 03/31/2026."]

    advance(frozen, 17)  # 04/01/2026

    assert search(qa, "200000000005", "CHEN", "WEI").alerts == [NOT_ENROLLED]
    page = disenroll(qa, "200000000001", "RIVERA", "ANA")
    assert ("The member will be disenrolled as of the last calendar day of the month: "
            "04/30/2026.") in page
    assert frozen.transactions()[-1]["effective_date"] == "2026-04-30"


@pytest.mark.parametrize("query", ["days=0", "days=-1", "days=abc", "days=1.5", "", "days=3661"])
def test_advance_takes_a_positive_whole_number_of_days(frozen, query):
    status, _, body = mock_call(frozen, f"/_mock/advance?{query}", "POST")

    assert status == 400 and "days must be a whole number" in json.loads(body)["error"]
    assert portal_today(frozen) == "2026-03-15"


def test_advance_is_a_post(frozen):
    assert mock_call(frozen, "/_mock/advance?days=1")[0] == 405
    assert portal_today(frozen) == "2026-03-15"
