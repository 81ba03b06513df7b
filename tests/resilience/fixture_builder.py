"""Fixtures for the resilience tests: as many members and practitioners as a test needs,
each record known to succeed, so that any other ending is the robot's doing."""

from __future__ import annotations

from pathlib import Path

import yaml

from robots.credentials import Credentials
from robots.fields import npi_check_digit_ok
from tests.conftest import TEST_TOTP_PERIOD_S, authenticator_uri

PLAN = "110000000A"
GROUP = "110000001A"
LOCATION = "MAIN STREET CLINIC"
USER, PASSWORD = "bot.resilience", "Resilience-Passw0rd!"
EMAIL, AUTHENTICATOR = "bot.resilience@example.org", "KRSXG5CTMVRXEZLUKN2XAZLSKNSWC4DP"
LAST_NAMES = ["RIVERA", "O'BRIEN", "SMITH-JONES", "DE LA CRUZ", "NGUYEN", "MURPHY", "CHEN", "KELLY", "BAKER", "GARCIA"]
FIRST_NAMES = ["ANA", "SEAN", "MARY", "GEORGE", "MARIA", "THANH", "KATE", "WEI", "JOSE", "LINDA"]


def credentials() -> Credentials:
    """The resilience fixture's bot, at its Virtual Gateway login."""
    return Credentials(EMAIL, PASSWORD, authenticator_uri(AUTHENTICATOR))


def member(n: int) -> dict:
    return {
        "member_id": f"{300000000000 + n}",
        "last_name": f"{LAST_NAMES[n % 10]}",
        "first_name": f"{FIRST_NAMES[(n // 10) % 10]}",
    }


def practitioner_name(n: int) -> str:
    # Distinct names that sort in number order: "PRACTITIONER, AAA", "PRACTITIONER, AAB", ...
    letters = "".join(chr(ord("A") + (n // 26**i) % 26) for i in (2, 1, 0))
    return f"PRACTITIONER, {letters}"


def valid_npi(n: int) -> str:
    base = f"1{n:08d}"
    return next(base + d for d in "0123456789" if npi_check_digit_ok(base + d))


def write_fixture(folder: Path, members: int, practitioners: int) -> Path:
    fixture = {
        "gateway": {"totp_period_s": TEST_TOTP_PERIOD_S},
        "users": [{"user_id": USER, "email": EMAIL, "password": PASSWORD, "totp_secret": AUTHENTICATOR,
                   "providers": [PLAN, GROUP]}],
        "providers": [
            {"provider_id": PLAN, "name": "COMMONWEALTH CARE ALLIANCE ONE CARE", "type": "one_care_plan"},
            {
                "provider_id": GROUP,
                "name": "BAY STATE FAMILY MEDICINE GROUP",
                "type": "group_practice",
                "locations": [
                    {
                        "dba_name": LOCATION,
                        "address": "100 MAIN STREET",
                        "city": "SPRINGFIELD",
                        "state": "MA",
                        "zip": "01103",
                        "servicing_providers": [
                            {
                                "provider_id": f"{500000000 + n}A",
                                "npi": valid_npi(n),
                                "name": practitioner_name(n),
                                "provider_type": "Physician",
                                "effective_date": "2019-01-01",
                                "end_date": None,
                            }
                            for n in range(practitioners)
                        ],
                    }
                ],
            },
        ],
        "members": [{**member(n), "one_care_plan": PLAN} for n in range(members)],
    }
    path = folder / "fixture.yaml"
    path.write_text(yaml.safe_dump(fixture, sort_keys=False), encoding="utf-8")
    return path


def disenroll_records(count: int) -> list[dict]:
    return [member(n) for n in range(count)]


def unlink_records(count: int, end_date: str) -> list[dict]:
    return [
        {"location": LOCATION, "practitioner": practitioner_name(n), "npi": valid_npi(n), "end_date": end_date}
        for n in range(count)
    ]
