"""What a real portal guards: a login for every panel, a CSRF token on every form, the
session cookie's flags, each user acting only for their own providers, and input that never
ends in a 500 or a traceback. The POSC's own login panel is `--login simple`'s (the `simple`
portal); the Virtual Gateway's guards are in test_mock_gateway.py."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from mock_portal import menu
from tests.mock.conftest import (
    AGREEMENT,
    DISENROLLMENT,
    GROUP_PRACTICE_INFO,
    LIST_OF_PROVIDERS,
    MEMBER_SEARCH,
    PROFILE_STATUS,
    SESSION_ENDED,
    STEPS,
    VG_LOGIN,
    search,
)
from tests.mock.portal_client import TOKEN, PortalClient

EXPIRED = "Your session has expired. Please log in again."
PANELS = [menu.HOME, MEMBER_SEARCH, DISENROLLMENT, LIST_OF_PROVIDERS,
          f"{STEPS}?provider=110000001A", f"{GROUP_PRACTICE_INFO}?provider=110000001A&location=1",
          f"{AGREEMENT}?provider=110000001A", PROFILE_STATUS, "/EHSProviderPortal/ManageMembers.jsf",
          "/EHSProviderPortal/ProviderSearch.jsf", menu.BATCH_FILES_PAGE,
          f"{menu.BATCH_FILE_DOWNLOAD}?provider=110000000A&month=2026-03"]


def test_root_leads_to_the_virtual_gateway(mock_portal):
    page = PortalClient.of(mock_portal).get("/")

    assert page.url.endswith("/vg/")
    assert page.h1 == "Virtual Gateway"


def test_root_leads_to_the_posc_login_page_with_login_simple(simple):
    page = PortalClient.of(simple).get("/")

    assert page.url.endswith("/EHSProviderPortal/login.jsf")
    assert page.h1 == "MassHealth Provider Online Service Center (POSC)"
    assert page.labels == ["User ID", "Password"] and page.buttons == ["Log In"]
    assert page.notices == [] and page.alerts == []


@pytest.mark.parametrize("path", PANELS)
def test_every_panel_needs_a_login_through_the_gateway(mock_portal, path):
    client = PortalClient.of(mock_portal)

    page = client.get(path)

    assert page.status == 200 and client.path() == VG_LOGIN
    assert page.notices == [SESSION_ENDED]
    assert page.labels == ["Email Address", "Password"] and page.buttons == ["Log In"]
    assert "Welcome" not in page


@pytest.mark.parametrize("path", PANELS)
def test_every_panel_needs_a_login_with_login_simple(simple, path):
    client = PortalClient.of(simple)

    page = client.get(path)

    assert page.status == 200 and client.path() == urllib.parse.urlsplit(path).path
    assert page.notices == [EXPIRED]
    assert page.buttons == ["Log In"]
    assert "Welcome" not in page


@pytest.mark.parametrize("login", ["gateway", "simple"])
@pytest.mark.parametrize("path", [MEMBER_SEARCH, DISENROLLMENT, GROUP_PRACTICE_INFO, AGREEMENT])
def test_a_post_without_a_session_changes_nothing_and_asks_for_a_login(mock_portal, simple, path,
                                                                       login):
    portal = mock_portal if login == "gateway" else simple
    client = PortalClient.of(portal)

    page = client.post(path, {"provider_id": "110000000A", "member_id": "100000000001",
                              "reason": "Death", "action": "submit", "provider": "110000001A",
                              "agree": "yes"}, token="anything")

    assert page.notices == [SESSION_ENDED if login == "gateway" else EXPIRED]
    assert portal.transactions() == []


def test_wrong_credentials_are_refused(simple):
    client = PortalClient.of(simple)

    for user, password in (("posc.demo", "wrong"), ("nobody", "Demo-Passw0rd!"), ("", "")):
        page = client.login(user, password)
        assert page.alerts == ["The User ID or Password you entered is incorrect."]
        assert page.value("User ID") == user


def test_login_shows_the_welcome_the_menu_and_log_out(demo):
    page = demo.get(menu.HOME)

    assert "Welcome posc.demo" in page
    assert page.has_link("Log Out")
    assert '<nav class="posc-menu" aria-label="Provider Services">' in page.html


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_login_and_session_cookies_are_httponly_and_samesite(simple):
    with urllib.request.urlopen(f"{simple.url}{menu.LOGIN}") as response:
        login_cookie = response.headers["Set-Cookie"]
        csrf = TOKEN.search(response.read().decode()).group(1)
    login = urllib.request.Request(
        f"{simple.url}{menu.LOGIN}", method="POST",
        data=urllib.parse.urlencode({"csrf_token": csrf, "user_id": "posc.demo",
                                     "password": "Demo-Passw0rd!"}).encode(),
        headers={"Cookie": login_cookie.split(";")[0]})

    with pytest.raises(urllib.error.HTTPError) as answer:  # the 303 is not followed
        urllib.request.build_opener(_NoRedirect).open(login)

    session_cookie = answer.value.headers["Set-Cookie"]
    assert answer.value.code == 303
    assert login_cookie.startswith("POSC_LOGIN_TOKEN=")
    assert "HttpOnly" in login_cookie and "SameSite=strict" in login_cookie
    assert session_cookie.startswith("JSESSIONID=")
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie


def test_login_without_the_forms_token_is_refused(simple):
    client = PortalClient.of(simple)
    client.get(menu.LOGIN)

    page = client.post(menu.LOGIN, {"user_id": "posc.demo", "password": "Demo-Passw0rd!"},
                       token="forged")

    assert page.status == 403 and page.h1 == "Request Not Accepted"
    assert client.get(menu.HOME).notices == [EXPIRED]


@pytest.mark.parametrize("login", ["gateway", "simple"])
def test_each_login_gets_a_new_session_id(mock_portal, simple, login):
    client = PortalClient.of(mock_portal if login == "gateway" else simple)
    client.login()
    first = client.cookie("JSESSIONID").value

    client.login()

    assert client.cookie("JSESSIONID").value != first


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(demo, mock_portal,
                                                                               token):
    page = search(demo, "100000000001", "RIVERA", "ANA")
    fields = {**page.hidden(), "reason": "Death", "action": "submit"}

    refused = demo.post(DISENROLLMENT, fields, token=token)

    assert refused.status == 403
    assert refused.h1 == "Request Not Accepted"
    assert "Nothing was changed." in refused
    assert mock_portal.transactions() == []


def test_another_sessions_token_does_not_do(mock_portal):
    first, second = PortalClient.of(mock_portal), PortalClient.of(mock_portal)
    first.login()
    second.login()
    foreign = first.get(MEMBER_SEARCH).token

    page = second.post(MEMBER_SEARCH, {"provider_id": "110000000A", "member_id": "100000000001",
                                       "last_name": "RIVERA", "first_name": "ANA"}, token=foreign)

    assert page.status == 403


def test_every_form_carries_the_csrf_token(demo):
    pages = [demo.get(MEMBER_SEARCH), search(demo, "100000000001", "RIVERA", "ANA"),
             demo.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1",
                      practitioner="120000001A", page="3"),
             demo.get(AGREEMENT, provider="110000001A")]
    for page in pages:
        assert page.reader.forms
        assert page.html.count('name="csrf_token"') == len(page.reader.forms)
        assert all(form["method"] == "post" for form in page.reader.forms)


def test_log_out_ends_the_session(demo):
    demo.get(menu.LOGOUT)

    assert demo.get(MEMBER_SEARCH).notices == [SESSION_ENDED]
    assert demo.path() == VG_LOGIN


def test_log_out_ends_the_session_with_login_simple(simple):
    client = PortalClient.of(simple)
    client.login()

    assert client.get(menu.LOGOUT).url.endswith(menu.LOGIN)
    assert client.get(MEMBER_SEARCH).notices == [EXPIRED]


@pytest.mark.parametrize(("path", "params"), [
    (GROUP_PRACTICE_INFO, {"provider": "110000001A", "location": "abc", "page": "-3"}),
    (GROUP_PRACTICE_INFO, {"provider": "110000001A", "location": "1", "page": "99999999999"}),
    (GROUP_PRACTICE_INFO, {"provider": "110000001A", "location": "1", "practitioner": "<script>"}),
    (GROUP_PRACTICE_INFO, {"provider": "' OR 1=1 --"}),
    (STEPS, {"provider": ""}),
    (AGREEMENT, {}),
])
def test_odd_addresses_get_a_portal_page_never_a_500(demo, path, params):
    page = demo.get(path, **params)

    assert page.status in (200, 403)
    assert "Traceback" not in page.html and "<script>" not in page.html
    assert page.h1 == "Update Your MassHealth Profile"


@pytest.mark.parametrize("fields", [
    {"provider_id": "110000000A", "member_id": "x" * 5000, "last_name": "é" * 300,
     "first_name": "\x00"},
    {"provider_id": "", "member_id": "100000000001'; DROP TABLE members; --", "last_name": "A",
     "first_name": "B"},
    {},
])
def test_odd_member_search_input_gets_the_portals_message(demo, fields):
    demo.get(MEMBER_SEARCH)

    page = demo.post(MEMBER_SEARCH, fields)

    assert page.status == 200 and page.alerts and page.panels == ["Member Search"]
    assert demo.post(MEMBER_SEARCH, {}, token=page.token).status == 200  # the table is still there


def test_odd_date_detail_input_gets_the_portals_message(demo):
    demo.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1", practitioner="120000001A")

    page = demo.post(GROUP_PRACTICE_INFO, {"provider": "110000001A", "location": "1",
                                           "practitioner": "120000001A", "end_date": "99/99/99999",
                                           "page": "x", "action": "update"})

    assert page.alerts == ["Dates must be in mm/dd/ccyy format."]


def test_a_body_that_is_not_a_form_is_refused_not_crashed(demo):
    token = demo.get(MEMBER_SEARCH).token
    request = urllib.request.Request(
        demo.url(MEMBER_SEARCH), method="POST",
        data=b"--x\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token.encode(),
        headers={"Content-Type": "multipart/form-data; boundary=x"})

    page = demo._open(request)

    assert page.status in (400, 403) and "Traceback" not in page.html


def test_unknown_address_is_a_portal_not_found_page(demo):
    page = demo.get("/EHSProviderPortal/no/such/page.jsf")

    assert page.status == 404 and page.h1 == "Page Not Found"


def test_wrong_method_is_a_portal_page_not_a_bare_error(demo):
    page = demo.post(PROFILE_STATUS, {}, token=None)

    assert page.status == 405 and page.h1 == "Page Not Found"


def test_pages_are_not_cached_or_framed(demo):
    with demo.opener.open(demo.url(MEMBER_SEARCH)) as response:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"
