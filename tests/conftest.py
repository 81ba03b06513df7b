"""Shared test set-up: Debian's (or Playwright's) Chromium for pytest-playwright, and the
bundled mock portal as a real server process, reset between tests."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from robots.engine.browser import LAUNCH_ARGS, find_chromium
from robots.engine.portal_process import PortalProcess

FIXTURES = Path(__file__).parent / "fixtures"

# The bundled mock's demo user (mock_portal/fixtures/default.yaml); another portal instance
# gets its credentials from the environment.
DEMO_USER = "posc.demo"
DEMO_PASSWORD = "Demo-Passw0rd!"


class MockPortal(PortalProcess):
    """The mock portal process plus its inspection endpoint."""

    def transactions(self) -> list[dict]:
        with urllib.request.urlopen(f"{self.url}/_mock/transactions", timeout=10) as response:
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
def credentials() -> tuple[str, str]:
    return os.environ.get("POSC_USER", DEMO_USER), os.environ.get("POSC_PASSWORD", DEMO_PASSWORD)


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
