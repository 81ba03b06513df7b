"""Job aid: Disenroll a Member from One Care, walked by hand in Chromium, numbered step by
numbered step, checking each panel's title, labels, buttons, notes and refusals."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.portal import walk
from tests.portal.walk import alert, alert_lines, notice, panel

EXPIRED = "Your session has expired. Please log in again."
MESSAGES = {
    "not_found": "No member was found for the Member ID entered.",
    "name_mismatch": "The member name entered does not match our records. Enter the last name and "
                     "first name exactly as they appear on the member's ID card.",
    "not_in_one_care": "The member is not currently enrolled in One Care.",
    "other_plan": "The member is enrolled in One Care with another plan. Only the member's current "
                  "One Care plan can disenroll the member.",
}


@pytest.fixture
def data(portal_data: dict) -> dict:
    return portal_data["disenroll"]


@pytest.fixture
def member_search(signed_in: Page) -> Page:
    """Job aid steps 1-3 done: the Member Search panel."""
    walk.open_member_search(signed_in)
    return signed_in


def test_login_panel_title_fields_and_button(page, base_url):
    page.goto(f"{base_url}/")

    expect(page.get_by_role("heading", name=walk.TITLE, level=1)).to_be_visible()
    login = panel(page, "Provider Login")
    expect(login).to_be_visible()
    expect(login.get_by_label("User ID", exact=True)).to_be_editable()
    expect(login.get_by_label("Password", exact=True)).to_have_attribute("type", "password")
    expect(login.get_by_role("button", name="Log In", exact=True)).to_be_visible()


def test_log_in_leads_to_the_posc_home_page(signed_in, credentials):
    expect(signed_in.get_by_role("heading", name=walk.TITLE, level=1)).to_be_visible()
    expect(signed_in.get_by_text(f"Welcome {credentials[0]}", exact=True)).to_be_visible()
    expect(signed_in.get_by_role("link", name="Log Out", exact=True)).to_be_visible()
    expect(walk.menu(signed_in)).to_be_visible()


def test_wrong_password_is_refused(page, base_url, credentials):
    walk.log_in(page, base_url, credentials[0], "not-the-password")

    expect(alert(page)).to_have_text("The User ID or Password you entered is incorrect.")
    expect(alert(page).get_by_role("img", name="Error")).to_be_visible()


def test_a_panel_without_a_session_shows_the_login_page_again(signed_in, base_url):
    walk.open_member_search(signed_in)
    address = signed_in.url
    signed_in.get_by_role("link", name="Log Out", exact=True).click()

    signed_in.goto(address)

    expect(notice(signed_in)).to_have_text(EXPIRED)
    expect(signed_in.get_by_role("button", name="Log In", exact=True)).to_be_visible()


def test_steps_1_to_3_the_menu_leads_to_member_search(signed_in):
    menu = walk.menu(signed_in)
    expect(menu.get_by_role("link", name="Enrollment", exact=True)).to_have_count(0)

    menu.get_by_role("link", name="Manage Members", exact=True).click()  # step 1
    expect(menu.get_by_role("link", name="Enrollment", exact=True)).to_have_count(1)
    expect(menu.get_by_role("link", name="Enroll/Disenroll One Care Members")).to_have_count(0)
    menu.get_by_role("link", name="Enrollment", exact=True).click()  # step 2
    menu.get_by_role("link", name="Enroll/Disenroll One Care Members", exact=True).click()  # 3

    expect(signed_in.get_by_role("heading", name="Enroll/Disenroll One Care Members",
                                 level=1)).to_be_visible()
    expect(panel(signed_in, "Member Search")).to_be_visible()


def test_step_4_the_plans_provider_id_defaults(member_search, data):
    expect(member_search.get_by_label("Provider ID", exact=True)).to_have_value(
        data["plan_provider_id"])


def test_steps_5_to_8_member_search_fields_and_required_marks(member_search):
    search = panel(member_search, "Member Search")
    expect(search.get_by_text(walk.REQUIRED_NOTE)).to_be_visible()
    for label in ("Provider ID", "Member ID", "Last Name", "First Name"):
        expect(search.get_by_label(label, exact=True), label).to_be_editable()
        walk.expect_required(search, label)
    expect(search.get_by_role("button", name="Search", exact=True)).to_be_visible()

    search.get_by_role("button", name="Search", exact=True).click()  # step 8, nothing typed

    assert alert_lines(member_search) == [
        "Member ID is required.", "Last Name is required.", "First Name is required."]
    expect(alert(member_search).get_by_role("img", name="Error")).to_have_count(3)


def test_steps_5_to_8_each_refusal_keeps_the_member_search_and_what_was_typed(member_search,
                                                                              data):
    cases = [({**data["member"], "member_id": "12345"}, "Member ID must be 12 digits.")]
    cases += [(data[case], message) for case, message in MESSAGES.items()]

    for member, message in cases:
        walk.search_member(member_search, member)  # steps 5-8

        expect(alert(member_search), message).to_have_text(message)
        expect(alert(member_search).get_by_role("img", name="Error")).to_have_count(1)
        expect(panel(member_search, "Member Search"), message).to_be_visible()
        expect(member_search.get_by_label("Member ID", exact=True)).to_have_value(
            member["member_id"])
        expect(member_search.get_by_label("Last Name", exact=True)).to_have_value(
            member["last_name"])


def test_step_8_a_current_member_opens_the_disenrollment_panel(member_search, data):
    member = data["member"]

    walk.search_member(member_search, {**member, "last_name": f"  {member['last_name'].lower()} "})

    disenrollment = panel(member_search, "Disenrollment")
    expect(disenrollment).to_be_visible()
    expect(disenrollment.get_by_label("Member ID", exact=True)).to_have_value(member["member_id"])
    expect(disenrollment.get_by_label("Member ID", exact=True)).not_to_be_editable()
    expect(disenrollment.get_by_label("Member Name", exact=True)).to_have_value(
        f"{member['last_name']}, {member['first_name']}")
    expect(disenrollment.get_by_label("One Care Plan", exact=True)).to_have_value(
        re.compile(re.escape(data["plan_provider_id"])))
    expect(disenrollment.get_by_label("Enrollment Start Date", exact=True)).to_have_value(
        re.compile(r"^\d{2}/\d{2}/\d{4}$"))
    expect(disenrollment.get_by_text(walk.REQUIRED_NOTE)).to_be_visible()
    reason = disenrollment.get_by_label("Disenrollment Reason", exact=True)
    walk.expect_required(disenrollment, "Disenrollment Reason")
    expect(reason.get_by_role("option").first).to_have_text("-- Select --")
    expect(disenrollment.get_by_role("button", name="Submit", exact=True)).to_be_visible()
    expect(disenrollment.get_by_role("button", name="Cancel", exact=True)).to_be_visible()


def test_step_9_the_reasons_the_jobs_name_are_offered(member_search, data):
    walk.search_member(member_search, data["member"])
    reason = member_search.get_by_label("Disenrollment Reason")

    offered = [" ".join(text.split()) for text in reason.get_by_role("option").all_inner_texts()]

    missing = [wanted for wanted in data["reasons"] if wanted not in offered]
    assert not missing, f"the Disenrollment Reason list does not offer {missing}; it offers {offered}"


def test_step_9_the_reason_is_required(member_search, data):
    walk.search_member(member_search, data["member"])

    member_search.get_by_role("button", name="Submit", exact=True).click()

    expect(alert(member_search)).to_have_text("Disenrollment Reason is required.")
    expect(panel(member_search, "Disenrollment")).to_be_visible()


def test_step_9_cancel_returns_to_an_empty_member_search(member_search, data):
    walk.search_member(member_search, data["member"])

    member_search.get_by_role("button", name="Cancel", exact=True).click()

    expect(panel(member_search, "Member Search")).to_be_visible()
    expect(member_search.get_by_label("Member ID", exact=True)).to_have_value("")


@pytest.mark.mock_only
def test_steps_9_to_12_disenroll_confirm_and_start_another(member_search, data, mock):
    member = data["member"]
    walk.search_member(member_search, member)
    member_search.get_by_label("Disenrollment Reason", exact=True).select_option(
        label=data["reason"])  # step 9

    member_search.get_by_role("button", name="Submit", exact=True).click()  # step 10

    confirmation = panel(member_search, "Disenrollment Confirmation")  # step 11
    expect(confirmation).to_contain_text("The disenrollment has been validated by MMIS.")
    expect(confirmation).to_contain_text(member["member_id"])
    today = dt.date.today()
    last_day = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    expect(confirmation).to_contain_text("The member will be disenrolled as of the last calendar "
                                         f"day of the month: {last_day:%m/%d/%Y}.")
    expect(confirmation).to_contain_text(
        "The provider will receive a confirmation via the 834 batch file transaction.")
    expect(walk.menu(member_search).get_by_role("link", name="Home", exact=True)).to_be_visible()
    [sent] = mock.transactions()
    assert (sent["member_id"], sent["reason"]) == (member["member_id"], data["reason"])

    confirmation.get_by_role("button", name="Enroll/Disenroll Another Member").click()  # 12
    expect(panel(member_search, "Member Search")).to_be_visible()
    expect(member_search.get_by_label("Member ID", exact=True)).to_have_value("")


@pytest.mark.mock_only
def test_step_10_a_pending_disenrollment_is_noted_yet_accepted_again(member_search, data, mock):
    walk.search_member(member_search, data["member_with_pending_disenrollment"])

    expect(notice(member_search)).to_have_text(
        "A disenrollment for this member is pending, effective "
        f"{walk.us_date(notice(member_search).inner_text())}.")
    member_search.get_by_label("Disenrollment Reason", exact=True).select_option(
        label=data["reason"])
    member_search.get_by_role("button", name="Submit", exact=True).click()
    expect(panel(member_search, "Disenrollment Confirmation")).to_be_visible()
    assert len(mock.transactions()) == 1
