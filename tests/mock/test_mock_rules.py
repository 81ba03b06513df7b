"""The portal's business rules as pure functions: each rule, each refusal, and the order in
which the portal checks them."""

from __future__ import annotations

import datetime as dt

import pytest

from mock_portal import rules

TODAY = dt.date(2026, 3, 15)
FILLED = {"provider_id": "110000000A", "member_id": "100000000001", "last_name": "RIVERA",
          "first_name": "ANA"}


def member(**fields):
    return {"member_id": "100000000001", "last_name": "RIVERA", "first_name": "ANA",
            "one_care_plan": "110000000A", "pending_effective_date": None, **fields}


@pytest.mark.parametrize(("field", "message"), [
    ("provider_id", "Provider ID is required."),
    ("member_id", "Member ID is required."),
    ("last_name", "Last Name is required."),
    ("first_name", "First Name is required."),
])
def test_each_empty_search_field_is_refused_by_its_label(field, message):
    refusals = rules.search_form_refusals({**FILLED, field: "   "})
    assert [(r.message, r.fields) for r in refusals] == [(message, (field,))]


def test_every_empty_field_gets_its_own_line_in_panel_order():
    refusals = rules.search_form_refusals({})
    assert [r.message for r in refusals] == [
        "Provider ID is required.", "Member ID is required.", "Last Name is required.",
        "First Name is required."]


@pytest.mark.parametrize("member_id", ["10000000001", "1000000000011", "10000000000A",
                                       "１００００００００００１"])
def test_member_id_must_be_twelve_ascii_digits(member_id):
    [refusal] = rules.search_form_refusals({**FILLED, "member_id": member_id})
    assert refusal.message == "Member ID must be 12 digits."


def test_a_complete_search_form_passes():
    assert rules.search_form_refusals({**FILLED, "member_id": " 100000000001 "}) == []


def test_acting_for_a_plan_not_granted_is_refused():
    assert rules.acting_plan_refusal("110000005A", {"110000000A"}).message == (
        "You are not authorized to act for the Provider ID entered.")
    assert rules.acting_plan_refusal(" 110000000A ", {"110000000A"}) is None


@pytest.mark.parametrize(("entered", "on_file", "same"), [
    ("rivera", "RIVERA", True),
    ("  De La Cruz ", "DE LA CRUZ", True),
    ("o'brien", "O'BRIEN", True),
    ("OBRIEN", "O'BRIEN", False),
    ("SMITH JONES", "SMITH-JONES", False),
    ("WASHINGTON", "WASHINGTON JR", False),
    ("DELACRUZ", "DE LA CRUZ", False),
])
def test_names_match_exactly_but_for_case_and_surrounding_spaces(entered, on_file, same):
    assert rules.names_match(entered, on_file) is same


def check(found, **names):
    return rules.member_refusal(found, last_name=names.get("last", "RIVERA"),
                                first_name=names.get("first", "ANA"), plan="110000000A",
                                today=TODAY)


def test_unknown_member_is_refused():
    assert check(None).message == "No member was found for the Member ID entered."


def test_name_mismatch_is_refused_before_enrollment_is_looked_at():
    refusal = check(member(one_care_plan=None), last="RIVERAS")
    assert refusal.message.startswith("The member name entered does not match our records.")
    assert refusal.fields == ("last_name", "first_name")


def test_first_name_mismatch_is_refused():
    assert check(member(), first="ANNA").message.startswith("The member name entered")


def test_member_outside_one_care_is_refused():
    assert check(member(one_care_plan=None)).message == (
        "The member is not currently enrolled in One Care.")


def test_member_whose_disenrollment_took_effect_is_no_longer_enrolled():
    gone = member(pending_effective_date="2026-02-28")
    assert check(gone).message == "The member is not currently enrolled in One Care."


def test_member_of_another_plan_is_refused():
    assert check(member(one_care_plan="110000005A")).message.startswith(
        "The member is enrolled in One Care with another plan.")


def test_current_member_of_the_plan_may_be_disenrolled_even_with_one_pending():
    assert check(member()) is None
    assert check(member(pending_effective_date="2026-03-31")) is None


def test_resubmission_check_skips_the_names():
    found = member()
    assert rules.member_refusal(found, last_name=None, first_name=None, plan="110000000A",
                                today=TODAY) is None


def test_pending_effective_date_shows_until_it_passes():
    assert rules.pending_effective(member(pending_effective_date="2026-03-31"), TODAY) == (
        dt.date(2026, 3, 31))
    assert rules.pending_effective(member(pending_effective_date="2026-03-14"), TODAY) is None
    assert rules.pending_effective(member(), TODAY) is None


REASONS = ("Member request", "Death")


def test_reason_is_required():
    assert rules.reason_refusal("", REASONS).message == "Disenrollment Reason is required."


def test_reason_must_be_one_of_the_list():
    assert rules.reason_refusal("Bored", REASONS).message == (
        "Select a Disenrollment Reason from the list.")
    assert rules.reason_refusal("Death", REASONS) is None


@pytest.mark.parametrize(("day", "last"), [
    (dt.date(2026, 3, 15), dt.date(2026, 3, 31)),
    (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    (dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
    (dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
    (dt.date(2026, 4, 30), dt.date(2026, 4, 30)),
])
def test_disenrollment_takes_effect_the_last_calendar_day_of_the_month(day, last):
    assert rules.disenrollment_effective(day) == last


EFFECTIVE = dt.date(2019, 1, 1)


@pytest.mark.parametrize(("typed", "message"), [
    ("", "End Date is required."),
    ("  ", "End Date is required."),
    ("02/30/2026", "Dates must be in mm/dd/ccyy format."),
    ("2026-12-31", "Dates must be in mm/dd/ccyy format."),
    ("12/31/26", "Dates must be in mm/dd/ccyy format."),
    ("13/01/2026", "Dates must be in mm/dd/ccyy format."),
    ("12/31/2018", "End Date cannot be before the Effective Date."),
    ("03/14/2026", "End Date cannot be before today's date. MassHealth will not backdate the "
                   "effective date of a change."),
])
def test_end_date_refusals(typed, message):
    end, refusal = rules.end_date_refusal(typed, effective=EFFECTIVE, today=TODAY)
    assert end is None and refusal.message == message and refusal.fields == ("end_date",)


def test_effective_date_is_checked_before_today():
    _, refusal = rules.end_date_refusal("02/28/2026", effective=dt.date(2026, 3, 1), today=TODAY)
    assert refusal.message == "End Date cannot be before the Effective Date."


@pytest.mark.parametrize("typed", ["03/15/2026", "12/31/2026", " 06/30/2027 "])
def test_end_date_today_or_later_is_accepted(typed):
    end, refusal = rules.end_date_refusal(typed, effective=EFFECTIVE, today=TODAY)
    assert refusal is None and end == rules.parse_mmddyyyy(typed)


@pytest.mark.parametrize(("kind", "start"), [
    ("ltss", "Providers of those services falling under Long-Term Services and Supports"),
    ("dental", "Dentists cannot update via this portal."),
    ("orp", "Ordering, referring, and prescribing (ORP) providers cannot update"),
])
def test_ltss_dental_and_orp_cannot_update_their_profile(kind, start):
    assert rules.profile_refusal(kind).message.startswith(start)


@pytest.mark.parametrize("kind", ["group_practice", "individual", "one_care_plan"])
def test_other_providers_may_update_their_profile(kind):
    assert rules.profile_refusal(kind) is None


def test_dates_are_shown_as_mm_dd_yyyy():
    assert rules.mmddyyyy("2026-03-05") == "03/05/2026"
    assert rules.mmddyyyy(dt.date(2019, 1, 1)) == "01/01/2019"
    assert rules.mmddyyyy(None) == ""
