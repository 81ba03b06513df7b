"""Logging in (flows/login.py) on the real mock: from the portal's address, and from a start
page that only links to the login panel, as the Virtual Gateway's does."""

from __future__ import annotations

import urllib.parse

from flows.login import home_url, is_logged_in, log_in
from robots.credentials import Credentials
from tests.flows.conftest import in_chromium


def _log_in_from(start_url: str, credentials: tuple[str, str]):
    async def twice(page):
        first = await log_in(page, start_url, Credentials(*credentials), timeout_ms=15_000)
        again = await log_in(page, start_url, Credentials(*credentials), timeout_ms=15_000)
        return first, again, await is_logged_in(page), home_url(page, start_url)

    return in_chromium(twice)


def test_logs_in_once_and_remembers_the_home_it_landed_on(mock_portal, credentials):
    first, _, signed_in, home = _log_in_from(mock_portal.url, credentials)

    assert first and signed_in
    assert home.startswith(mock_portal.url) and home.rstrip("/") != mock_portal.url.rstrip("/")


def test_a_start_page_that_only_links_to_the_login_panel_is_followed(mock_portal, credentials):
    start = "data:text/html," + urllib.parse.quote(
        f'<!DOCTYPE html><title>Virtual Gateway</title><h1>Welcome to the Virtual Gateway</h1>'
        f'<a href="{mock_portal.url}/">Log In</a>'
    )

    first, _, signed_in, home = _log_in_from(start, credentials)

    assert first and signed_in
    assert home.startswith(mock_portal.url)
