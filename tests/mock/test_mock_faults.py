"""Fault injection (`--faults`): the spec's parsing, and each fault on a real server."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.parse
import urllib.request

import pytest

from mock_portal import faults, menu
from tests.mock.conftest import (
    DISENROLLMENT,
    MEMBER_SEARCH,
    SESSION_ENDED,
    SESSION_EXPIRED,
    VG_LOGIN,
    VG_START,
    browser_search,
    browser_simple_login,
    search,
)
from tests.mock.portal_client import PortalClient


def test_spec_is_parsed():
    spec = faults.parse("error_rate=0.1, latency_ms=200-800,session_ttl_s=60,"
                        "lost_response_rate=0.05,lost_response_mode=cut,seed=7")

    assert spec == faults.Faults(error_rate=0.1, latency_ms=(200, 800), session_ttl_s=60.0,
                                 lost_response_rate=0.05, lost_response_mode="cut", seed=7)
    assert faults.parse("latency_ms=300").latency_ms == (300, 300)
    assert faults.parse("") == faults.parse(None) == faults.Faults()
    assert faults.Faults().lost_response_mode == "withhold"


@pytest.mark.parametrize(("spec", "says"), [
    ("error_rate=2", "error_rate must be between 0 and 1"),
    ("error_rate=lots", "error_rate must be a number"),
    ("latency_ms=800-200", "latency_ms must be MS or MIN-MAX"),
    ("latency_ms=fast", "latency_ms must be MS or MIN-MAX"),
    ("session_ttl_s=0", "session_ttl_s must be more than 0"),
    ("seed=1.5", "seed must be a whole number"),
    ("lost_response_mode=drop", "lost_response_mode must be one of withhold, cut, not 'drop'"),
    ("chaos=1", "unknown fault 'chaos'"),
    ("error_rate", "must be NAME=VALUE"),
    ("seed=1,seed=2", "given twice"),
])
def test_bad_spec_says_what_is_wrong(spec, says):
    with pytest.raises(faults.FaultSpecError, match=says):
        faults.parse(spec)


def statuses(url: str, count: int) -> list[int]:
    found = []
    for _ in range(count):
        try:
            with urllib.request.urlopen(f"{url}{menu.LOGIN}", timeout=10) as response:
                found.append(response.status)
        except urllib.error.HTTPError as error:
            assert "System Error" in error.read().decode()
            found.append(error.code)
    return found


def test_error_rate_with_a_seed_answers_the_same_requests_with_500(start_portal):
    first = start_portal(faults="error_rate=0.5,seed=11")
    second = start_portal(faults="error_rate=0.5,seed=11")

    sequence = statuses(first.url, 30)

    assert set(sequence) == {200, 500}
    assert statuses(second.url, 30) == sequence


def test_error_rate_fails_before_any_state_changes_and_spares_mock_and_static(start_portal):
    portal = start_portal(faults="error_rate=1")
    client = PortalClient.of(portal)

    assert client.get(menu.LOGIN).status == 500
    page = client.post(DISENROLLMENT, {"provider_id": "110000000A", "member_id": "100000000001",
                                       "reason": "Death", "action": "submit"}, token="x")
    assert page.status == 500
    assert portal.transactions() == []
    with urllib.request.urlopen(f"{portal.url}/_mock/health") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{portal.url}/static/error-icon.svg") as response:
        assert response.status == 200


def test_latency_is_added_to_pages_only(start_portal):
    portal = start_portal(faults="latency_ms=300-400")

    started = time.monotonic()
    urllib.request.urlopen(f"{portal.url}{menu.LOGIN}").close()
    page_time = time.monotonic() - started
    started = time.monotonic()
    urllib.request.urlopen(f"{portal.url}/_mock/health").close()
    health_time = time.monotonic() - started

    assert page_time >= 0.3
    assert health_time < 0.3


@pytest.mark.parametrize(("login", "notice", "lands_on"), [
    ("gateway", SESSION_ENDED, VG_LOGIN),  # the Virtual Gateway's Business Log In
    ("simple", SESSION_EXPIRED, menu.HOME),  # the POSC's login panel, at the panel's address
])
def test_session_lives_only_its_ttl_after_login(start_portal, login, notice, lands_on):
    portal = start_portal(faults="session_ttl_s=0.5", login=login)
    client = PortalClient.of(portal)
    logged_in = time.monotonic()  # at the latest: the session starts during the login
    assert "Welcome posc.demo" in client.login()
    assert client.get(menu.HOME).notices == []

    deadline = logged_in + 10
    while client.get(menu.HOME).notices != [notice]:
        assert time.monotonic() < deadline, "the session never expired"

    assert time.monotonic() - logged_in >= 0.5
    assert client.path() == lands_on
    assert "Welcome" not in client.last


def test_faults_apply_to_the_gateways_pages(start_portal):
    failing = start_portal(faults="error_rate=1")
    slow = start_portal(faults="latency_ms=300")

    for path in (VG_START, VG_LOGIN):
        assert PortalClient.of(failing).get(path).status == 500
        started = time.monotonic()
        assert PortalClient.of(slow).get(path).status == 200
        assert time.monotonic() - started >= 0.3
    with urllib.request.urlopen(f"{failing.url}/_mock/logins") as response:
        assert response.status == 200


def submit_over(portal, client: PortalClient, *, timeout: float) -> http.client.HTTPConnection:
    """A connection of its own that has sent the Disenrollment Submit for RIVERA, ANA."""
    page = search(client, "100000000001", "RIVERA", "ANA")
    assert page.panels == ["Disenrollment"]  # pages that commit nothing are answered
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
    body = urllib.parse.urlencode({**page.hidden(), "csrf_token": page.token, "reason": "Death",
                                   "action": "submit"})
    host, port = portal.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    connection.request("POST", DISENROLLMENT, body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    return connection


@pytest.mark.parametrize("spec", ["lost_response_rate=1",
                                  "lost_response_rate=1,lost_response_mode=withhold"])
def test_lost_response_commits_the_submission_and_never_answers(start_portal, spec):
    portal = start_portal(faults=spec)
    client = PortalClient.of(portal)
    client.login()
    connection = submit_over(portal, client, timeout=1.0)

    with pytest.raises((TimeoutError, socket.timeout)):
        connection.getresponse()
    connection.close()

    [sent] = portal.transactions()
    assert (sent["kind"], sent["member_id"]) == ("disenrollment", "100000000001")
    assert search(client, "100000000001", "RIVERA", "ANA").notices[0].startswith(
        "A disenrollment for this member is pending")


def test_lost_response_cut_closes_the_connection_without_a_byte(start_portal):
    portal = start_portal(faults="lost_response_rate=1,lost_response_mode=cut")
    client = PortalClient.of(portal)
    client.login()
    connection = submit_over(portal, client, timeout=10.0)

    # http.client's own words for a connection closed before any byte of a status line
    with pytest.raises(http.client.RemoteDisconnected):
        connection.getresponse()
    connection.close()

    [sent] = portal.transactions()
    assert (sent["kind"], sent["member_id"]) == ("disenrollment", "100000000001")
    assert client.get(MEMBER_SEARCH).status == 200  # other connections are not touched


def test_connections_are_kept_alive_past_uvicorns_default(start_portal):
    """What lets a browser reuse a connection, and so send a cut request again by itself."""
    portal = start_portal()
    host, port = portal.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/_mock/health")
    connection.getresponse().read()
    before = connection.sock

    time.sleep(6)  # uvicorn closes an idle connection after 5 s unless told otherwise
    connection.request("GET", "/_mock/health")

    assert connection.getresponse().status == 200
    assert connection.sock is before  # the same connection, not a new one
    connection.close()


@pytest.mark.parametrize(("mode", "sent"), [("cut", 2), ("withhold", 1)])
def test_chromium_sends_a_cut_submission_again_by_itself(start_portal, browser, mode, sent):
    """A plain browser loop clicks Submit once. Cut, the POST's connection (a reused one)
    closes empty and Chromium sends the same POST again: two disenrollments. Withheld, the
    browser waits: one."""
    portal = start_portal(login="simple",
                          faults=f"lost_response_rate=1,lost_response_mode={mode}")
    context = browser.new_context()
    page = context.new_page()
    browser_simple_login(page, portal)
    browser_search(page, portal)
    page.get_by_label("Disenrollment Reason", exact=True).select_option("Death")

    if mode == "cut":  # the resent POST is cut too, on a new connection: Chromium gives up
        with page.expect_event("requestfailed", timeout=30_000) as failed:
            page.get_by_role("button", name="Submit").click(no_wait_after=True)
        assert failed.value.failure == "net::ERR_EMPTY_RESPONSE"
    else:
        page.get_by_role("button", name="Submit").click(no_wait_after=True)
        deadline = time.monotonic() + 30
        while not portal.transactions():
            assert time.monotonic() < deadline, "the submission was never committed"
            time.sleep(0.2)
        time.sleep(3)  # time enough for a resend, were there one
    assert [row["member_id"] for row in portal.transactions()] == ["100000000001"] * sent
    context.close()


def test_lost_response_spares_a_refused_submission(start_portal):
    portal = start_portal(faults="lost_response_rate=1")
    client = PortalClient.of(portal)
    client.login()
    page = search(client, "100000000001", "RIVERA", "ANA")

    refused = client.post(DISENROLLMENT, {**page.hidden(), "reason": "", "action": "submit"})

    assert refused.alerts == ["Disenrollment Reason is required."]
    assert client.get(MEMBER_SEARCH).status == 200
