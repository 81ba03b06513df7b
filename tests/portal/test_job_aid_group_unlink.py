"""Job aid: Update Provider Profile - Group Unlink Requests, walked by hand in Chromium,
numbered step by numbered step, checking each panel's title, labels, buttons, notes and
refusals.

Texts the job aid gives (the LTSS and Dental notices, the certification, the Processing note)
are matched whole; refusals it gives no wording for are matched by their key words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from flows.panels import loose
from tests.portal import finding, marks, walk
from tests.portal.finding import (
    action,
    control,
    error,
    expect_shown,
    expect_title,
    field,
    link,
    notice,
    panel,
    press,
    title,
)
from tests.portal.marks import error_icons, refusal

LTSS_NOTE = ("Providers of those services falling under Long-Term Services and Supports (LTSS) programs "
             "cannot update via this portal. Please contact MassHealth LTSS Provider Services here at "
             "www.masshealthltss.com or 844-368-5184.")
# The job aid words the LTSS refusal twice, with two addresses: either is its text.
LTSS = re.compile(loose("Providers of those services falling under Long-Term Services and Supports (LTSS) programs "
                        "cannot update via this portal. Please contact MassHealth LTSS Provider Services here at",
                        exact=False).pattern + r"\s+(?:www\.masshealthltss\.com or 844-368-5184|masshealthtss\.com)",
                  re.IGNORECASE)
REFUSALS = {
    "ltss_provider": LTSS,
    "dental_provider": loose("Dentists cannot update via this portal. Please contact the MassHealth Customer Service "
                             "for Dental Providers here at masshealth-dental.net.", exact=False),
    # "Updates for LTSS, Dental, and/or ORP providers cannot be submitted via the ..." (job aid)
    "orp_provider": re.compile(r"\bORP\b.*\bcannot\b", re.IGNORECASE),
}
CERTIFICATION = ("I certify under the pains and penalties of perjury that this information and any attached "
                 "statement that I have provided has been reviewed and signed by me, and is true, accurate, and "
                 "complete, to the best of my knowledge. I understand that I may be subject to civil penalties "
                 "or criminal prosecution for any falsification, omission, or concealment of any material fact "
                 "contained herein.")
PROCESSING_NOTE = ("All provider file update requests will be processed within 10 business days. A letter will "
                   "be sent to the requesting provider's DBA address once the change request is processed.")
NOT_AVAILABLE = "This function is not available in this portal."
SAVED = "Your changes have been saved. Select Submit to submit the update request."
TODAY = dt.date.today()
NEXT_YEAR_END = f"12/31/{TODAY.year + 1}"


def words(*parts: str) -> re.Pattern[str]:
    """A refusal's key words, in this order."""
    return re.compile(r"\b.*\b".join(re.escape(part) for part in parts), re.IGNORECASE)


def expect_page(servicing, number: int, pages: int) -> None:
    """ "The numbers and arrows": the current page's number shown but not a link, an arrow to
    the next page but on the last, an arrow back but on the first."""
    expect(servicing.get_by_text(loose(str(number))), f"page {number}").to_be_visible()
    expect(link(servicing, str(number)), f"page {number}").to_have_count(0)
    expect(control(servicing, "list_of_servicing_providers", "next_page")).to_have_count(int(number < pages))
    expect(finding.previous_page(servicing)).to_have_count(int(number > 1))


@pytest.fixture
def data(portal_data: dict) -> dict:
    return portal_data["group_unlink"]


@pytest.fixture
def date_detail(signed_in: Page, data: dict) -> Page:
    """Job aid steps 1-8 done: the practitioner's Date Detail panel."""
    walk.open_date_detail(signed_in, data)
    return signed_in


def test_steps_1_to_3_the_menu_leads_to_the_list_of_providers(signed_in):
    provider_information = walk.menu_item(signed_in, "Manage Provider Information")
    provider_information.click()  # step 1
    expect(walk.menu_item(signed_in, "Enrollment", after=provider_information)).to_be_visible()
    maintain_profile = walk.menu_item(signed_in, "Maintain Profile", after=provider_information)
    maintain_profile.click()  # step 2
    expect(walk.menu_item(signed_in, "Inquire Profile Update Status", after=maintain_profile)).to_be_visible()
    walk.menu_item(signed_in, "Update Your MassHealth Profile", after=maintain_profile).click()  # step 3

    expect_title(signed_in, "List of Providers")


def test_step_4_list_of_providers_notes_and_table(signed_in, data):
    providers = walk.open_list_of_providers(signed_in)

    expect(providers.get_by_text(loose(LTSS_NOTE))).to_be_visible()
    expect(providers.get_by_text(loose("Please select the provider you wish to update."))).to_be_visible()
    table = finding.list_table(providers, "Provider ID")
    expect(table.get_by_role("columnheader")).to_have_text(["Name", "Provider ID", "City", "State"])
    row = table.get_by_role("row").filter(has=link(signed_in, data["provider"]["name"])).last
    expect(row.get_by_role("cell").nth(1)).to_have_text(data["provider"]["provider_id"])


def test_step_4_ltss_dental_and_orp_providers_are_refused(signed_in, data):
    providers = walk.open_list_of_providers(signed_in)

    for provider, message in REFUSALS.items():
        link(providers, data[provider]).click()

        line = refusal(signed_in, message)
        expect(error_icons(line), provider).to_have_count(1)
        expect_title(signed_in, "List of Providers")


def test_step_5_the_steps_panel_leads_to_group_practice_info(signed_in, data):
    provider = data["provider"]

    walk.choose_provider(signed_in, provider["name"])

    expect(signed_in.get_by_text(re.compile(rf"{re.escape(provider['name'])}\W.*\b{provider['provider_id']}\b"))
           .first, "the provider and its Provider ID").to_be_visible()
    steps = panel(signed_in, "Steps")
    expect(link(steps, "Group Practice Info")).to_be_visible()
    link(steps, "Group Practice Info").click()
    expect_title(signed_in, "List of Locations")


@pytest.mark.mock_only
def test_step_5_the_mocks_other_steps_are_not_available_in_this_portal(signed_in, data):
    walk.choose_provider(signed_in, data["provider"]["name"])
    steps = panel(signed_in, "Steps")

    expect(steps.get_by_role("link")).to_have_text([
        "Provider Information", "Contact Information", "Service Locations", "Group Practice Info",
        "Review and Submit"])
    link(steps, "Contact Information").click()
    expect(error(signed_in)).to_contain_text([NOT_AVAILABLE])


def test_step_5_an_individual_practitioner_has_no_locations(signed_in, data):
    walk.choose_provider(signed_in, data["individual_provider"])

    press(panel(signed_in, "Steps"), "steps", "group_practice_info")

    signed_in.wait_for_load_state()
    expect_title(signed_in, "Steps")
    expect(title(signed_in, "List of Locations")).to_have_count(0)


@pytest.mark.mock_only
def test_step_5_the_mock_names_group_practice_info_for_group_practices_only(signed_in, data):
    walk.choose_provider(signed_in, data["individual_provider"])

    press(panel(signed_in, "Steps"), "steps", "group_practice_info")

    expect(error(signed_in)).to_contain_text(["Group Practice Info applies only to group practice providers."])


def test_step_6_list_of_locations(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])
    locations = panel(signed_in, "List of Locations")

    headers = finding.list_table(locations, "DBA Name").get_by_role("columnheader")
    # The job aid's table has a blank column for the arrow that marks the chosen location.
    expect(headers.filter(has_text=re.compile(r"\S"))).to_have_text(["DBA Name", "Address", "City", "State"])
    expect(link(locations, data["location"])).to_be_visible()
    expect(action(signed_in, "Cancel Service")).to_be_visible()
    expect(action(signed_in, "Submit")).to_be_visible()


def test_step_7_list_of_servicing_providers_pages_by_name(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])

    servicing = walk.open_location(signed_in, data["location"])

    expect(servicing.get_by_text(loose("Click on the Business/Name to select a Service Provider"))).to_be_visible()
    table = finding.list_table(servicing, re.compile(r"^\s*Name\b"))
    headers = table.get_by_role("columnheader")
    expect(headers.first).to_have_text("Name ↑")
    expect(headers.nth(1)).to_have_text("Address")
    expect(headers.nth(2)).to_have_text("Provider Type")
    expect(table.get_by_role("row").nth(1).get_by_role("link")).to_have_text(data["first_by_name"])
    expect_page(servicing, 1, data["pages"])
    for number in range(2, data["pages"] + 1):
        expect(link(servicing, str(number))).to_be_visible()
    for number in range(2, data["pages"] + 1):
        walk.next_page(signed_in, number)
    expect(link(servicing, data["last_by_name"])).to_be_visible()
    expect_page(servicing, data["pages"], data["pages"])


def test_step_7_the_name_sort_control_turns_the_order_around(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])
    servicing = walk.open_location(signed_in, data["location"])

    link(servicing, "Name ↑").click()

    table = finding.list_table(servicing, re.compile(r"^\s*Name\b"))
    expect(table.get_by_role("columnheader").first).to_have_text("Name ↓")
    expect(table.get_by_role("row").nth(1).get_by_role("link")).to_have_text(data["last_by_name"])


def test_step_8_service_provider_detail_and_date_detail(date_detail, data):
    practitioner = data["practitioner"]
    shown = finding.panel_text(date_detail, "Service Provider Detail")
    for fact in (practitioner["name"], practitioner["provider_id"], practitioner["npi"]):
        assert fact in shown, f"the Service Provider Detail does not show {fact!r}: {shown}"
    dates = panel(date_detail, "Date Detail")
    marks.expect_required(dates, "End Date")
    expect(field(dates, "Effective Date")).to_have_value(practitioner["effective_date"])
    expect(field(dates, "Effective Date")).not_to_be_editable()
    expect(field(dates, "End Date")).to_be_editable()
    for name in ("Cancel Item", "Update", "Remove"):
        expect_shown(action(dates, name), f"the Date Detail's {name!r} button", dates, like={"role": "button"})
    for name in ("Cancel Service", "Submit"):
        expect_shown(action(date_detail, name), f"the {name!r} button", date_detail, like={"role": "button"})


END_DATE_REFUSALS = [
    ("", words("End Date is required")),
    ("02/30/2026", loose("Dates must be in mm/dd/ccyy format.", exact=False)),
    ("2026-12-31", loose("Dates must be in mm/dd/ccyy format.", exact=False)),
    ("12/31/1999", words("End Date", "before the Effective Date")),
    ((TODAY - dt.timedelta(days=1)).strftime("%m/%d/%Y"),
     words("End Date", "before today's date", "MassHealth will not backdate")),
]


def test_steps_8_and_9_each_end_date_refusal_stays_on_date_detail(date_detail):
    for typed, message in END_DATE_REFUSALS:
        field(panel(date_detail, "Date Detail"), "End Date").fill(typed)  # step 8
        walk.press_update(date_detail)  # step 9

        line = refusal(date_detail, message)
        expect(error_icons(line), repr(typed)).to_have_count(1)
        expect(field(panel(date_detail, "Date Detail"), "End Date"), repr(typed)).to_have_value(typed)
        marks.expect_in_error(panel(date_detail, "Date Detail"), "End Date")
    expect(notice(date_detail)).to_have_count(0)


def test_step_9_update_saves_and_returns_to_the_list(date_detail):
    walk.save_end_date(date_detail, NEXT_YEAR_END)

    expect_title(date_detail, "List of Servicing Providers")
    expect(error(date_detail)).to_have_count(0)


def test_step_10_submit_with_no_saved_change_is_refused(date_detail):
    press(date_detail, "list_of_servicing_providers", "submit")

    refusal(date_detail, re.compile(r"\bno changes\b", re.IGNORECASE))
    expect(title(date_detail, "Agreement")).to_have_count(0)


@pytest.mark.mock_only
def test_the_mocks_remove_and_new_item_are_not_available(date_detail):
    action(date_detail, "Remove").click()
    expect(error(date_detail)).to_contain_text([NOT_AVAILABLE])

    link(panel(date_detail, "List of Servicing Providers"), "New Item").click()
    expect(error(date_detail)).to_contain_text([NOT_AVAILABLE])


@pytest.mark.mock_only
def test_date_detail_carries_the_required_note(date_detail):
    """The POSC help's sentence, which the mock shows on each panel with required fields."""
    expect(panel(date_detail, "Date Detail").get_by_text(marks.REQUIRED_NOTE)).to_be_visible()


def test_cancel_item_closes_the_detail_and_cancel_service_leaves(date_detail):
    press(date_detail, "service_provider_detail", "cancel_item")
    expect(title(date_detail, "Date Detail")).to_have_count(0)

    press(date_detail, "list_of_servicing_providers", "cancel_service")
    expect_title(date_detail, "List of Providers")


def test_step_11_the_agreement_must_be_certified(date_detail):
    walk.save_end_date(date_detail, NEXT_YEAR_END)  # step 9
    press(date_detail, "list_of_servicing_providers", "submit")  # step 10
    expect_title(date_detail, "Agreement")
    agreement = panel(date_detail, "Agreement")

    expect(date_detail.get_by_text(loose("All update requests submitted via the POSC require a certification of "
                                         "agreement.", exact=False)).first).to_be_visible()
    expect(agreement).to_contain_text(CERTIFICATION)
    expect(control(agreement, "agreement", "certify")).not_to_be_checked()
    press(agreement, "agreement", "submit")
    refusal(date_detail, words("must", "certify the agreement"))
    expect_title(date_detail, "Agreement")


@pytest.mark.mock_only
def test_step_11_submit_files_the_request(date_detail, data, mock):
    practitioner = data["practitioner"]
    walk.save_end_date(date_detail, NEXT_YEAR_END)  # step 9
    expect(notice(date_detail)).to_have_text(SAVED)
    press(date_detail, "list_of_servicing_providers", "submit")  # step 10
    agreement = panel(date_detail, "Agreement")
    control(agreement, "agreement", "certify").check()

    press(agreement, "agreement", "submit")  # step 11

    expect_title(date_detail, "Processing")
    processing = panel(date_detail, "Processing")
    expect(notice(date_detail)).to_have_text("Your update request has been submitted.")
    expect(processing).to_contain_text(re.compile(r"Request ID: \d+"))
    expect(processing).to_contain_text(PROCESSING_NOTE)
    expect(processing).to_contain_text(data["location"])
    [sent] = mock.transactions()
    assert (sent["practitioner"], sent["npi"], sent["end_date"]) == (
        practitioner["name"], practitioner["npi"], f"{TODAY.year + 1}-12-31")

    walk.open_date_detail(date_detail, data)  # the request shows on the Date Detail
    expect(field(date_detail, "End Date")).to_have_value(NEXT_YEAR_END)
    walk.open_menu_path(date_detail, *walk.menu_path("inquire_profile_status"))
    expect(date_detail.get_by_role("cell", name=(
        f"Unlink {practitioner['name']} from {data['location']}, end date {NEXT_YEAR_END}"))
    ).to_be_visible()
