"""The ajax release (`--variant ajax`): Search, Submit and Group Practice Info's choices,
paging and buttons answered in place by JSF partial responses, after a delay; ids new at
every render. Real server processes, over HTTP (the protocol) and in a real Chromium (the
page's script: what a robot meets)."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.parse
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from mock_portal import partial
from tests.conftest import MockPortal
from tests.mock.conftest import (
    DISENROLLMENT,
    GROUP_PRACTICE_INFO,
    LIST_OF_PROVIDERS,
    MEMBER_SEARCH,
    SESSION_ENDED,
    SESSION_EXPIRED,
    VG_LOGIN,
    browser_login,
    browser_search,
    browser_simple_login,
)
from tests.mock.portal_client import FACES_REQUEST, RENDER_HEADER, PortalClient

POSC_LOGIN = "/EHSProviderPortal/login.jsf"
RIVERA = {"provider_id": "110000000A", "member_id": "100000000001", "last_name": "RIVERA",
          "first_name": "ANA", "action": "search"}
EMPTY_SEARCH = {"provider_id": "110000000A", "member_id": "", "last_name": "",
                "first_name": "", "action": "search"}
SAVED = "Your changes have been saved. Select Submit to submit the update request."
ALERT = re.compile(r'<div class="posc-errors" role="alert">.*?</div>', re.DOTALL)

# Records, in the page, what happens to the region shown from the next click on: when the
# click came, when the region left the document, and every change made to it before.
WATCH = """() => {
    const region = document.querySelector('[data-faces-region]');
    const parent = region.parentNode;
    const watch = window.__watch = {clicked: null, replaced: null, changes: []};
    window.__region = region;
    document.addEventListener('click', () => { watch.clicked ??= performance.now(); }, true);
    new MutationObserver(records => {
        for (const record of records) {
            if (record.target === parent) {
                if (!region.isConnected && watch.replaced === null) watch.replaced = performance.now();
            } else if (watch.replaced === null) {
                watch.changes.push(record.type + ' ' + (record.attributeName || ''));
            }
        }
    }).observe(parent, {childList: true, subtree: true, attributes: true,
                                   characterData: true});
}"""


@pytest.fixture(scope="module")
def ajax_process():
    with MockPortal(variant="ajax", login="simple") as portal:
        yield portal


@pytest.fixture
def ajax(ajax_process: MockPortal) -> MockPortal:
    ajax_process.reset()
    return ajax_process


@pytest.fixture
def client(ajax: MockPortal) -> PortalClient:
    """posc.demo logged in to the ajax portal (its own login panel)."""
    client = PortalClient.of(ajax)
    assert "Welcome posc.demo" in client.login()
    return client


@pytest.fixture
def browser_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


# --- the protocol, over HTTP ----------------------------------------------------------------

def test_search_is_answered_with_a_partial_response_after_a_delay(client):
    region = client.get(MEMBER_SEARCH).region_id

    answer = client.partial(MEMBER_SEARCH, RIVERA)

    assert answer.status == 200
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<partial-response>'
                                  f'<changes><update id="{region}"><![CDATA[<main ')
    assert list(answer.updates) == [region]  # the region named by the request
    shown = answer.region()
    assert shown.h1 == "Enroll/Disenroll One Care Members"
    assert shown.panels == ["Disenrollment"]
    assert shown.region_id != region  # the new region has an id of its own render
    assert answer.elapsed_s >= 0.15


def test_a_full_request_still_gets_the_full_page(client):
    client.get(MEMBER_SEARCH)

    page = client.post(MEMBER_SEARCH, RIVERA)

    assert page.html.startswith("<!DOCTYPE html>")
    assert page.panels == ["Disenrollment"]
    assert '<script src="/static/partial.js" defer></script>' in page.html


def test_ids_are_new_at_every_render(client, demo):
    first, second = client.get(MEMBER_SEARCH), client.get(MEMBER_SEARCH)
    answer = client.partial(MEMBER_SEARCH, EMPTY_SEARCH)

    assert first.region_id != second.region_id
    assert set(first.ids).isdisjoint(second.ids)
    assert set(answer.region().ids).isdisjoint(second.ids)
    assert demo.get(MEMBER_SEARCH).ids == demo.get(MEMBER_SEARCH).ids  # classic: stable


def test_group_practice_info_answers_its_choices_in_place(client):
    page = client.get(GROUP_PRACTICE_INFO, provider="110000001A")
    links = dict(re.findall(r'<a href="([^"]*)"([^>]*)>', page.html))
    assert links[f"{GROUP_PRACTICE_INFO}?provider=110000001A"] == ""  # Steps: a page load
    location = f"{GROUP_PRACTICE_INFO}?provider=110000001A&amp;location=1&amp;page=1&amp;sort=asc"
    assert links[location] == " data-partial"

    listed = client.partial(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="1",
                            sort="asc").region()
    second = client.partial(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="2",
                            sort="asc").region()
    detail = client.partial(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="2",
                            sort="asc", practitioner="120000001A").region()
    saved = client.partial(GROUP_PRACTICE_INFO, {**detail.hidden(), "end_date": "12/31/2099",
                                                 "action": "update"}).region()

    assert listed.panels == ["Steps", "Group Practice Info", "List of Locations",
                             "List of Servicing Providers"]
    assert second.texts("td") != listed.texts("td")
    assert detail.panels[-2:] == ["Service Provider Detail", "Date Detail"]
    assert saved.notices == [SAVED]
    assert saved.panels[-1] == "List of Servicing Providers"


def test_a_button_that_leaves_the_panel_answers_with_a_redirect(client):
    client.get(MEMBER_SEARCH)
    shown = client.partial(MEMBER_SEARCH, RIVERA).region()

    answer = client.partial(DISENROLLMENT, {**shown.hidden(), "action": "cancel"})

    assert answer.status == 200
    assert answer.body == ('<?xml version="1.0" encoding="UTF-8"?>\n<partial-response>'
                           f'<redirect url="{MEMBER_SEARCH}"/></partial-response>')
    client.get(GROUP_PRACTICE_INFO, provider="110000001A")
    leave = client.partial(GROUP_PRACTICE_INFO, {"provider": "110000001A",
                                                 "action": "cancel_service"})
    assert leave.redirect == LIST_OF_PROVIDERS


@pytest.mark.parametrize(("login", "lands_on", "notice"), [
    ("gateway", VG_LOGIN, SESSION_ENDED),
    ("simple", POSC_LOGIN, SESSION_EXPIRED),
])
def test_an_in_place_request_without_a_session_is_sent_to_the_login(start_portal, login,
                                                                    lands_on, notice):
    portal = start_portal(variant="ajax", login=login)
    client = PortalClient.of(portal)

    answer = client.partial(MEMBER_SEARCH, RIVERA, region="j_id_id12pc3", token="forged")

    assert answer.redirect == lands_on
    assert client.get(lands_on).notices == [notice]
    assert client.get(lands_on).notices == []  # once


def test_refusals_in_place_have_classics_markup_and_status(client, demo):
    demo.get(MEMBER_SEARCH)
    classic = demo.post(MEMBER_SEARCH, EMPTY_SEARCH)
    client.get(MEMBER_SEARCH)

    refused = client.partial(MEMBER_SEARCH, EMPTY_SEARCH)
    crafted = client.partial(MEMBER_SEARCH, {**RIVERA, "provider_id": "110000003A"})

    assert refused.status == 200
    assert ALERT.findall(refused.region().html) == ALERT.findall(classic.html)
    assert refused.region().alerts == [
        "Member ID is required. Last Name is required. First Name is required."]
    assert crafted.status == 403
    assert crafted.region().alerts == [
        "You are not authorized to act for the Provider ID entered."]


def test_a_fault_answers_an_in_place_request_with_the_error_page(start_portal):
    portal = start_portal(variant="ajax", login="simple", faults="error_rate=1")

    answer = PortalClient.of(portal).partial(MEMBER_SEARCH, RIVERA, region="j_id_id12pc3")

    assert answer.status == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "System Error" in answer.body


def ajax_submit_over(portal: MockPortal, client: PortalClient, *, timeout: float):
    """A connection of its own that has sent the Disenrollment Submit in place."""
    client.get(MEMBER_SEARCH)
    shown = client.partial(MEMBER_SEARCH, RIVERA).region()
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies)
    body = urllib.parse.urlencode({**shown.hidden(), "csrf_token": shown.token,
                                   "reason": "Death", "action": "submit"})
    host, port = portal.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    connection.request("POST", DISENROLLMENT, body=body, headers={
        **FACES_REQUEST, RENDER_HEADER: shown.region_id, "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded"})
    return connection


@pytest.mark.parametrize(("mode", "lost"), [
    ("withhold", (TimeoutError, socket.timeout)),
    ("cut", http.client.RemoteDisconnected),
])
def test_lost_response_strikes_an_in_place_submit(start_portal, mode, lost):
    portal = start_portal(variant="ajax", login="simple",
                          faults=f"lost_response_rate=1,lost_response_mode={mode}")
    client = PortalClient.of(portal)
    client.login()
    connection = ajax_submit_over(portal, client, timeout=3.0)

    with pytest.raises(lost):
        connection.getresponse()
    connection.close()

    assert [row["member_id"] for row in portal.transactions()] == ["100000000001"]


def test_delays_stay_in_their_bounds_and_repeat_with_a_seed():
    def delays(seed):
        dice = partial.PartialMiddleware(None, seed=seed).delay_dice
        return [dice.uniform(*partial.DELAY_MS) for _ in range(200)]

    assert delays(7) == delays(7) != delays(8)
    assert all(150 <= delay <= 900 for delay in delays(None))


def test_a_cdata_end_inside_the_markup_is_split_as_jsf_does():
    markup = '<p title="]]>">x</p>'

    held = partial._cdata(markup)

    assert held == '<![CDATA[<p title="]]]]><![CDATA[>">x</p>]]>'
    assert ElementTree.fromstring(f"<update>{held}</update>").text == markup


# --- in a browser -----------------------------------------------------------------------

def test_search_and_submit_update_the_page_in_place(ajax, browser_page):
    page = browser_page
    browser_simple_login(page, ajax)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(f"{ajax.url}{MEMBER_SEARCH}")
    url, navigations[:] = page.url, []
    page.evaluate(WATCH)

    page.get_by_label("Member ID", exact=True).fill("100000000001")
    page.get_by_label("Last Name", exact=True).fill("RIVERA")
    page.get_by_label("First Name", exact=True).fill("ANA")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("region", name="Disenrollment").wait_for()

    watch = page.evaluate("window.__watch")
    assert watch["replaced"] - watch["clicked"] >= 150  # the answer's delay
    # Until then the old panel stayed as it was: only the clicked button was disabled.
    assert set(watch["changes"]) <= {"attributes disabled"}
    assert page.get_by_role("region", name="Member Search").count() == 0
    assert navigations == [] and page.url == url

    page.get_by_label("Disenrollment Reason", exact=True).select_option("Death")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("region", name="Disenrollment Confirmation").wait_for()

    assert navigations == [] and page.url == url
    assert page.evaluate("window.__watch !== undefined")  # the same document all along
    assert [row["member_id"] for row in ajax.transactions()] == ["100000000001"]


def test_group_practice_choices_and_paging_update_the_page_in_place(ajax, browser_page):
    page = browser_page
    browser_simple_login(page, ajax)
    page.goto(f"{ajax.url}{GROUP_PRACTICE_INFO}?provider=110000001A")
    url = page.url
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    servicing = page.get_by_role("region", name="List of Servicing Providers")
    detail = page.get_by_role("region", name="Date Detail")

    page.get_by_role("link", name="MAIN STREET CLINIC").first.click()
    servicing.wait_for()
    first_rows = servicing.get_by_role("row").all_inner_texts()
    page.evaluate(WATCH)
    servicing.get_by_role("link", name="Next page").click()
    expect(servicing.locator("[aria-current=page]")).to_have_text("2")
    second_rows = servicing.get_by_role("row").all_inner_texts()
    assert second_rows[0] == first_rows[0]  # the same headers, other rows
    assert set(second_rows[1:]).isdisjoint(first_rows[1:])
    assert page.evaluate("window.__watch.replaced - window.__watch.clicked") >= 150

    name = second_rows[1].split("\t")[0]
    servicing.get_by_role("link", name=name, exact=True).click()
    detail.wait_for()
    page.get_by_role("button", name="Cancel Item").click()
    detail.wait_for(state="detached")
    expect(servicing.locator("[aria-current=page]")).to_have_text("2")
    servicing.get_by_role("link", name=name, exact=True).click()
    detail.get_by_label("End Date", exact=True).fill("12/31/2099")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("status")).to_have_text(SAVED)

    assert detail.count() == 0
    assert navigations == [] and page.url == url


def test_a_5xx_to_an_in_place_request_leaves_the_panel_as_it_was(start_portal, browser_page):
    """error_rate strikes in-place requests too; the page then stays as it was (RichFaces's
    default), its button usable again. Half of all requests fail: the test goes on until an
    in-place Search has failed."""
    portal = start_portal(variant="ajax", login="simple", faults="error_rate=0.5,seed=5")
    page = browser_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    search = page.get_by_role("button", name="Search")
    for _ in range(40):
        open_member_search(page, portal)
        page.get_by_label("Member ID", exact=True).fill("100000000001")
        page.get_by_label("Last Name", exact=True).fill("RIVERA")
        page.get_by_label("First Name", exact=True).fill("ANA")
        page.evaluate(WATCH)
        with page.expect_response(lambda response: response.request.headers.get(
                "faces-request") == "partial/ajax") as answer:
            search.click()
        if answer.value.status == 500:
            break
    else:
        pytest.fail("no in-place request failed in 40 tries")

    expect(search).to_be_enabled()  # the script has handled the answer
    assert page.evaluate("document.querySelector('[data-faces-region]') === window.__region")
    assert page.evaluate("window.__watch.replaced") is None
    assert page.get_by_role("region", name="Member Search").count() == 1
    assert page.get_by_label("Member ID", exact=True).input_value() == "100000000001"
    assert page.get_by_role("alert").count() == 0
    assert any("HTTP 500" in text for text in console)
    assert portal.transactions() == []


def open_member_search(page, portal: MockPortal) -> None:
    """Member Search, logged in (the login panel shows at its address), through any number
    of failed pages (the error_rate fault)."""
    for _ in range(60):
        response = page.goto(f"{portal.url}{MEMBER_SEARCH}")
        if response is not None and response.status >= 500:
            continue
        if page.get_by_role("region", name="Member Search").count():
            return
        page.get_by_label("User ID", exact=True).fill("posc.demo")
        page.get_by_label("Password", exact=True).fill("Demo-Passw0rd!")
        page.get_by_role("button", name="Log In").click()
    pytest.fail("Member Search never came")


@pytest.mark.parametrize(("login", "lands_on", "notice"), [
    ("gateway", VG_LOGIN, SESSION_ENDED),
    ("simple", POSC_LOGIN, SESSION_EXPIRED),
])
def test_an_expired_sessions_in_place_request_lands_on_the_login(start_portal, browser_page,
                                                                 login, lands_on, notice):
    ttl_s = 5
    portal = start_portal(variant="ajax", login=login, faults=f"session_ttl_s={ttl_s}")
    page = browser_page
    (browser_login if login == "gateway" else browser_simple_login)(page, portal)
    logged_in = time.monotonic()  # at the latest: the session started before
    page.goto(f"{portal.url}{MEMBER_SEARCH}")
    page.get_by_label("Member ID", exact=True).fill("100000000001")
    time.sleep(max(0.0, logged_in + ttl_s + 0.5 - time.monotonic()))

    page.get_by_role("button", name="Search").click()

    page.wait_for_url(f"**{lands_on}")
    expect(page.get_by_role("status")).to_have_text(notice)
    assert page.get_by_role("link", name="Log Out").count() == 0


def test_refusal_lines_in_place_have_the_classic_markup(ajax, browser_page):
    page = browser_page
    browser_simple_login(page, ajax)
    page.goto(f"{ajax.url}{MEMBER_SEARCH}")

    page.get_by_role("button", name="Search").click()

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    lines = alert.locator("p")
    expect(lines).to_have_count(3)
    for line in lines.all():
        expect(line.locator("img")).to_have_attribute("alt", "Error")
    assert [" ".join(text.split()) for text in lines.all_inner_texts()] == [
        "Member ID is required.", "Last Name is required.", "First Name is required."]
    assert page.url.endswith(MEMBER_SEARCH)


@pytest.mark.parametrize("mode", ["withhold", "cut"])
def test_lost_response_of_an_in_place_submit_in_a_browser(start_portal, browser_page, mode):
    """Withheld, the page waits and the panel stays. Cut, Chromium sends the fetch's POST
    again by itself on a reused connection (up to twice), each committed; then the script
    leaves the panel as it was."""
    portal = start_portal(variant="ajax", login="simple",
                          faults=f"lost_response_rate=1,lost_response_mode={mode}")
    page = browser_page
    browser_simple_login(page, portal)
    browser_search(page, portal)
    page.get_by_label("Disenrollment Reason", exact=True).select_option("Death")
    submit = page.get_by_role("button", name="Submit")

    if mode == "cut":
        with page.expect_event("requestfailed", timeout=30_000):
            submit.click()
        expect(submit).to_be_enabled()  # the script gave up on it
        assert len(portal.transactions()) >= 2
    else:
        submit.click()
        deadline = time.monotonic() + 30
        while not portal.transactions():
            assert time.monotonic() < deadline, "the submission was never committed"
            time.sleep(0.2)
        time.sleep(2)
        expect(submit).to_be_disabled()  # still waiting for its answer
        assert len(portal.transactions()) == 1
    assert page.get_by_role("region", name="Disenrollment").count() == 1
