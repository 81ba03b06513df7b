"""The parsers for what a job file holds: member and provider IDs, NPIs, names and dates.

Member IDs and names are PHI: every refusal here also checks the message does not repeat them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from robots import fields
from robots.fields import FieldError


def refusal(parser, value) -> str:
    with pytest.raises(FieldError) as caught:
        parser(value)
    return str(caught.value)


# Member IDs: 12 digits.


def test_member_id_of_twelve_digits_is_kept_as_text():
    assert fields.member_id("100000000001") == "100000000001"


def test_member_id_with_surrounding_spaces_is_trimmed():
    assert fields.member_id("  100000000001 ") == "100000000001"


def test_member_id_with_leading_zero_keeps_it():
    assert fields.member_id("012345670123") == "012345670123"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("10000000001", "has 11 digits", id="eleven-digits"),
        pytest.param("1000000000011", "has 13 digits", id="thirteen-digits"),
        pytest.param("1000 0000 0001", "contains spaces", id="spaces-inside"),
        pytest.param("10000000000A", "other than the digits 0-9", id="a-letter"),
        pytest.param("1000-0000-0001", "other than the digits 0-9", id="dashes"),
        pytest.param("１００００００００００１", "other than the digits 0-9", id="full-width-digits"),
        pytest.param("100_000_000_001", "other than the digits 0-9", id="underscores"),
    ],
)
def test_malformed_member_id_says_what_is_wrong_without_repeating_it(value, reason):
    message = refusal(fields.member_id, value)
    assert reason in message
    assert value not in message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param(100000000001.0, "not a decimal number", id="float"),
        pytest.param(True, "not true/false", id="bool"),
        pytest.param(["100000000001"], "not a list", id="list"),
        pytest.param({"id": "100000000001"}, "not a mapping", id="mapping"),
        pytest.param(None, "is empty", id="none"),
        pytest.param("   ", "is empty", id="blank"),
    ],
)
def test_member_id_of_the_wrong_type_is_refused(value, reason):
    message = refusal(fields.member_id, value)
    assert reason in message
    assert "100000000001" not in message


# Provider IDs: nine digits and a service-location letter.


def test_provider_id_of_nine_digits_and_a_letter_is_accepted():
    assert fields.provider_id("110000000A") == "110000000A"


@pytest.mark.parametrize(
    "value",
    ["110000000", "1100000000", "110000000a", "11000000AB", "A110000000", "1100000 0A", "１１００００００００A"],
)
def test_malformed_provider_id_is_refused_with_the_expected_shape(value):
    assert "nine digits and a service-location letter" in refusal(fields.provider_id, value)


# NPIs: 10 digits, first 1 or 2, Luhn check digit over the prefix 80840.


def test_npi_with_a_good_check_digit_is_accepted():
    assert fields.npi("1234567893") == "1234567893"


@pytest.mark.parametrize("last", [d for d in "0123456789" if d != "3"])
def test_npi_with_any_other_check_digit_is_refused(last):
    assert "fails its check digit" in refusal(fields.npi, "123456789" + last)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("123456789", id="nine-digits"),
        pytest.param("12345678931", id="eleven-digits"),
        pytest.param("3234567893", id="starts-with-3"),
        pytest.param("0234567893", id="starts-with-0"),
        pytest.param("12345678A3", id="a-letter"),
    ],
)
def test_npi_of_the_wrong_shape_is_refused(value):
    assert "10 digits starting with 1 or 2" in refusal(fields.npi, value)


def test_npi_check_digit_follows_the_luhn_rule_over_prefix_80840():
    # CMS's worked example: 80840 + 123456789 -> check digit 3.
    assert fields.npi_check_digit_ok("1234567893")
    assert not fields.npi_check_digit_ok("1234567894")


# Person names: letters of any script, spaces, apostrophes, hyphens, periods.


@pytest.mark.parametrize(
    "name",
    ["O'BRIEN", "O’BRIEN", "SMITH-JONES", "WASHINGTON JR", "WASHINGTON JR.", "DE LA CRUZ", "JOSÉ", "NGUYỄN",
     "MÜLLER", "ÅSA", "Zoë"],
)
def test_real_names_are_accepted(name):
    assert fields.person_name(name) == name


def test_name_with_a_combining_accent_becomes_one_letter():
    decomposed = "JOSE\u0301"  # as a Mac keyboard may send it
    assert fields.person_name(decomposed) == "JOS\u00c9"


def test_name_with_runs_of_spaces_is_tidied():
    assert fields.person_name("  DE   LA  CRUZ ") == "DE LA CRUZ"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param("R1VERA", "only letters", id="a-digit"),
        pytest.param("RIVERA 3RD", "only letters", id="an-ordinal"),
        pytest.param("RIV\tERA", "control character", id="tab"),
        pytest.param("RIV\nERA", "control character", id="newline"),
        pytest.param("RIV\x00ERA", "control character", id="nul"),
        pytest.param("RIV\u200bERA", "control character", id="zero-width-space"),
        pytest.param("RIV\u202eERA", "control character", id="right-to-left-override"),
        pytest.param("-RIVERA", "only letters", id="starts-with-hyphen"),
        pytest.param("RIVERA, ANA", "only letters", id="a-comma"),
        pytest.param("R" * 61, "longer than 60", id="too-long"),
    ],
)
def test_name_with_digits_or_control_characters_is_refused_without_repeating_it(name, reason):
    message = refusal(lambda v: fields.person_name(v, "a last name"), name)
    assert reason in message
    assert message.startswith("a last name")
    assert name not in message


# Dates: ISO or MM/DD/YYYY.


@pytest.mark.parametrize(
    "text", ["2026-12-31", "12/31/2026", " 12/31/2026 "],
)
def test_date_in_either_format_is_read(text):
    assert fields.date(text) == dt.date(2026, 12, 31)


def test_date_with_one_digit_month_and_day_as_spreadsheets_write_it_is_read():
    assert fields.date("1/5/2026") == dt.date(2026, 1, 5)


def test_date_object_is_kept():
    assert fields.date(dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)


@pytest.mark.parametrize("text", ["02/30/2026", "13/01/2026", "2026-02-29", "00/10/2026", "2026-12-32", "0000-01-01"])
def test_impossible_date_is_refused(text):
    message = refusal(lambda v: fields.date(v, "an end date"), text)
    assert message == f"an end date {text!r} is not a real date"


@pytest.mark.parametrize("text", ["2026/12/31", "12-31-2026", "31.12.2026", "20261231", "Dec 31 2026", "tomorrow"])
def test_badly_formatted_date_is_refused_naming_both_formats(text):
    assert "must be YYYY-MM-DD or MM/DD/YYYY" in refusal(fields.date, text)


@pytest.mark.parametrize("value", ["2026-12-31T10:00:00", "2026-12-31 10:00", "12/31/2026 10:00 AM",
                                   dt.datetime(2026, 12, 31, 10, 0)])
def test_date_with_a_time_is_refused(value):
    assert "without a time" in refusal(fields.date, value)


def test_long_bad_value_is_shortened_in_the_message():
    message = refusal(fields.date, "x" * 10_000)
    assert len(message) < 200


# Labels and the portal address.


def test_label_collapses_whitespace():
    assert fields.label("  Member   request ") == "Member request"


def test_label_longer_than_a_hundred_characters_is_refused():
    assert "longer than 100" in refusal(fields.label, "x" * 101)


def test_portal_address_loses_its_trailing_slash():
    assert fields.portal_url("http://127.0.0.1:8700/") == "http://127.0.0.1:8700"


@pytest.mark.parametrize("value", ["ftp://example.org", "127.0.0.1:8700", "http://", "http://a b"])
def test_portal_address_that_is_not_http_is_refused(value):
    assert "http(s) address" in refusal(fields.portal_url, value)
