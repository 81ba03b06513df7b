"""Job aid: Update Provider Profile - Group Unlink Requests, walked by hand in Chromium,
numbered step by numbered step, checking each panel's title, labels, buttons, notes and
refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.portal import walk
from tests.portal.walk import alert, notice, panel

LTSS = ("Providers of those services falling under Long-Term Services and Supports (LTSS) "
        "programs cannot update via this portal. Please contact MassHealth LTSS Provider Services "
        "here at www.masshealthltss.com or 844-368-5184.")
REFUSALS = {
    "ltss_provider": LTSS,
    "dental_provider": "Dentists cannot update via this portal. Please contact the MassHealth "
                       "Customer Service for Dental Providers here at masshealth-dental.net.",
    "orp_provider": "Ordering, referring, and prescribing (ORP) providers cannot update via this "
                    "portal.",
}
NOT_AVAILABLE = "This function is not available in this portal."
SAVED = "Your changes have been saved. Select Submit to submit the update request."
TODAY = dt.date.today()
NEXT_YEAR_END = f"12/31/{TODAY.year + 1}"


@pytest.fixture
def data(portal_data: dict) -> dict:
    return portal_data["group_unlink"]


@pytest.fixture
def date_detail(signed_in: Page, data: dict) -> Page:
    """Job aid steps 1-8 done: the practitioner's Date Detail panel."""
    walk.open_date_detail(signed_in, data)
    return signed_in


def click(scope, name: str) -> None:
    scope.get_by_role("button", name=name, exact=True).click()


def test_steps_1_to_3_the_menu_leads_to_the_list_of_providers(signed_in):
    menu = walk.menu(signed_in)

    menu.get_by_role("link", name="Manage Provider Information", exact=True).click()  # step 1
    expect(menu.get_by_role("link", name="Enrollment", exact=True)).to_have_count(1)
    menu.get_by_role("link", name="Maintain Profile", exact=True).click()  # step 2
    expect(menu.get_by_role("link", name="Inquire Profile Update Status")).to_be_visible()
    menu.get_by_role("link", name="Update Your MassHealth Profile", exact=True).click()  # step 3

    expect(signed_in.get_by_role("heading", name="Update Your MassHealth Profile",
                                 level=1)).to_be_visible()
    expect(panel(signed_in, "List of Providers")).to_be_visible()


def test_step_4_list_of_providers_notes_and_table(signed_in, data):
    providers = walk.open_list_of_providers(signed_in)

    expect(providers.get_by_text(LTSS, exact=True)).to_be_visible()
    expect(providers.get_by_text("Please select the provider you wish to update.")).to_be_visible()
    headers = providers.get_by_role("columnheader")
    expect(headers).to_have_text(["Name", "Provider ID", "City", "State"])
    row = providers.get_by_role("row").filter(
        has=signed_in.get_by_role("link", name=data["provider"]["name"], exact=True))
    expect(row.get_by_role("cell").nth(1)).to_have_text(data["provider"]["provider_id"])


def test_step_4_ltss_dental_and_orp_providers_are_refused(signed_in, data):
    providers = walk.open_list_of_providers(signed_in)

    for provider, message in REFUSALS.items():
        providers.get_by_role("link", name=data[provider], exact=True).click()

        expect(alert(signed_in), provider).to_have_text(message)
        expect(alert(signed_in).get_by_role("img", name="Error")).to_be_visible()
        expect(panel(signed_in, "List of Providers"), provider).to_be_visible()


def test_step_5_steps_panel_where_only_group_practice_info_works(signed_in, data):
    provider = data["provider"]
    walk.open_list_of_providers(signed_in).get_by_role("link", name=provider["name"], exact=True).click()
    steps = panel(signed_in, "Steps")

    expect(signed_in.get_by_text(f"{provider['name']}, Provider ID {provider['provider_id']}",
                                 exact=True)).to_be_visible()

    expect(steps.get_by_role("link")).to_have_text([
        "Provider Information", "Contact Information", "Service Locations", "Group Practice Info",
        "Review and Submit"])
    steps.get_by_role("link", name="Contact Information", exact=True).click()
    expect(alert(signed_in)).to_have_text(NOT_AVAILABLE)
    steps.get_by_role("link", name="Group Practice Info", exact=True).click()
    expect(signed_in.get_by_role("heading", name="Group Practice Info")).to_be_visible()


def test_step_5_group_practice_info_applies_only_to_group_practices(signed_in, data):
    walk.open_list_of_providers(signed_in).get_by_role(
        "link", name=data["individual_provider"], exact=True).click()

    panel(signed_in, "Steps").get_by_role("link", name="Group Practice Info").click()

    expect(alert(signed_in)).to_have_text(
        "Group Practice Info applies only to group practice providers.")


def test_step_6_list_of_locations(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])
    locations = panel(signed_in, "List of Locations")

    expect(locations.get_by_role("columnheader")).to_have_text(["DBA Name", "Address", "City",
                                                                "State"])
    expect(locations.get_by_role("link", name=data["location"], exact=True)).to_be_visible()
    expect(signed_in.get_by_role("button", name="Cancel Service", exact=True)).to_be_visible()
    expect(signed_in.get_by_role("button", name="Submit", exact=True)).to_be_visible()


def test_step_7_list_of_servicing_providers_pages_by_name(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])

    servicing = walk.open_location(signed_in, data["location"])

    expect(servicing.get_by_text("Click on the Business/Name to select a Service Provider",
                                 exact=True)).to_be_visible()
    expect(servicing.get_by_role("columnheader").first).to_have_text("Name ↑")
    expect(servicing.get_by_role("columnheader").nth(1)).to_have_text("Address")
    expect(servicing.get_by_role("columnheader").nth(2)).to_have_text("Provider Type")
    expect(servicing.get_by_role("row").nth(1).get_by_role("link")).to_have_text(
        data["first_by_name"])
    expect(servicing.get_by_role("row")).to_have_count(11)  # the header and 10 a page
    pager = servicing.get_by_role("navigation")
    expect(pager.locator("[aria-current=page]")).to_have_text("1")
    expect(pager.get_by_role("link", name="Previous page")).to_have_count(0)
    for number in range(2, data["pages"] + 1):
        expect(pager.get_by_role("link", name=str(number), exact=True)).to_be_visible()
    for _ in range(data["pages"] - 1):
        pager.get_by_role("link", name="Next page").click()
    expect(servicing.get_by_role("link", name=data["last_by_name"], exact=True)).to_be_visible()
    expect(pager.locator("[aria-current=page]")).to_have_text(str(data["pages"]))
    expect(pager.get_by_role("link", name="Previous page")).to_be_visible()


def test_step_7_the_name_sort_control_turns_the_order_around(signed_in, data):
    walk.open_group_practice_info(signed_in, data["provider"]["name"])
    servicing = walk.open_location(signed_in, data["location"])

    servicing.get_by_role("link", name="Name ↑").click()

    expect(servicing.get_by_role("columnheader").first).to_have_text("Name ↓")
    expect(servicing.get_by_role("row").nth(1).get_by_role("link")).to_have_text(
        data["last_by_name"])


def test_step_8_service_provider_detail_and_date_detail(date_detail, data):
    practitioner = data["practitioner"]
    detail = panel(date_detail, "Service Provider Detail")
    for label, value in (("Name", practitioner["name"]), ("Provider ID", practitioner["provider_id"]),
                         ("NPI", practitioner["npi"])):
        expect(detail.get_by_label(label, exact=True)).to_have_value(value)
    expect(detail.get_by_label("Provider Type", exact=True)).not_to_have_value("")
    expect(detail.get_by_label("Address", exact=True)).not_to_have_value("")
    dates = panel(date_detail, "Date Detail")
    expect(dates.get_by_text(walk.REQUIRED_NOTE)).to_be_visible()
    walk.expect_required(dates, "End Date")
    expect(dates.get_by_label("Effective Date", exact=True)).to_have_value(
        practitioner["effective_date"])
    expect(dates.get_by_label("Effective Date", exact=True)).not_to_be_editable()
    expect(dates.get_by_label("End Date", exact=True)).to_be_editable()
    expect(dates.get_by_role("button")).to_have_text(
        ["Cancel Item", "Update", "Remove", "Cancel Service", "Submit"])


END_DATE_REFUSALS = [
    ("", "End Date is required."),
    ("02/30/2026", "Dates must be in mm/dd/ccyy format."),
    ("2026-12-31", "Dates must be in mm/dd/ccyy format."),
    ("12/31/1999", "End Date cannot be before the Effective Date."),
    ((TODAY - dt.timedelta(days=1)).strftime("%m/%d/%Y"),
     "End Date cannot be before today's date. MassHealth will not backdate the effective date of "
     "a change."),
]


def test_steps_8_and_9_each_end_date_refusal_stays_on_date_detail(date_detail):
    dates = panel(date_detail, "Date Detail")

    for typed, message in END_DATE_REFUSALS:
        dates.get_by_label("End Date", exact=True).fill(typed)  # step 8
        click(dates, "Update")  # step 9

        expect(dates.get_by_role("alert"), repr(typed)).to_have_text(message)
        expect(dates.get_by_label("End Date", exact=True)).to_have_value(typed)
        expect(dates.get_by_role("img", name="Error")).to_have_count(2)  # alert's and field's
    expect(notice(date_detail)).to_have_count(0)


def test_step_9_update_saves_and_returns_to_the_list(date_detail):
    panel(date_detail, "Date Detail").get_by_label("End Date", exact=True).fill(NEXT_YEAR_END)

    click(date_detail, "Update")

    expect(notice(date_detail)).to_have_text(SAVED)
    expect(panel(date_detail, "List of Servicing Providers")).to_be_visible()
    expect(panel(date_detail, "Date Detail")).to_have_count(0)


def test_step_10_submit_with_no_saved_change_is_refused(date_detail):
    click(date_detail, "Submit")

    expect(alert(date_detail)).to_have_text("There are no changes to submit.")


def test_remove_and_new_item_are_not_available(date_detail):
    click(date_detail, "Remove")
    expect(alert(date_detail)).to_have_text(NOT_AVAILABLE)

    panel(date_detail, "List of Servicing Providers").get_by_role("link", name="New Item").click()
    expect(alert(date_detail)).to_have_text(NOT_AVAILABLE)


def test_cancel_item_closes_the_detail_and_cancel_service_leaves(date_detail):
    click(date_detail, "Cancel Item")
    expect(panel(date_detail, "Date Detail")).to_have_count(0)

    click(date_detail, "Cancel Service")
    expect(panel(date_detail, "List of Providers")).to_be_visible()


def test_step_11_the_agreement_must_be_certified(date_detail):
    panel(date_detail, "Date Detail").get_by_label("End Date", exact=True).fill(NEXT_YEAR_END)
    click(date_detail, "Update")
    click(date_detail, "Submit")  # step 10
    agreement = panel(date_detail, "Agreement")

    expect(agreement).to_contain_text(
        "All update requests submitted via the POSC require a certification of agreement.")
    expect(agreement).to_contain_text("I certify under the pains and penalties of perjury that "
                                      "this information")
    expect(agreement.get_by_label("I agree", exact=True)).not_to_be_checked()
    click(agreement, "Submit")
    expect(alert(date_detail)).to_have_text("You must certify the agreement before submitting.")


@pytest.mark.mock_only
def test_step_11_submit_files_the_request(date_detail, data, mock):
    practitioner = data["practitioner"]
    panel(date_detail, "Date Detail").get_by_label("End Date", exact=True).fill(NEXT_YEAR_END)
    click(date_detail, "Update")  # step 9
    click(date_detail, "Submit")  # step 10
    agreement = panel(date_detail, "Agreement")
    agreement.get_by_label("I agree", exact=True).check()

    click(agreement, "Submit")  # step 11

    processing = panel(date_detail, "Processing")
    expect(processing.get_by_role("status")).to_have_text("Your update request has been submitted.")
    expect(processing).to_contain_text(re.compile(r"Request ID: \d+"))
    expect(processing).to_contain_text(
        "All provider file update requests will be processed within 10 business days.")
    expect(processing).to_contain_text(data["location"])
    [sent] = mock.transactions()
    assert (sent["practitioner"], sent["npi"], sent["end_date"]) == (
        practitioner["name"], practitioner["npi"], f"{TODAY.year + 1}-12-31")

    walk.open_date_detail(date_detail, data)  # the request shows on the Date Detail
    expect(date_detail.get_by_label("End Date", exact=True)).to_have_value(NEXT_YEAR_END)
    walk.open_menu_path(date_detail, "Inquire Profile Update Status")
    expect(date_detail.get_by_role("cell", name=(
        f"Unlink {practitioner['name']} from {data['location']}, end date {NEXT_YEAR_END}"))
    ).to_be_visible()
