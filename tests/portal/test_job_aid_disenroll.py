"""Job aid: Disenroll a Member from One Care, walked by hand in Chromium, numbered step by
numbered step, checking each panel's title, labels, buttons, notes and refusals.

The job aids give no wording for the refusals: each is matched by its key words (the job aid's
own where it has them: "exactly as it appears on the MassHealth member's ID card"). Texts the
job aid does give ("validated by MMIS", the Note on the confirmation) are matched whole."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from flows.panels import loose
from tests.portal import finding, marks, walk
from tests.portal.finding import action, control, error, expect_shown, expect_title, field, notice, panel, press, title
from tests.portal.marks import error_icons, refusal

# The Virtual Gateway's notice when a POSC session has ended (the mock's default login).
EXPIRED = "Your session has ended. Log in again."
REFUSALS = {  # the key words of each refusal of a search
    "not_found": re.compile(r"\bno member\b.*\bfound\b", re.IGNORECASE),
    "name_mismatch": re.compile(r"\bname\b.*\bdoes not match\b.*\bexactly as\b.*\bID card\b", re.IGNORECASE),
    "not_in_one_care": re.compile(r"\bnot\b.*\benrolled in One Care\b", re.IGNORECASE),
    "other_plan": re.compile(r"\benrolled\b.*\bwith another\b", re.IGNORECASE),
}
SHORT_MEMBER_ID = re.compile(r"\bMember ID\b.*\b12\b.*\bdigits\b", re.IGNORECASE)
CONFIRMATION_NOTE = ("The member will be disenrolled as of the last calendar day of the month",
                     "The provider will receive a confirmation via the 834 batch file transaction.")


def required(label: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(label)} is required\b", re.IGNORECASE)


@pytest.fixture
def data(portal_data: dict) -> dict:
    return portal_data["disenroll"]


@pytest.fixture
def member_search(signed_in: Page) -> Page:
    """Job aid steps 1-3 done: the Member Search panel."""
    walk.open_member_search(signed_in)
    return signed_in


def test_login_panel_fields_and_button(page, base_url):
    walk.open_login(page, base_url)

    expect(control(page, "login", "user_id"), "User ID or Email Address").to_be_editable()
    expect(control(page, "login", "password"), "Password").to_have_attribute("type", "password")
    expect(control(page, "login", "log_in"), "Log In").to_be_visible()


@pytest.mark.mock_only
def test_the_posc_login_panel_has_the_posc_title(page, start_portal):
    portal = start_portal(login="simple")
    walk.open_login(page, portal.url)

    expect(page.get_by_text(loose(walk.TITLE)).first, walk.TITLE).to_be_visible()
    expect(control(page, "login", "user_id"), "User ID").to_be_editable()


def test_log_in_leads_to_the_posc_home_page(signed_in):
    expect(signed_in.get_by_text(loose(walk.TITLE)).first, walk.TITLE).to_be_visible()
    welcome = signed_in.get_by_text(re.compile(r"^\s*Welcome\s+\S+", re.IGNORECASE))
    expect(welcome.first, "Welcome <user id>").to_be_visible()
    expect(action(signed_in, "Log Out")).to_be_visible()
    for item in ("Home", "Manage Members", "Manage Provider Information"):  # the Provider Services menu
        expect(finding.link(signed_in, item), f"the menu item {item!r}").to_be_visible()
    expect(finding.login_panel_shown(signed_in)).to_have_count(0)


@pytest.mark.mock_only
def test_the_posc_welcomes_the_posc_user_id_behind_the_gateway_login(signed_in):
    expect(signed_in.get_by_text(loose("Welcome posc.demo"))).to_be_visible()


def test_wrong_password_is_refused(page, base_url, credentials):
    walk.enter_login(page, base_url, credentials.user, "not-the-password")

    line = refusal(page, re.compile(r"\b(User ID|email) or Password\b.*\bincorrect\b", re.IGNORECASE))
    expect(error_icons(line)).to_have_count(1)
    expect(finding.login_panel_shown(page)).to_be_visible()
    expect(finding.signed_in_marker(page)).to_have_count(0)


def test_a_panel_without_a_session_shows_the_login_page_again(signed_in):
    walk.open_member_search(signed_in)
    address = signed_in.url
    action(signed_in, "Log Out").click()
    signed_in.wait_for_load_state()

    signed_in.goto(address)

    expect(finding.login_panel_shown(signed_in)).to_be_visible()
    expect(title(signed_in, "Member Search")).to_have_count(0)


@pytest.mark.mock_only
def test_an_expired_session_is_named_on_the_login_page(signed_in):
    walk.open_member_search(signed_in)
    address = signed_in.url
    action(signed_in, "Log Out").click()

    signed_in.goto(address)

    expect(notice(signed_in)).to_have_text(EXPIRED)


def test_steps_1_to_3_the_menu_leads_to_member_search(signed_in):
    manage_members = walk.menu_item(signed_in, "Manage Members")
    manage_members.click()  # step 1
    enrollment = walk.menu_item(signed_in, "Enrollment", after=manage_members)
    enrollment.click()  # step 2
    walk.menu_item(signed_in, "Enroll/Disenroll One Care Members", after=enrollment).click()  # step 3

    expect_title(signed_in, "Member Search")


def test_step_4_the_plans_provider_id_defaults(member_search, data):
    expect(field(member_search, "Provider ID")).to_have_value(data["plan_provider_id"])


def test_steps_5_to_8_member_search_fields_and_required_marks(member_search):
    search = panel(member_search, "Member Search")
    for label in ("Provider ID", "Member ID", "Last Name", "First Name"):
        expect_shown(field(search, label), f"the field labelled {label!r}", search, like={"label": label})
        expect(field(search, label), f"the field labelled {label!r}").to_be_editable()
        marks.expect_required(search, label)
    expect_shown(action(search, "Search"), "the Search button", search, like={"role": "button"})

    action(search, "Search").click()  # step 8, nothing typed

    marks.expect_refusals(member_search, [required("Member ID"), required("Last Name"), required("First Name")])
    for label in ("Member ID", "Last Name", "First Name"):
        marks.expect_in_error(member_search, label)


def test_steps_5_to_8_each_refusal_keeps_the_member_search_and_what_was_typed(member_search,
                                                                              data):
    cases = [({**data["member"], "member_id": "12345"}, SHORT_MEMBER_ID)]
    cases += [(data[case], words) for case, words in REFUSALS.items()]

    for member, words in cases:
        walk.search_member(member_search, member)  # steps 5-8

        line = refusal(member_search, words)
        expect(error_icons(line), words.pattern).to_have_count(1)
        expect_title(member_search, "Member Search")
        expect(field(member_search, "Member ID")).to_have_value(member["member_id"])
        expect(field(member_search, "Last Name")).to_have_value(member["last_name"])


def test_step_8_a_current_member_opens_the_disenrollment_panel(member_search, data):
    member = data["member"]

    walk.search_member(member_search, {**member, "last_name": f"  {member['last_name'].lower()} "})

    expect_title(member_search, "Disenrollment")
    shown = finding.panel_text(member_search, "Disenrollment")
    for fact in (member["member_id"], member["last_name"], member["first_name"], data["plan_provider_id"]):
        assert fact in shown, f"the Disenrollment panel does not show {fact!r}: {shown}"
    disenrollment = panel(member_search, "Disenrollment")
    reason = field(disenrollment, "Disenrollment Reason")
    marks.expect_required(disenrollment, "Disenrollment Reason")
    expect(reason, "no Disenrollment Reason chosen yet").to_have_value("")
    expect_shown(action(disenrollment, "Submit"), "the Submit button", disenrollment, like={"role": "button"})
    expect(error(member_search)).to_have_count(0)


def test_step_9_the_reasons_the_jobs_name_are_offered(member_search, data):
    walk.search_member(member_search, data["member"])
    reason = control(member_search, "disenrollment", "reason")
    expect(reason, "the Disenrollment Reason list").to_be_visible()

    offered = [" ".join(text.split()) for text in reason.get_by_role("option").all_inner_texts()]

    missing = [wanted for wanted in data["reasons"] if wanted not in offered]
    assert not missing, f"the Disenrollment Reason list does not offer {missing}; it offers {offered}"


def test_step_9_the_reason_is_required(member_search, data):
    walk.search_member(member_search, data["member"])
    expect_title(member_search, "Disenrollment")

    press(member_search, "disenrollment", "submit")

    line = refusal(member_search, required("Disenrollment Reason"))
    expect(error_icons(line)).to_have_count(1)
    expect_title(member_search, "Disenrollment")
    marks.expect_in_error(member_search, "Disenrollment Reason")


@pytest.mark.mock_only
def test_member_search_and_disenrollment_carry_the_required_note(member_search, data):
    """The POSC help's sentence, which the mock shows on each panel with required fields."""
    expect(panel(member_search, "Member Search").get_by_text(marks.REQUIRED_NOTE)).to_be_visible()
    walk.search_member(member_search, data["member"])
    expect(panel(member_search, "Disenrollment").get_by_text(marks.REQUIRED_NOTE)).to_be_visible()


@pytest.mark.mock_only
def test_step_9_cancel_returns_to_an_empty_member_search(member_search, data):
    """The mock's Disenrollment panel has a Cancel button too (the job aid names none)."""
    walk.search_member(member_search, data["member"])

    action(member_search, "Cancel").click()

    expect_title(member_search, "Member Search")
    expect(field(member_search, "Member ID")).to_have_value("")


@pytest.mark.mock_only
def test_steps_9_to_12_disenroll_confirm_and_start_another(member_search, data, mock):
    member = data["member"]
    walk.search_member(member_search, member)
    walk.choose_reason(member_search, data["reason"])  # step 9

    press(member_search, "disenrollment", "submit")  # step 10

    expect_title(member_search, "Disenrollment Confirmation")  # step 11
    expect(control(member_search, "disenrollment_confirmation", "validated")).to_be_visible()
    confirmation = panel(member_search, "Disenrollment Confirmation")
    expect(confirmation).to_contain_text(member["member_id"])
    today = dt.date.today()
    last_day = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    for sentence in (*CONFIRMATION_NOTE, f"{last_day:%m/%d/%Y}"):
        expect(confirmation).to_contain_text(sentence)
    expect(finding.link(member_search, "Home"), "Home on the left menu").to_be_visible()
    [sent] = mock.transactions()
    assert (sent["member_id"], sent["reason"]) == (member["member_id"], data["reason"])

    press(confirmation, "disenrollment_confirmation", "another_member")  # step 12
    expect_title(member_search, "Member Search")
    expect(field(member_search, "Member ID")).to_have_value("")


@pytest.mark.mock_only
def test_step_10_a_pending_disenrollment_is_noted_yet_accepted_again(member_search, data, mock):
    walk.search_member(member_search, data["member_with_pending_disenrollment"])
    pending = control(member_search, "disenrollment", "pending_notice")

    expect(pending).to_have_text(re.compile(r"A disenrollment for this member is pending, effective "
                                            r"\d{2}/\d{2}/\d{4}\."))
    walk.choose_reason(member_search, data["reason"])
    press(member_search, "disenrollment", "submit")
    expect_title(member_search, "Disenrollment Confirmation")
    assert len(mock.transactions()) == 1
