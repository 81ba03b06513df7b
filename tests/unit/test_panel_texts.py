"""What the flows read off a panel's text: the Processing panel's request number."""

from __future__ import annotations

import pytest

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
