"""Parsers for the values a job file holds: IDs, names, dates.

Each parser takes what YAML or CSV gave and returns the clean value, or raises `FieldError`
with a message fit to show a user. Messages never repeat a member's ID or name (PHI): they say
what is wrong with it, not what it is.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# ASCII digits only: `\d` alone also takes full-width and Arabic-Indic digits, which would be
# typed into the portal as they are.
MEMBER_ID = re.compile(r"\d{12}", re.ASCII)
PROVIDER_ID = re.compile(r"\d{9}[A-Z]", re.ASCII)
NPI = re.compile(r"[12]\d{9}", re.ASCII)
# One-digit months and days too: a spreadsheet's default short date is 1/5/2026.
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
DATE_WITH_TIME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})[T ]+\d.*", re.ASCII)
# Letters of any script, with the spaces, apostrophes, hyphens and periods real names carry.
PERSON_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’.\-])*", re.UNICODE)
MAX_TEXT = 100
# Control and invisible format characters: tabs, line breaks, zero-width and direction marks.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


class FieldError(ValueError):
    """A value that cannot be used; the message says why without echoing PHI."""


def _text(value: object, what: str) -> str:
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif value is None:
        raise FieldError(f"{what} is empty")
    else:
        raise FieldError(f"{what} must be text, not {_type_name(value)}")
    if not text:
        raise FieldError(f"{what} is empty")
    if CONTROL.search(text):
        raise FieldError(f"{what} contains a control character (a tab or line break?)")
    if text.isascii():
        return text
    # One spelling for one name: an accent typed on a Mac arrives as a letter plus a combining
    # mark, which is neither a letter to the name check nor the same text to the portal.
    return unicodedata.normalize("NFC", text)


def _shown(text: str) -> str:
    """A value quoted in a message (never PHI): short enough to read in a terminal."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


# What a spreadsheet makes of a long ID kept as a number: 1.00E+11, 1.23457E+11, 100000000001.0
SPREADSHEET_NUMBER = re.compile(r"\d+(\.\d+)?[eE]\+?\d+|\d+\.0+", re.ASCII)
SPREADSHEET_HINT = ("it looks like a number a spreadsheet rewrote: format the column as Text, type the IDs again "
                    "and export again")


def member_id(value: object) -> str:
    text = _text(value, "a member ID")
    if not MEMBER_ID.fullmatch(text):
        if SPREADSHEET_NUMBER.fullmatch(text):
            # Never echoed: even rewritten, a member ID is PHI.
            raise FieldError(f"a member ID is 12 digits; this one is written as a decimal number: {SPREADSHEET_HINT}")
        raise FieldError(f"a member ID is 12 digits; this one {_describe_digits(text)}")
    return text


def _describe_digits(text: str) -> str:
    if any(ch.isspace() for ch in text):
        return "contains spaces"
    if not (text.isascii() and text.isdigit()):
        return "contains characters other than the digits 0-9"
    return f"has {len(text)} digits"


def provider_id(value: object) -> str:
    text = _text(value, "a provider ID")
    if not PROVIDER_ID.fullmatch(text):
        raise FieldError(
            f"a provider ID is nine digits and a service-location letter (110000000A), got {_shown(text)}"
        )
    return text


def npi(value: object) -> str:
    text = _text(value, "an NPI")
    if SPREADSHEET_NUMBER.fullmatch(text):
        raise FieldError(f"an NPI is 10 digits, not {_shown(text)}: {SPREADSHEET_HINT}")
    if not NPI.fullmatch(text):
        raise FieldError(f"an NPI is 10 digits starting with 1 or 2, got {_shown(text)}")
    if not npi_check_digit_ok(text):
        raise FieldError(f"the NPI {_shown(text)} fails its check digit")
    return text


def npi_check_digit_ok(number: str) -> bool:
    """Luhn over the prefix 80840 plus the NPI's first nine digits (CMS's NPI standard)."""
    digits = [int(d) for d in "80840" + number[:9]]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(number[9])


def person_name(value: object, what: str = "a name") -> str:
    text = _text(value, what)
    if len(text) > 60:
        raise FieldError(f"{what} is longer than 60 characters")
    if not PERSON_NAME.fullmatch(text):
        raise FieldError(f"{what} may hold only letters, spaces, apostrophes, hyphens and periods")
    return " ".join(text.split())


def label(value: object, what: str = "a label") -> str:
    text = _text(value, what)
    if len(text) > MAX_TEXT:
        raise FieldError(f"{what} is longer than {MAX_TEXT} characters")
    return " ".join(text.split())


def date(value: object, what: str = "a date") -> dt.date:
    """ISO (2026-12-31) or MM/DD/YYYY (12/31/2026); YAML may already have made it a date."""
    if isinstance(value, dt.datetime):
        raise FieldError(f"{what} must be a date without a time")
    if isinstance(value, dt.date):
        return value
    text = _text(value, what)
    if DATE_WITH_TIME.fullmatch(text):
        raise FieldError(f"{what} must be a date without a time, got {_shown(text)}")
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := US_DATE.fullmatch(text):
        month, day, year = match.groups()
    else:
        raise FieldError(f"{what} must be YYYY-MM-DD or MM/DD/YYYY, got {_shown(text)}")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise FieldError(f"{what} {_shown(text)} is not a real date") from None


def portal_url(value: object) -> str:
    text = _text(value, "the portal address")
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s]*)?", text):
        raise FieldError(f"the portal must be an http(s) address, got {_shown(text)}")
    return text.rstrip("/")


def us_date(value: dt.date) -> str:
    """A date as the portal shows and takes it: MM/DD/YYYY."""
    return value.strftime("%m/%d/%Y")
