"""National Provider Identifiers: ten digits, the last a Luhn check digit computed over the
prefix 80840 plus the first nine digits (CMS, "NPI check digit")."""

from __future__ import annotations

NPI_PREFIX = "80840"


def check_digit(first_nine: str) -> int:
    """The Luhn check digit that completes `first_nine` into an NPI."""
    total = 0
    # Counting from the right of the payload, every first, third... digit is doubled, since
    # the check digit will take the rightmost place.
    for position, char in enumerate(reversed(NPI_PREFIX + first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid(npi: str) -> bool:
    return (
        len(npi) == 10
        and npi.isascii()
        and npi.isdigit()
        and npi[0] in "12"
        and check_digit(npi[:9]) == int(npi[9])
    )


def complete(first_nine: str) -> str:
    """`first_nine` followed by its check digit."""
    return first_nine + str(check_digit(first_nine))
