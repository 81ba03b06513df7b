"""Shared test set-up: Debian's (or Playwright's) Chromium for pytest-playwright, and the
bundled mock portal as a real server process, reset between tests."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import urllib.request
from pathlib import Path

import pytest

from mock_portal.fixture import default_path as default_fixture_path
from robots.credentials import Credentials
from robots.engine.browser import LAUNCH_ARGS, find_chromium
from robots.engine.login_budget import LoginBudget
from robots.engine.portal_process import PortalProcess
from robots.one_time_codes import OneTimeCodes

FIXTURES = Path(__file__).parent / "fixtures"

# The bundled mock's demo user (mock_portal/fixtures/default.yaml); another portal instance
# gets its credentials from the environment.
DEMO_EMAIL = "posc.demo@example.org"
DEMO_USER = "posc.demo"
DEMO_PASSWORD = "Demo-Passw0rd!"
DEMO_AUTHENTICATOR = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The tests' mock portals take a verification code every 2 seconds rather than 30 (RFC 6238
# allows any step; the rules are the same): a test's second login waits 2 s for a fresh code,
# not half a minute. Safe under the faults' latencies, which stay under a step.
TEST_TOTP_PERIOD_S = 2

# Who certifies the unlinks' Agreement in the tests' jobs (`certified_by`).
CERTIFIER = {"name": "Dana Whitfield", "title": "Practice Manager"}

# Each test process remembers the authenticator steps its logins used in a folder of its own.
os.environ["POSC_STATE_DIR"] = tempfile.mkdtemp(prefix="posc-state-")


def authenticator_uri(secret: str = DEMO_AUTHENTICATOR, period: int = TEST_TOTP_PERIOD_S) -> str:
    """The authenticator as its QR code gives it: the key and the step."""
    return f"otpauth://totp/posc-robot%20tests:bot?secret={secret}&period={period}"


def credentials_env(credentials: Credentials) -> dict[str, str]:
    """The credentials as an ops person sets them for `posc`: in its environment."""
    env = {"POSC_USER": credentials.user, "POSC_PASSWORD": credentials.password}
    if credentials.authenticator:
        env["POSC_TOTP_SECRET"] = credentials.authenticator
    return env


def open_gate(credentials: Credentials) -> LoginBudget:
    """A login gate for one page's login in a test: no gap, fresh verification codes."""
    codes = OneTimeCodes(credentials.user, credentials.authenticator) if credentials.authenticator else None
    return LoginBudget("the test portal", gap_s=0, codes=codes)


def demo_credentials() -> Credentials:
    return Credentials(DEMO_EMAIL, DEMO_PASSWORD, authenticator_uri())


@functools.cache
def fast_mfa_default_fixture() -> Path:
    """The bundled default fixture, its gateway taking a code every TEST_TOTP_PERIOD_S."""
    folder = Path(tempfile.mkdtemp(prefix="posc-fixture-"))
    path = folder / "default-fast-mfa.yaml"
    path.write_text(f"gateway:\n  totp_period_s: {TEST_TOTP_PERIOD_S}\n" + default_fixture_path().read_text())
    return path


# `pytest --portal-variant ajax tests/flows tests/resilience` runs those suites on the mock's
# in-place (JSF/AJAX) release: every mock a test starts without a variant of its own is that one.
DEFAULT_VARIANT: list[str | None] = [None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--portal-variant", default=None,
                     help="the mock portal's release for every test that names none (classic, restyled, ajax)")


def pytest_configure(config: pytest.Config) -> None:
    DEFAULT_VARIANT[0] = config.getoption("--portal-variant")


class MockPortal(PortalProcess):
    """The mock portal process plus its inspection endpoint. Without a fixture: the bundled
    default, with the tests' short verification-code step."""

    def __init__(self, **options) -> None:
        if options.get("fixture") is None:
            options["fixture"] = fast_mfa_default_fixture()
        if options.get("variant") is None:
            options["variant"] = DEFAULT_VARIANT[0]
        super().__init__(**options)

    def transactions(self) -> list[dict]:
        return self._get("/_mock/transactions")

    def logins(self) -> list[dict]:
        return self._get("/_mock/logins")

    def _get(self, path: str) -> list[dict]:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
            return json.load(response)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/_mock/reset", method="POST", data=b"")
        urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": find_chromium(),
        "args": [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS],
    }


@pytest.fixture(scope="session")
def credentials() -> Credentials:
    """The bot's login: POSC_USER, POSC_PASSWORD and POSC_TOTP_SECRET for another portal
    instance, else the bundled mock's demo user."""
    if user := os.environ.get("POSC_USER"):
        return Credentials(user, os.environ.get("POSC_PASSWORD", ""), os.environ.get("POSC_TOTP_SECRET") or None)
    return demo_credentials()


@pytest.fixture(scope="session")
def mock_portal_process():
    """One mock portal (bundled default fixture) for the whole session."""
    with MockPortal() as portal:
        yield portal


@pytest.fixture
def mock_portal(mock_portal_process: MockPortal) -> MockPortal:
    """The session's mock portal, reset to its fixture before the test."""
    mock_portal_process.reset()
    return mock_portal_process


@pytest.fixture
def start_portal():
    """Starts a mock with other options (`start_portal(login="simple")`); every one started is
    stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda **options: stack.enter_context(MockPortal(**options))
