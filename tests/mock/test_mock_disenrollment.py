"""Enroll/Disenroll One Care Members over HTTP, on the frozen fixture (today 2026-03-15):
Member Search, Disenrollment, Confirmation, each refusal, and crafted requests."""

from __future__ import annotations

import pytest

from tests.mock.conftest import DISENROLLMENT, MEMBER_SEARCH, disenroll, search
from tests.mock.portal_client import PortalClient


def test_member_search_panel_has_the_job_aids_fields_and_the_users_plan(qa):
    page = qa.get(MEMBER_SEARCH)

    assert page.h1 == "Enroll/Disenroll One Care Members"
    assert page.panels == ["Member Search"]
    assert page.labels == ["Provider ID", "Member ID", "Last Name", "First Name"]
    assert page.buttons == ["Search"]
    assert "Fields marked with a red asterisk (*) are required." in page
    assert page.value("Provider ID") == "110000000A"
    assert page.control("Member ID")["aria-required"] == "true"


def test_provider_id_is_a_list_for_a_user_with_several_plans(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.multi", "Multi-Passw0rd!")

    page = client.get(MEMBER_SEARCH)

    assert page.control("Provider ID")["tag"] == "select"
    assert page.texts("option") == ["110000000A", "110000006A"]


def test_several_plans_user_disenrolls_for_the_plan_chosen(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.multi", "Multi-Passw0rd!")

    page = disenroll(client, "200000000007", "LEE", "MIN", provider_id="110000006A")

    assert page.panels == ["Disenrollment Confirmation"]
    [sent] = frozen.transactions()
    assert (sent["provider_id"], sent["member_id"]) == ("110000006A", "200000000007")


def test_empty_fields_are_each_refused_and_the_typed_values_kept(qa):
    page = search(qa, "200000000001", "", "")

    assert page.alerts == ["Last Name is required. First Name is required."]
    assert page.value("Member ID") == "200000000001"
    assert page.control("Last Name")["aria-invalid"] == "true"
    assert 'alt="Error"' in page.html


@pytest.mark.parametrize(("member_id", "last", "first", "message"), [
    ("20000000001", "RIVERA", "ANA", "Member ID must be 12 digits."),
    ("299999999999", "NOBODY", "NEMO", "No member was found for the Member ID entered."),
    ("200000000001", "RIVERAS", "ANA", "The member name entered does not match our records. "
     "Enter the last name and first name exactly as they appear on the member's ID card."),
    ("200000000002", "OBRIEN", "SEAN", "The member name entered does not match our records. "
     "Enter the last name and first name exactly as they appear on the member's ID card."),
    ("200000000003", "NGUYEN", "THANH", "The member is not currently enrolled in One Care."),
    ("200000000006", "PAST", "GONE", "The member is not currently enrolled in One Care."),
    ("200000000004", "MURPHY", "KATE", "The member is enrolled in One Care with another plan. "
     "Only the member's current One Care plan can disenroll the member."),
])
def test_member_search_refusals(qa, member_id, last, first, message):
    page = search(qa, member_id, last, first)

    assert page.status == 200
    assert page.alerts == [message]
    assert page.panels == ["Member Search"]
    assert (page.value("Member ID"), page.value("Last Name")) == (member_id, last)


def test_names_are_matched_ignoring_case_and_surrounding_spaces(qa):
    page = search(qa, "200000000008", "  de la cruz ", "Maria")

    assert page.panels == ["Disenrollment"]
    assert page.value("Member Name") == "DE LA CRUZ, MARIA"


def test_crafted_search_for_a_plan_not_granted_is_refused(qa):
    page = search(qa, "200000000004", "MURPHY", "KATE", provider_id="110000005A")

    assert page.status == 403
    assert page.alerts == ["You are not authorized to act for the Provider ID entered."]


def test_disenrollment_panel_shows_the_member_and_the_reasons(qa):
    page = search(qa, "200000000001", "RIVERA", "ANA")

    assert page.panels == ["Disenrollment"]
    assert page.labels == ["Member ID", "Member Name", "One Care Plan", "Enrollment Start Date",
                           "Disenrollment Reason"]
    assert page.value("Member ID") == "200000000001"
    assert page.value("Member Name") == "RIVERA, ANA"
    assert page.value("One Care Plan") == "110000000A - COMMONWEALTH CARE ALLIANCE ONE CARE"
    assert page.value("Enrollment Start Date") == "04/01/2020"
    assert "readonly" in page.control("Member ID")
    assert page.texts("option") == [
        "-- Select --", "Member request", "Loss of Medicare Part A or Part B",
        "Loss of MassHealth eligibility", "Moved out of the service area", "Incarcerated",
        "Enrolled in another plan", "Death", "Misrepresentation of information"]
    assert page.buttons == ["Submit", "Cancel"]
    assert page.notices == []


def test_submit_without_a_reason_is_refused_and_nothing_recorded(qa, frozen):
    page = search(qa, "200000000001", "RIVERA", "ANA")

    page = qa.post(DISENROLLMENT, {**page.hidden(), "reason": "", "action": "submit"})

    assert page.panels == ["Disenrollment"]
    assert page.alerts == ["Disenrollment Reason is required."]
    assert frozen.transactions() == []


def test_crafted_unknown_reason_is_refused(qa, frozen):
    page = search(qa, "200000000001", "RIVERA", "ANA")

    page = qa.post(DISENROLLMENT, {**page.hidden(), "reason": "Bored", "action": "submit"})

    assert page.alerts == ["Select a Disenrollment Reason from the list."]
    assert frozen.transactions() == []


def test_submit_confirms_and_records_the_disenrollment(qa, frozen):
    page = disenroll(qa, "200000000001", "RIVERA", "ANA", reason="Death")

    assert page.panels == ["Disenrollment Confirmation"]
    assert "The disenrollment has been validated by MMIS." in page
    assert "The member will be disenrolled as of the last calendar day of the month: 03/31/2026." in page
    assert "The provider will receive a confirmation via the 834 batch file transaction." in page
    assert "RIVERA, ANA" in page and "200000000001" in page
    assert page.buttons == ["Enroll/Disenroll Another Member"]
    [sent] = frozen.transactions()
    assert sent == {"kind": "disenrollment", "user_id": "qa.plan", "provider_id": "110000000A",
                    "submitted_at": sent["submitted_at"], "member_id": "200000000001",
                    "last_name": "RIVERA", "first_name": "ANA", "reason": "Death",
                    "effective_date": "2026-03-31"}


def test_enroll_disenroll_another_member_opens_an_empty_member_search(qa):
    page = disenroll(qa, "200000000001", "RIVERA", "ANA")

    page = qa.post(DISENROLLMENT, {"action": "another"})

    assert page.panels == ["Member Search"]
    assert page.value("Member ID") == "" and page.value("Provider ID") == "110000000A"


def test_cancel_returns_to_member_search_and_records_nothing(qa, frozen):
    page = search(qa, "200000000001", "RIVERA", "ANA")

    page = qa.post(DISENROLLMENT, {**page.hidden(), "reason": "Death", "action": "cancel"})

    assert page.panels == ["Member Search"]
    assert frozen.transactions() == []


def test_pending_disenrollment_shows_a_notice_yet_a_second_submit_is_recorded(qa, frozen):
    page = search(qa, "200000000005", "CHEN", "WEI")

    assert page.notices == ["A disenrollment for this member is pending, effective 03/31/2026."]
    page = qa.post(DISENROLLMENT, {**page.hidden(), "reason": "Death", "action": "submit"})
    assert page.panels == ["Disenrollment Confirmation"]
    assert len(frozen.transactions()) == 1


def test_a_submitted_disenrollment_shows_as_pending_on_the_next_search(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")

    page = search(qa, "200000000001", "RIVERA", "ANA")

    assert page.notices == ["A disenrollment for this member is pending, effective 03/31/2026."]
    disenroll(qa, "200000000001", "RIVERA", "ANA")
    assert [t["member_id"] for t in frozen.transactions()] == ["200000000001"] * 2


def test_crafted_submit_for_another_plans_member_is_refused(qa, frozen):
    page = search(qa, "200000000001", "RIVERA", "ANA")

    page = qa.post(DISENROLLMENT, {**page.hidden(), "member_id": "200000000004",
                                   "reason": "Death", "action": "submit"})

    assert page.alerts[0].startswith("The member is enrolled in One Care with another plan.")
    assert frozen.transactions() == []


def test_crafted_submit_for_a_plan_not_granted_is_refused(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.tufts", "Tufts-Passw0rd!")
    client.get(MEMBER_SEARCH)

    page = client.post(DISENROLLMENT, {"provider_id": "110000000A", "member_id": "200000000001",
                                       "reason": "Death", "action": "submit"})

    assert page.status == 403
    assert page.alerts == ["You are not authorized to act for the Provider ID entered."]
    assert frozen.transactions() == []


def test_crafted_submit_for_a_member_outside_one_care_is_refused(qa, frozen):
    qa.get(MEMBER_SEARCH)

    page = qa.post(DISENROLLMENT, {"provider_id": "110000000A", "member_id": "200000000003",
                                   "reason": "Death", "action": "submit"})

    assert page.alerts == ["The member is not currently enrolled in One Care."]
    assert frozen.transactions() == []


def test_reopening_the_disenrollment_address_leads_back_to_member_search(qa):
    page = qa.get(DISENROLLMENT)

    assert page.status == 200 and page.panels == ["Member Search"]


def test_the_fixture_may_replace_the_reasons(start_portal, tmp_path):
    fixture = tmp_path / "reasons.yaml"
    fixture.write_text(
        "users: [{user_id: u, email: u@example.org, password: p, totp_secret: JBSWY3DPEHPK3PXP,"
        " providers: ['110000000A']}]\n"
        "providers: [{provider_id: '110000000A', name: PLAN, type: one_care_plan}]\n"
        "members: [{member_id: '300000000001', last_name: A, first_name: B,"
        " one_care_plan: '110000000A'}]\n"
        "disenrollment_reasons: [Moved away, Other]\n")
    portal = start_portal(fixture=fixture)
    client = PortalClient.of(portal)
    client.login("u@example.org", "p", secret="JBSWY3DPEHPK3PXP")  # 16 characters will do

    page = search(client, "300000000001", "A", "B")

    assert page.texts("option") == ["-- Select --", "Moved away", "Other"]
