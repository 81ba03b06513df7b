"""Server-level tests of the mock portal: real server processes, driven over HTTP by a small
standard-library client (tests/mock/portal_client.py)."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import FIXTURES, MockPortal
from tests.mock.portal_client import PortalClient, Totp

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
BATCH_FILES = f"{BASE}/ManageBatchFiles/BatchFiles.jsf"
BATCH_FILE_DOWNLOAD = f"{BASE}/ManageBatchFiles/Download.jsf"
# The Virtual Gateway (--login gateway, the default)
VG_START = "/vg/"
VG_LOGIN = "/vg/login"
VG_VERIFY = "/vg/verify"
VG_APPLICATIONS = "/vg/applications"
SESSION_ENDED = "Your session has ended. Log in again."
SESSION_EXPIRED = "Your session has expired. Please log in again."
DEMO_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(scope="session")
def frozen_process() -> Iterator[MockPortal]:
    """A mock on tests/fixtures/frozen.yaml: today is 2026-03-15."""
    with MockPortal(fixture=FROZEN) as portal:
        yield portal


@pytest.fixture
def frozen(frozen_process: MockPortal) -> MockPortal:
    frozen_process.reset()
    return frozen_process


@pytest.fixture(scope="session")
def simple_process() -> Iterator[MockPortal]:
    """A mock with the POSC's own login panel (`--login simple`), bundled default fixture."""
    with MockPortal(login="simple") as portal:
        yield portal


@pytest.fixture
def simple(simple_process: MockPortal) -> MockPortal:
    simple_process.reset()
    return simple_process


@pytest.fixture
def qa(frozen: MockPortal) -> PortalClient:
    """qa.plan logged in to the frozen portal."""
    client = PortalClient.of(frozen)
    client.login("qa.plan", "QA-Passw0rd!")
    return client


@pytest.fixture
def demo(mock_portal: MockPortal) -> PortalClient:
    """posc.demo logged in to the default portal."""
    client = PortalClient.of(mock_portal)
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


def logins(portal: MockPortal) -> list[dict]:
    """The portal's log of login attempts (/_mock/logins)."""
    with urllib.request.urlopen(f"{portal.url}/_mock/logins", timeout=10) as response:
        return json.load(response)


def current_step(period_s: int = 30) -> int:
    """The time step now, far enough from its end that a code computed for it (or for a step
    counted from it) reaches the server within the same step: a test never straddles two."""
    left = period_s - time.time() % period_s
    if left < min(2, period_s / 4):
        time.sleep(left + 0.05)
    return Totp("A" * 16, interval=period_s).timecode(time.time())


def code(secret: str, step: int, period_s: int = 30) -> str:
    """What an authenticator app holding `secret` shows during `step`."""
    return Totp(secret, interval=period_s).generate_otp(step)


def browser_login(page, portal: MockPortal, email: str = "posc.demo@example.org",
                  password: str = "Demo-Passw0rd!", secret: str = DEMO_SECRET) -> None:
    """A person's way in, in a browser: the Virtual Gateway's Business Log In, the code, the
    POSC from My Applications (by label and role only, as the robot does)."""
    url = portal.url
    page.goto(f"{url}/")
    page.get_by_role("link", name="Business Log In").click()
    page.get_by_label("Email Address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()
    period_s = PortalClient.of(portal).period_s
    page.get_by_label("Verification Code", exact=True).fill(Totp(secret, interval=period_s).now())
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Provider Online Service Center (POSC)").click()
    page.get_by_role("link", name="Log Out").wait_for()


def browser_simple_login(page, portal: MockPortal, user: str = "posc.demo",
                         password: str = "Demo-Passw0rd!") -> None:
    """The POSC's own login panel (`--login simple`), in a browser, by label and role."""
    page.goto(f"{portal.url}/")
    page.get_by_label("User ID", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()
    page.get_by_role("link", name="Log Out").wait_for()


def browser_search(page, portal: MockPortal, member_id: str = "100000000001",
                   last_name: str = "RIVERA", first_name: str = "ANA") -> None:
    """Member Search opened, filled in and sent (Search), in a browser; returns at once."""
    page.goto(f"{portal.url}{MEMBER_SEARCH}")
    page.get_by_label("Member ID", exact=True).fill(member_id)
    page.get_by_label("Last Name", exact=True).fill(last_name)
    page.get_by_label("First Name", exact=True).fill(first_name)
    page.get_by_role("button", name="Search").click()


def mock_call(portal: MockPortal, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    """A mock-only endpoint: its status, headers (lower-case names) and body, errors too."""
    request = urllib.request.Request(f"{portal.url}{path}", method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def advance(portal: MockPortal, days: int) -> str:
    """Moves the portal's clock `days` forward (/_mock/advance); returns its new today."""
    status, _, body = mock_call(portal, f"/_mock/advance?days={days}", "POST")
    assert status == 200, body
    return json.loads(body)["today"]


def portal_today(portal: MockPortal) -> str:
    return json.loads(mock_call(portal, "/_mock/today")[2])["today"]


def mock_834(portal: MockPortal, plan: str, month: str) -> str:
    """The plan's 834 for the month (/_mock/834), as text."""
    status, headers, body = mock_call(portal, f"/_mock/834?plan={plan}&month={month}")
    assert status == 200, body
    assert headers["content-type"].startswith("text/plain")
    return body.decode("ascii")
