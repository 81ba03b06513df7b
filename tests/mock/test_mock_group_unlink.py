"""Update Your MassHealth Profile (group unlink) over HTTP, on the frozen fixture
(today 2026-03-15): the panels, each refusal, the saved change, the Agreement and Processing."""

from __future__ import annotations

import re

import pytest

from mock_portal.pages.group_practice import page_window
from tests.mock.conftest import (
    AGREEMENT,
    GROUP_PRACTICE_INFO,
    LIST_OF_PROVIDERS,
    MEMBER_SEARCH,
    PROFILE_STATUS,
    STEPS,
    date_detail_action,
    open_practitioner,
)
from tests.mock.portal_client import PortalClient

SMITH = "120000001A"


def save_end_date(client, practitioner=SMITH, end_date="12/31/2026"):
    open_practitioner(client, practitioner)
    page = date_detail_action(client, "update", end_date)
    assert page.notices == ["Your changes have been saved. Select Submit to submit the update request."]
    return page


def submit_agreement(client):
    page = client.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "submit"})
    assert page.panels[-1] == "Agreement", page.alerts
    return client.post(AGREEMENT, {"provider": "110000001A", "agree": "yes", "action": "submit"})


def test_list_of_providers_lists_only_the_users_providers(qa):
    page = qa.get(LIST_OF_PROVIDERS)

    assert page.h1 == "Update Your MassHealth Profile"
    assert page.panels == ["List of Providers"]
    assert page.texts("th") == ["Name", "Provider ID", "City", "State"]
    assert "Please select the provider you wish to update." in page
    assert ("cannot update via this portal. Please contact MassHealth LTSS Provider Services here "
            "at www.masshealthltss.com or 844-368-5184.") in page
    names = [text for text in page.links if text.isupper() and "," not in text]
    assert names == ["COMMONWEALTH CARE ALLIANCE ONE CARE", "BAY STATE FAMILY MEDICINE GROUP",
                     "COMMONWEALTH HOME CARE SERVICES", "BRIGHT SMILES DENTAL",
                     "PAT LEE ORDERING PRACTITIONER", "JORDAN KELLY MD"]


def test_another_user_sees_only_their_own_provider(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.tufts", "Tufts-Passw0rd!")

    page = client.get(LIST_OF_PROVIDERS)

    assert "TUFTS HEALTH ONE CARE" in page.links
    assert "BAY STATE FAMILY MEDICINE GROUP" not in page


@pytest.mark.parametrize(("name", "message"), [
    ("COMMONWEALTH HOME CARE SERVICES", "Providers of those services falling under Long-Term "
     "Services and Supports (LTSS) programs cannot update via this portal. Please contact "
     "MassHealth LTSS Provider Services here at www.masshealthltss.com or 844-368-5184."),
    ("BRIGHT SMILES DENTAL", "Dentists cannot update via this portal. Please contact the "
     "MassHealth Customer Service for Dental Providers here at masshealth-dental.net."),
    ("PAT LEE ORDERING PRACTITIONER", "Ordering, referring, and prescribing (ORP) providers "
     "cannot update via this portal."),
])
def test_ltss_dental_and_orp_providers_are_refused(qa, name, message):
    page = qa.get(qa.get(LIST_OF_PROVIDERS).link(name))

    assert page.panels == ["List of Providers"]
    assert page.alerts == [message]


def test_a_provider_not_granted_to_the_user_is_refused(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.tufts", "Tufts-Passw0rd!")

    for page in (client.get(STEPS, provider="110000001A"),
                 client.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1"),
                 client.get(AGREEMENT, provider="110000001A")):
        assert page.status == 403
        assert page.alerts == ["You are not authorized to act for the Provider ID entered."]


def test_crafted_post_for_a_provider_not_granted_changes_nothing(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.tufts", "Tufts-Passw0rd!")
    token = client.get(MEMBER_SEARCH).token

    page = client.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "location": "1",
                                             "practitioner": SMITH, "end_date": "12/31/2026",
                                             "action": "update"}, token=token)
    assert page.status == 403
    page = client.post(AGREEMENT, {"provider": "110000001A", "agree": "yes", "action": "submit"},
                       token=token)
    assert page.status == 403
    assert frozen.transactions() == []


def test_steps_panel_lists_the_steps_and_only_group_practice_info_works(qa):
    page = qa.get(STEPS, provider="110000001A")

    assert page.panels == ["Steps"]
    assert page.links[-5:] == ["Provider Information", "Contact Information", "Service Locations",
                               "Group Practice Info", "Review and Submit"]
    for step in ("Provider Information", "Contact Information", "Service Locations",
                 "Review and Submit"):
        assert qa.get(page.link(step)).alerts == ["This function is not available in this portal."]


def test_group_practice_info_applies_only_to_group_practices(qa):
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000007A")

    assert page.alerts == ["Group Practice Info applies only to group practice providers."]
    assert "List of Locations" not in page.panels


def test_list_of_locations(qa):
    page = qa.get(qa.get(STEPS, provider="110000001A").link("Group Practice Info"))

    assert page.panels == ["Steps", "Group Practice Info", "List of Locations"]
    assert page.texts("th") == ["DBA Name", "Address", "City", "State"]
    assert "MAIN STREET CLINIC" in page.links and "HARBOR HEALTH CENTER" in page.links
    assert page.buttons == ["Cancel Service", "Submit"]


def test_list_of_servicing_providers_pages_ten_by_name(qa):
    page = qa.get(qa.get(GROUP_PRACTICE_INFO, provider="110000001A").link("MAIN STREET CLINIC"))

    assert page.panels[-1] == "List of Servicing Providers"
    assert "Click on the Business/Name to select a Service Provider" in page
    assert page.texts("th")[-4:] == ["Name ↑", "Address", "Provider Type", "End Date"]
    names = [text for text in page.links if ", " in text]
    assert len(names) == 10 and names[0] == "ABBOTT, JANE" and names == sorted(names)
    assert '<span class="posc-page-current" aria-current="page">1</span>' in page.html
    assert not page.has_link("1") and page.has_link("2") and not page.has_link("Previous page")
    second = qa.get(page.link("Next page"))
    assert [text for text in second.links if ", " in text] == ["SMITH, JOHN", "YOUNG, ROBERT"]
    assert second.has_link("Previous page") and not second.has_link("Next page")
    assert second.has_link("New Item")


def test_name_sort_control_turns_the_order_around(qa):
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1")

    page = qa.get(page.link("Name ↑"))

    assert page.texts("th")[-4] == "Name ↓"
    assert [text for text in page.links if ", " in text][0] == "YOUNG, ROBERT"
    assert qa.get(page.link("Name ↓")).texts("th")[-4] == "Name ↑"


def test_previously_linked_practitioners_are_listed_with_their_end_date(qa):
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1")

    assert "GRANT, HELEN" in page.links
    assert "12/31/2021" in page.texts("td")


def test_service_provider_detail_and_date_detail(qa):
    page = open_practitioner(qa, SMITH, page="2")

    assert page.panels[-2:] == ["Service Provider Detail", "Date Detail"]
    assert page.labels == ["Name", "Provider ID", "NPI", "Provider Type", "Address",
                           "Effective Date", "End Date"]
    assert (page.value("Name"), page.value("Provider ID"), page.value("NPI")) == (
        "SMITH, JOHN", SMITH, "1234567893")
    assert page.value("Effective Date") == "01/01/2019" and page.value("End Date") == ""
    assert page.buttons == ["Cancel Item", "Update", "Remove", "Cancel Service", "Submit"]


@pytest.mark.parametrize(("practitioner", "typed", "message"), [
    (SMITH, "", "End Date is required."),
    (SMITH, "02/30/2026", "Dates must be in mm/dd/ccyy format."),
    (SMITH, "2026-12-31", "Dates must be in mm/dd/ccyy format."),
    ("120000003A", "02/28/2026", "End Date cannot be before the Effective Date."),
    (SMITH, "03/14/2026", "End Date cannot be before today's date. MassHealth will not backdate "
     "the effective date of a change."),
])
def test_end_date_refusals_stay_on_date_detail(qa, practitioner, typed, message):
    open_practitioner(qa, practitioner)

    page = date_detail_action(qa, "update", typed)

    assert page.alerts == [message]
    assert page.panels[-1] == "Date Detail"
    assert page.value("End Date") == typed
    assert page.control("End Date")["aria-invalid"] == "true"


def test_update_saves_in_the_session_and_returns_to_the_list(qa, frozen):
    page = save_end_date(qa, end_date="03/15/2026")

    assert page.panels[-1] == "List of Servicing Providers"
    assert open_practitioner(qa, SMITH).value("End Date") == "03/15/2026"
    assert frozen.transactions() == []


def test_submit_without_a_saved_change_is_refused(qa):
    open_practitioner(qa, SMITH)

    page = date_detail_action(qa, "submit", "12/31/2026")

    assert page.alerts == ["There are no changes to submit."]


@pytest.mark.parametrize("action", ["remove"])
def test_remove_is_not_available(qa, action):
    open_practitioner(qa, SMITH)

    assert date_detail_action(qa, action).alerts == ["This function is not available in this portal."]


def test_new_item_is_not_available(qa):
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1")

    assert qa.get(page.link("New Item")).alerts == ["This function is not available in this portal."]


def test_cancel_item_closes_the_detail(qa):
    open_practitioner(qa, SMITH)

    page = date_detail_action(qa, "cancel_item")

    assert page.panels[-1] == "List of Servicing Providers" and page.alerts == []


def test_cancel_service_drops_the_saved_changes(qa):
    save_end_date(qa)

    page = qa.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "cancel_service"})

    assert page.panels == ["List of Providers"]
    page = qa.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "submit"},
                   token=qa.get(GROUP_PRACTICE_INFO, provider="110000001A").token)
    assert page.alerts == ["There are no changes to submit."]


def test_agreement_must_be_certified(qa, frozen):
    save_end_date(qa)
    page = qa.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "submit"})

    assert page.panels[-1] == "Agreement"
    assert "All update requests submitted via the POSC require a certification of agreement." in page
    assert "I certify under the pains and penalties of perjury that this information" in page
    assert page.labels == ["I agree"] and page.buttons == ["Cancel Service", "Submit"]
    page = qa.post(AGREEMENT, {"provider": "110000001A", "action": "submit"})
    assert page.alerts == ["You must certify the agreement before submitting."]
    assert frozen.transactions() == []


def test_agreement_submit_files_the_request(qa, frozen):
    save_end_date(qa)

    page = submit_agreement(qa)

    assert page.panels[-1] == "Processing"
    assert page.notices == ["Your update request has been submitted."]
    request_id = re.search(r"Request ID: (\d+)", page.html).group(1)
    assert ("All provider file update requests will be processed within 10 business days. A letter "
            "will be sent to the requesting provider's DBA address once the change request is "
            "processed.") in page
    assert "MAIN STREET CLINIC, 100 MAIN STREET, SPRINGFIELD, MA 01103" in page
    [sent] = frozen.transactions()
    assert sent == {"kind": "group_unlink", "user_id": "qa.plan", "provider_id": "110000001A",
                    "submitted_at": sent["submitted_at"], "location": "MAIN STREET CLINIC",
                    "practitioner": "SMITH, JOHN", "practitioner_provider_id": SMITH,
                    "npi": "1234567893", "end_date": "2026-12-31", "request_id": request_id}


def test_a_submitted_end_date_shows_on_date_detail_and_in_the_list(qa):
    save_end_date(qa)
    submit_agreement(qa)

    assert open_practitioner(qa, SMITH, page="2").value("End Date") == "12/31/2026"
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="2")
    assert page.texts("td")[page.texts("td").index("SMITH, JOHN") + 3] == "12/31/2026"


def test_the_same_change_may_be_requested_twice(qa, frozen):
    for _ in range(2):
        save_end_date(qa)
        submit_agreement(qa)

    first, second = frozen.transactions()
    assert first["practitioner"] == second["practitioner"] == "SMITH, JOHN"
    assert first["request_id"] != second["request_id"]


def test_saved_changes_belong_to_the_session_that_saved_them(qa, frozen):
    save_end_date(qa)
    other = PortalClient.of(frozen)
    other.login("qa.plan", "QA-Passw0rd!")
    other.get(GROUP_PRACTICE_INFO, provider="110000001A")

    page = other.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "action": "submit"})

    assert page.alerts == ["There are no changes to submit."]


def test_inquire_profile_update_status_lists_the_request(qa):
    save_end_date(qa)
    submit_agreement(qa)

    page = qa.get(PROFILE_STATUS)

    assert page.h1 == "Inquire Profile Update Status"
    assert page.texts("th") == ["Request ID", "Provider ID", "Submitted", "Description", "Status"]
    assert page.texts("td")[1:] == ["110000001A", "03/15/2026",
                                    "Unlink SMITH, JOHN from MAIN STREET CLINIC, end date 12/31/2026",
                                    "Submitted"]


def test_unknown_location_or_practitioner_says_the_item_is_gone(qa):
    assert qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="99").alerts == [
        "The item you selected is no longer available. Select it again from the list."]
    page = qa.get(GROUP_PRACTICE_INFO, provider="110000001A", location="2", practitioner=SMITH)
    assert page.alerts == [
        "The item you selected is no longer available. Select it again from the list."]
    assert "Date Detail" not in page.panels


@pytest.mark.parametrize(("page", "pages", "shown"), [
    (1, 3, [1, 2, 3]),
    (1, 30, list(range(1, 11))),
    (15, 30, list(range(11, 21))),
    (30, 30, list(range(21, 31))),
    (1, 1, [1]),
])
def test_the_pager_shows_at_most_ten_page_numbers_around_the_current(page, pages, shown):
    assert list(page_window(page, pages)) == shown


def test_a_second_submit_of_the_same_agreement_has_nothing_left_to_submit(qa, frozen):
    save_end_date(qa)
    submit_agreement(qa)

    page = qa.post(AGREEMENT, {"provider": "110000001A", "agree": "yes", "action": "submit"},
                   token=qa.get(AGREEMENT, provider="110000001A").token)

    assert page.alerts == ["There are no changes to submit."]
    assert len(frozen.transactions()) == 1
