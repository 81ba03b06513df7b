"""PHI never reaches the console or the log unmasked."""

from __future__ import annotations

import logging

from robots.masking import RedactingFilter, mask_member_id, redact, scrub


def test_member_id_keeps_only_its_last_four_digits():
    assert mask_member_id("100000000001") == "••••••••0001"


def test_member_ids_in_free_text_are_masked_but_other_numbers_are_not():
    text = "member 100000000001 and NPI 1234567893 on 11/30/2026"
    assert redact(text) == "member ••••••••0001 and NPI 1234567893 on 11/30/2026"


def test_scrub_masks_the_records_names_as_whole_words_only():
    text = "Name RIVERA, ANA does not match; Manage Members"
    assert scrub(text, ("RIVERA", "ANA")) == "Name R•••, A••• does not match; Manage Members"


def test_the_log_filter_masks_member_ids_in_formatted_messages():
    record = logging.LogRecord("posc", logging.INFO, __file__, 1, "member %s", ("100000000001",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "member ••••••••0001"
