"""What the flows read off a panel's text: the Processing panel's request number; a refusal
that says the member's disenrollment is done already."""

from __future__ import annotations

import pytest

from flows.disenroll_one_care import ALREADY
from flows.group_unlink import REQUEST_NUMBER


@pytest.mark.parametrize(("text", "number"), [
    ("Request ID: R-000012 All provider file update requests", "R-000012"),
    ("Your update request has been submitted. Request Number: 2026112600001 All", "2026112600001"),
    ("Request #1234 received", "1234"),
    ("Confirmation No. 77", "77"),
])
def test_the_request_number_is_read_however_the_portal_words_it(text, number):
    assert REQUEST_NUMBER.search(text).group(1) == number


@pytest.mark.parametrize("text", ["the request idles", "Request Nobody", "All requests will be processed"])
def test_words_that_only_begin_like_a_number_label_are_not_one(text):
    assert REQUEST_NUMBER.search(text) is None


@pytest.mark.parametrize("message", [
    "A disenrollment for this member is pending, effective 11/30/2026.",
    "A disenrollment request has already been submitted for this member.",
    "The member is already disenrolled from One Care.",
    "This member's disenrollment was already received.",
])
def test_a_refusal_saying_the_disenrollment_exists_means_already_done(message):
    assert ALREADY.search(message)


@pytest.mark.parametrize("message", [
    "No member was found for the Member ID entered.",
    "The member is not currently enrolled in One Care.",
    "The Last Name entered does not match the member's record.",
    "The member is enrolled with another One Care organization.",
    "Disenrollment Reason is required.",
])
def test_the_other_refusals_stay_refusals(message):
    assert not ALREADY.search(message)
