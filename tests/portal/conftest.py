"""The portal QA suite: a person's walk through each job aid, in Chromium.

    pytest tests/portal                          # against the bundled mock, started here
    pytest tests/portal --base-url URL           # against another instance of the portal

Against another instance the credentials come from POSC_USER / POSC_PASSWORD (and, behind the
Virtual Gateway, POSC_TOTP_SECRET: the bot's authenticator key) and the records
from POSC_PORTAL_DATA (a copy of portal-data.yaml); tests marked `mock_only` are skipped there
(they submit, read the mock's inspection endpoint or need its reset, or check the mock's own
wording where the job aids give none), and so are the `visual` ones (their baselines are the
bundled mock's). POSC_QA_TIMEOUT_MS (default 5000) is how long a
check waits for the portal before it fails.

    pytest tests/portal -m visual --update-baselines   # accept the current look as the baseline
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from robots.credentials import Credentials
from tests.portal import finding, walk

DATA = Path(__file__).with_name("portal-data.yaml")
TIMEOUT_MS = float(os.environ.get("POSC_QA_TIMEOUT_MS", "5000"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-baselines", action="store_true", default=False,
                     help="visual tests: store the current screenshots as the new baselines")


def given_url(config: pytest.Config) -> str | None:
    """The portal named on the command line (`--base-url`), or None for the bundled mock."""
    return config.getoption("--base-url", default=None) or config.getini("base_url") or None


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str:
    """The portal under test: `--base-url`, else the bundled mock started for the session."""
    given = given_url(pytestconfig)
    if given:
        return given.rstrip("/")
    return request.getfixturevalue("mock_portal_process").url


@pytest.fixture(scope="session", autouse=True)
def qa_timeouts() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def portal_data() -> dict:
    return yaml.safe_load(Path(os.environ.get("POSC_PORTAL_DATA", DATA)).read_text())


@pytest.fixture(autouse=True)
def fresh_portal(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> None:
    """The bundled mock starts each test from its fixture; another portal cannot be reset, so
    the tests that need that (or the inspection endpoint) are skipped against it."""
    if given_url(pytestconfig):
        if request.node.get_closest_marker("mock_only"):
            pytest.skip("needs the bundled mock (it submits, reads its inspection endpoint or checks its wording)")
        return
    request.getfixturevalue("mock_portal")


@pytest.fixture
def mock(request: pytest.FixtureRequest):
    """The bundled mock, for `mock_only` tests that read its inspection endpoint."""
    return request.getfixturevalue("mock_portal")


@pytest.fixture
def signed_in(page: Page, base_url: str, credentials: Credentials) -> Page:
    """A browser page on the POSC home page, logged in."""
    page.set_default_timeout(TIMEOUT_MS)
    walk.log_in(page, base_url, credentials)
    expect(finding.signed_in_marker(page).first, "the POSC home page after Log In").to_be_visible()
    return page
