"""Server-level tests of the mock portal: real server processes, driven over HTTP by a small
standard-library client (tests/mock/portal_client.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import FIXTURES, MockPortal
from tests.mock.portal_client import PortalClient

FROZEN = FIXTURES / "frozen.yaml"
BASE = "/EHSProviderPortal"
MEMBER_SEARCH = f"{BASE}/ManageMembers_Enrollment_EnrollDisenrollOneCareMembers/MemberSearch.jsf"
DISENROLLMENT = f"{BASE}/ManageMembers_Enrollment_EnrollDisenrollOneCareMembers/Disenrollment.jsf"
PROFILE = f"{BASE}/ManageProviderInformation_MaintainProfile_UpdateYourMassHealthProfile"
LIST_OF_PROVIDERS = f"{PROFILE}/ListOfProviders.jsf"
STEPS = f"{PROFILE}/Steps.jsf"
GROUP_PRACTICE_INFO = f"{PROFILE}/GroupPracticeInfo.jsf"
AGREEMENT = f"{PROFILE}/Agreement.jsf"
PROFILE_STATUS = (f"{BASE}/ManageProviderInformation_MaintainProfile_InquireProfileUpdateStatus"
                  "/Status.jsf")


@pytest.fixture(scope="session")
def frozen_process() -> Iterator[MockPortal]:
    """A mock on tests/fixtures/frozen.yaml: today is 2026-03-15."""
    with MockPortal(fixture=FROZEN) as portal:
        yield portal


@pytest.fixture
def frozen(frozen_process: MockPortal) -> MockPortal:
    frozen_process.reset()
    return frozen_process


@pytest.fixture
def qa(frozen: MockPortal) -> PortalClient:
    """qa.plan logged in to the frozen portal."""
    client = PortalClient(frozen.url)
    client.login("qa.plan", "QA-Passw0rd!")
    return client


@pytest.fixture
def demo(mock_portal: MockPortal) -> PortalClient:
    """posc.demo logged in to the default portal."""
    client = PortalClient(mock_portal.url)
    client.login()
    return client


@pytest.fixture
def start_portal() -> Iterator[Callable[..., MockPortal]]:
    """Starts a mock with other options; every one started is stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda **options: stack.enter_context(MockPortal(**options))


def search(client: PortalClient, member_id: str, last_name: str, first_name: str,
           provider_id: str = "110000000A"):
    client.get(MEMBER_SEARCH)
    return client.post(MEMBER_SEARCH, {"provider_id": provider_id, "member_id": member_id,
                                       "last_name": last_name, "first_name": first_name})


def disenroll(client: PortalClient, member_id: str, last_name: str, first_name: str,
              reason: str = "Member request", provider_id: str = "110000000A"):
    page = search(client, member_id, last_name, first_name, provider_id)
    assert page.panels == ["Disenrollment"], page.alerts
    return client.post(DISENROLLMENT, {**page.hidden(), "reason": reason, "action": "submit"})


def open_practitioner(client: PortalClient, practitioner: str, *, location: str = "1",
                      page: str = "1"):
    return client.get(GROUP_PRACTICE_INFO, provider="110000001A", location=location,
                      page=page, sort="asc", practitioner=practitioner)


def date_detail_action(client: PortalClient, action: str, end_date: str = ""):
    """Presses a Date Detail button on the page last opened (its form's hidden fields)."""
    assert client.last is not None
    return client.post(GROUP_PRACTICE_INFO,
                       {**client.last.hidden(), "end_date": end_date, "action": action})
