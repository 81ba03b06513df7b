"""Logging in (flows/login.py) on the real mock: from the portal's address, and from a start
page that only links to the login panel, as the Virtual Gateway's does."""

from __future__ import annotations

import urllib.parse

from flows.login import is_logged_in, log_in
from robots.credentials import Credentials
from robots.engine.page_status import home_url
from tests.conftest import DEMO_PASSWORD, DEMO_USER, open_gate
from tests.flows.conftest import in_chromium


def _log_in_from(start_url: str, credentials: Credentials):
    async def twice(page):
        first = await log_in(page, start_url, credentials, gate=open_gate(credentials), timeout_ms=15_000)
        again = await log_in(page, start_url, credentials, gate=open_gate(credentials), timeout_ms=15_000)
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


def test_the_virtual_gateways_chain_is_walked_to_the_posc_with_one_completed_login(mock_portal, credentials):
    first, again, signed_in, _ = _log_in_from(mock_portal.url, credentials)

    assert (first, again, signed_in) == (True, False, True)
    assert [attempt["outcome"] for attempt in mock_portal.logins()] == ["password_ok", "ok"]


def test_a_portal_with_its_own_user_id_panel_is_logged_in_there(start_portal):
    portal = start_portal(login="simple")

    first, _, signed_in, _ = _log_in_from(portal.url, Credentials(DEMO_USER, DEMO_PASSWORD))

    assert first and signed_in
    assert [attempt["outcome"] for attempt in portal.logins()] == ["ok"]


def test_each_panel_of_the_chain_is_named_as_it_shows(mock_portal, credentials):
    shown = []

    async def walk(page):
        async def seen(stem):
            shown.append(stem)

        return await log_in(page, mock_portal.url, credentials, gate=open_gate(credentials), timeout_ms=15_000,
                            on_panel=seen)

    assert in_chromium(walk)
    assert shown == ["gateway_start", "login", "verification_code", "applications"]
