"""The EOHHS Virtual Gateway in front of the POSC (the default `--login gateway`): the start
page, Business Log In, Multifactor Authentication (TOTP, RFC 6238), My Applications and the
launch into the POSC, each rule and its message, logging out, and /_mock/logins.

Codes are computed for explicit time steps (`code(secret, step)`), never waited for."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from mock_portal import menu
from tests.mock.conftest import (
    DEMO_SECRET,
    FROZEN,
    MEMBER_SEARCH,
    SESSION_ENDED,
    VG_APPLICATIONS,
    VG_LOGIN,
    VG_START,
    VG_VERIFY,
    code,
    current_step,
    logins,
)
from tests.mock.portal_client import PortalClient

BAD_LOGIN = 'The email or password is incorrect. To reset your password, click "Forgot Password."'
LOCKED = ("Your account is locked after too many failed attempts. Try again in {minutes} minutes "
          "or reset your password.")
DEACTIVATED = "This account has been deactivated. Contact your organization's Access Administrator."
NO_MFA = ("Multifactor authentication is not set up for this account. Set it up in MyMassGov "
          "before you log in.")
CODE_REUSED = ("This verification code has already been used. Wait for a new code from your "
               "authenticator app.")
BAD_CODE = "The verification code is incorrect. Try again."
POSC = "Provider Online Service Center (POSC)"

# tests/fixtures/frozen.yaml's users
QA_EMAIL, QA_PASSWORD = "qa.plan@example.org", "QA-Passw0rd!"
QA_SECRET = "OFQS44DMMFXCA5DPORYCA43FMNZGK5BB"


def at_verify(portal, email: str = QA_EMAIL, password: str = QA_PASSWORD) -> PortalClient:
    """A client whose password was accepted: on the Multifactor Authentication panel."""
    client = PortalClient.of(portal)
    page = client.vg_password(email, password)
    assert client.path() == VG_VERIFY and page.panels == ["Multifactor Authentication"], page.alerts
    return client


def wrong_code(secret: str, step: int) -> str:
    """Six digits that are none of the codes the gateway accepts around `step`."""
    window = {code(secret, step + offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in window)


def outcomes(portal) -> list[tuple[str, str]]:
    return [(entry["step"], entry["outcome"]) for entry in logins(portal)]


# --- the start page -------------------------------------------------------------------------

def test_start_page_offers_personal_and_business_log_in(mock_portal):
    page = PortalClient.of(mock_portal).get(VG_START)

    assert page.status == 200 and "<title>Virtual Gateway</title>" in page.html
    assert page.panels == ["Personal Log In", "Business Log In"]
    assert page.link("Business Log In") == VG_LOGIN
    assert page.has_link("Personal Log In")
    assert "Log In" not in page.links and page.buttons == []
    assert "Welcome" not in page
    assert "/static/gateway.css" in page.html and "posc-" not in page.html


def test_personal_log_in_cannot_reach_the_posc(mock_portal):
    client = PortalClient.of(mock_portal)

    page = client.get(client.get(VG_START).link("Personal Log In"))

    assert page.status == 200
    assert "cannot reach business applications such as the Provider Online Service Center (POSC)" in page
    assert page.link("Back to the Virtual Gateway") == VG_START
    assert page.labels == [] and page.buttons == []


# --- Business Log In ----------------------------------------------------------------------

def test_business_log_in_panel(mock_portal):
    client = PortalClient.of(mock_portal)

    page = client.get(client.get(VG_START).link("Business Log In"))

    assert client.path() == VG_LOGIN
    assert page.h1 == "MyMassGov Business" and page.panels == ["Business Log In"]
    assert page.labels == ["Email Address", "Password"]
    assert page.control("Email Address")["type"] == "email"
    assert page.control("Password")["type"] == "password"
    assert page.buttons == ["Log In"]
    assert page.notices == [] and page.alerts == []
    assert page.token == client.cookie("VG_LOGIN_TOKEN").value
    forgot = client.get(page.link("Forgot Password?"))
    assert forgot.status == 200 and forgot.panels == ["Forgot Password"]


def test_login_form_token_cookie_and_session_cookies_are_httponly_and_samesite(mock_portal):
    client = PortalClient.of(mock_portal)
    client.login()

    flags = {c.name: (c.path, c.has_nonstandard_attr("HttpOnly"), c.get_nonstandard_attr("SameSite"))
             for c in client.cookies}
    assert flags == {"VG_LOGIN_TOKEN": ("/vg", True, "strict"), "VG_SESSION": ("/", True, "lax"),
                     "JSESSIONID": ("/", True, "lax")}


def test_a_login_without_the_forms_token_is_refused_and_not_counted(frozen):
    client = PortalClient.of(frozen)
    client.get(VG_LOGIN)

    page = client.post(VG_LOGIN, {"email": QA_EMAIL, "password": QA_PASSWORD}, token="forged")

    assert page.status == 403 and page.h1 == "Request Not Accepted"
    assert logins(frozen) == []


def test_wrong_password_is_refused(frozen):
    client = PortalClient.of(frozen)

    page = client.vg_password(QA_EMAIL, "Wrong-Passw0rd!")

    assert page.alerts == [BAD_LOGIN]
    assert 'alt="Error"' in page.html and page.panels == ["Business Log In"]
    assert page.value("Email Address") == QA_EMAIL
    assert outcomes(frozen) == [("password", "wrong_password")]


def test_unknown_email_is_refused_alike(frozen):
    client = PortalClient.of(frozen)

    page = client.vg_password("nobody@example.org", QA_PASSWORD)

    assert page.alerts == [BAD_LOGIN]
    [entry] = logins(frozen)
    assert (entry["user"], entry["user_id"], entry["outcome"]) == (
        "nobody@example.org", None, "unknown_user")


def test_a_user_id_is_not_an_email(frozen):
    page = PortalClient.of(frozen).vg_password("qa.plan", QA_PASSWORD)

    assert page.alerts == [BAD_LOGIN]


def test_the_email_is_compared_case_insensitively(frozen):
    at_verify(frozen, email="QA.Plan@Example.ORG")

    [entry] = logins(frozen)
    assert (entry["user"], entry["user_id"], entry["outcome"]) == (
        "QA.Plan@Example.ORG", "qa.plan", "password_ok")


def test_a_deactivated_account_is_refused_after_its_password(frozen):
    client = PortalClient.of(frozen)

    assert client.vg_password("qa.gone@example.org", "Wrong").alerts == [BAD_LOGIN]
    assert client.vg_password("qa.gone@example.org", "Gone-Passw0rd!").alerts == [DEACTIVATED]
    assert outcomes(frozen) == [("password", "wrong_password"), ("password", "deactivated")]


def test_an_account_without_mfa_is_refused(frozen):
    page = PortalClient.of(frozen).vg_password("qa.nomfa@example.org", "NoMFA-Passw0rd!")

    assert page.alerts == [NO_MFA]
    assert outcomes(frozen) == [("password", "no_mfa")]


# --- Multifactor Authentication -----------------------------------------------------------

def test_multifactor_authentication_panel(frozen):
    client = at_verify(frozen)

    page = client.last
    assert page.panels == ["Multifactor Authentication"]
    assert "Enter the verification code from your authenticator app." in page
    assert page.labels == ["Verification Code"]
    assert page.control("Verification Code")["inputmode"] == "numeric"
    assert page.control("Verification Code")["autocomplete"] == "one-time-code"
    assert page.buttons == ["Verify"]


def test_the_code_panel_needs_a_password_first(frozen):
    client = PortalClient.of(frozen)

    client.get(VG_VERIFY)
    assert client.path() == VG_LOGIN
    client.post(VG_VERIFY, {"code": "123456"}, token="anything")
    assert client.path() == VG_LOGIN
    assert logins(frozen) == []


def test_wrong_code_is_refused(frozen):
    client = at_verify(frozen)

    page = client.vg_code(wrong_code(QA_SECRET, current_step()))

    assert page.alerts == [BAD_CODE] and page.panels == ["Multifactor Authentication"]
    assert outcomes(frozen) == [("password", "password_ok"), ("code", "wrong_code")]


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_code_of_this_step_or_the_one_before_or_after_is_accepted(frozen, offset):
    client = at_verify(frozen)

    page = client.vg_code(code(QA_SECRET, current_step() + offset))

    assert client.path() == VG_APPLICATIONS and page.panels == ["My Applications"]
    assert outcomes(frozen)[-1] == ("code", "ok")


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_off_is_refused(frozen, offset):
    client = at_verify(frozen)

    page = client.vg_code(code(QA_SECRET, current_step() + offset))

    assert page.alerts == [BAD_CODE]


def test_a_code_already_used_is_refused_even_to_another_client(frozen):
    step = current_step()
    first = at_verify(frozen)
    assert first.vg_code(code(QA_SECRET, step)).panels == ["My Applications"]
    second = at_verify(frozen)

    assert second.vg_code(code(QA_SECRET, step)).alerts == [CODE_REUSED]
    assert second.vg_code(code(QA_SECRET, step - 1)).alerts == [CODE_REUSED]  # before the last
    assert second.vg_code(code(QA_SECRET, step + 1)).panels == ["My Applications"]
    assert [outcome for _, outcome in outcomes(frozen)] == [
        "password_ok", "ok", "password_ok", "code_reused", "code_reused", "ok"]


def test_another_users_used_step_does_not_count(frozen):
    step = current_step()
    assert at_verify(frozen).vg_code(code(QA_SECRET, step)).panels == ["My Applications"]
    client = at_verify(frozen, "qa.tufts@example.org", "Tufts-Passw0rd!")

    page = client.vg_code(code("OFQS45DVMZ2HGIDUN52HAIDTMVRXEZLU", step))

    assert page.panels == ["My Applications"]


# --- lockout ------------------------------------------------------------------------------

def test_five_failures_lock_the_account_and_end_the_waiting_login(frozen):
    client = PortalClient.of(frozen)
    for _ in range(3):
        assert client.vg_password(QA_EMAIL, "Wrong").alerts == [BAD_LOGIN]
    client = at_verify(frozen)
    step = current_step()
    assert client.vg_code(wrong_code(QA_SECRET, step)).alerts == [BAD_CODE]

    page = client.vg_code(wrong_code(QA_SECRET, step))  # the fifth failure in a row

    assert page.alerts == [LOCKED.format(minutes=15)] and page.panels == ["Business Log In"]
    client.get(VG_VERIFY)
    assert client.path() == VG_LOGIN  # the waiting login has ended
    assert client.vg_password(QA_EMAIL, QA_PASSWORD).alerts == [LOCKED.format(minutes=15)]
    assert client.vg_password(QA_EMAIL, "Wrong").alerts == [LOCKED.format(minutes=15)]
    assert [outcome for _, outcome in outcomes(frozen)] == [
        "wrong_password", "wrong_password", "wrong_password", "password_ok", "wrong_code",
        "wrong_code", "locked", "locked"]
    at_verify(frozen, "qa.tufts@example.org", "Tufts-Passw0rd!")  # only that account


def test_five_wrong_passwords_lock_too(frozen):
    client = PortalClient.of(frozen)
    for _ in range(4):
        assert client.vg_password(QA_EMAIL, "Wrong").alerts == [BAD_LOGIN]

    assert client.vg_password(QA_EMAIL, "Wrong").alerts == [LOCKED.format(minutes=15)]
    assert client.vg_password(QA_EMAIL, QA_PASSWORD).alerts == [LOCKED.format(minutes=15)]


def test_a_completed_login_starts_the_failures_again(frozen):
    client = PortalClient.of(frozen)
    for _ in range(4):
        client.vg_password(QA_EMAIL, "Wrong")
    assert "Welcome qa.plan" in client.login(QA_EMAIL, QA_PASSWORD)

    for _ in range(4):
        assert client.vg_password(QA_EMAIL, "Wrong").alerts == [BAD_LOGIN]


def test_the_fixtures_gateway_rules_are_used(start_portal, tmp_path):
    fixture = tmp_path / "gateway.yaml"
    fixture.write_text(
        "users: [{user_id: u, email: u@example.org, password: p, totp_secret: JBSWY3DPEHPK3PXP,"
        " providers: ['110000000A']}]\n"
        "providers: [{provider_id: '110000000A', name: PLAN, type: one_care_plan}]\n"
        "gateway: {totp_period_s: 120, lockout_minutes: 1, failures_to_lock: 2}\n")
    portal = start_portal(fixture=fixture)
    client = at_verify(portal, "u@example.org", "p")
    step = current_step(120)

    assert client.vg_code(code("JBSWY3DPEHPK3PXP", step, 120)).panels == ["My Applications"]
    assert client.vg_password("u@example.org", "x").alerts == [BAD_LOGIN]
    assert client.vg_password("u@example.org", "x").alerts == [LOCKED.format(minutes=1)]


# --- after login --------------------------------------------------------------------------

def test_my_applications_lead_to_the_posc_home(frozen):
    client = at_verify(frozen)

    page = client.vg_code(code(QA_SECRET, current_step()))

    assert page.panels == ["My Applications"]
    assert POSC in page.links and "Manage My Account" in page.links and "Log Out" in page.links
    assert "Welcome" not in page
    assert client.get(page.link("Manage My Account")).panels == ["Manage My Account"]
    home = client.get(client.get(VG_APPLICATIONS).link(POSC))
    assert home.url.endswith(menu.HOME)
    assert "Welcome qa.plan" in home
    assert '<nav class="posc-menu" aria-label="Provider Services">' in home.html


def test_the_demo_user_goes_from_my_applications_to_the_posc_home(mock_portal):
    client = at_verify(mock_portal, "posc.demo@example.org", "Demo-Passw0rd!")
    applications = client.vg_fresh_code(DEMO_SECRET)
    assert applications.panels == ["My Applications"] and "Welcome" not in applications

    home = client.get(applications.link(POSC))

    assert home.url.endswith(menu.HOME) and "Welcome posc.demo" in home
    assert home.has_link("Log Out")


def test_each_launch_gets_a_new_posc_session_id(demo):
    first = demo.cookie("JSESSIONID").value

    demo.get("/vg/launch/posc")

    assert demo.path() == menu.HOME and demo.cookie("JSESSIONID").value != first


def test_my_applications_and_the_launch_need_the_gateways_session(mock_portal):
    client = PortalClient.of(mock_portal)

    for path in (VG_APPLICATIONS, "/vg/launch/posc", "/vg/account"):
        client.get(path)
        assert client.path() == VG_LOGIN
    assert client.cookie("JSESSIONID") is None


def test_two_bots_are_logged_in_at_once(mock_portal):
    demo, bot2 = PortalClient.of(mock_portal), PortalClient.of(mock_portal)

    assert "Welcome posc.demo" in demo.login()
    assert "Welcome posc.bot2" in bot2.login("posc.bot2", "Bot2-Passw0rd!")

    assert "Welcome posc.demo" in demo.get(menu.HOME)
    assert bot2.get(MEMBER_SEARCH).panels == ["Member Search"]


def test_posc_log_out_ends_both_sessions_and_lands_on_the_start_page(demo):
    page = demo.get(demo.get(menu.HOME).link("Log Out"))

    assert demo.path() == VG_START and page.panels == ["Personal Log In", "Business Log In"]
    demo.get(VG_APPLICATIONS)
    assert demo.path() == VG_LOGIN
    assert demo.get(MEMBER_SEARCH).notices == [SESSION_ENDED] and demo.path() == VG_LOGIN


def test_the_gateways_log_out_ends_the_posc_session_too(demo):
    applications = demo.get(VG_APPLICATIONS)

    demo.get(applications.link("Log Out"))

    assert demo.path() == VG_START
    assert demo.get(menu.HOME).notices == [SESSION_ENDED]


def test_the_session_ended_notice_shows_once(mock_portal):
    client = PortalClient.of(mock_portal)

    assert client.get(menu.HOME).notices == [SESSION_ENDED]
    assert client.get(VG_LOGIN).notices == []


def test_the_posc_login_panel_leads_to_the_gateway(mock_portal):
    client = PortalClient.of(mock_portal)

    client.get(menu.LOGIN)
    assert client.path() == VG_LOGIN
    client.post(menu.LOGIN, {"user_id": "posc.demo", "password": "Demo-Passw0rd!"}, token="x")
    assert client.path() == VG_LOGIN and client.cookie("JSESSIONID") is None
    assert logins(mock_portal) == []


# --- /_mock/logins and reset -----------------------------------------------------------------

def test_logins_records_every_attempt_and_never_a_secret(frozen):
    step = current_step()
    client = PortalClient.of(frozen)
    client.vg_password("nobody@example.org", "Nobody-Passw0rd!")
    client.vg_password(QA_EMAIL, "Almost-Passw0rd!")
    client.vg_password("qa.gone@example.org", "Gone-Passw0rd!")
    client.vg_password("qa.nomfa@example.org", "NoMFA-Passw0rd!")
    client = at_verify(frozen)
    typed = [wrong_code(QA_SECRET, step), code(QA_SECRET, step)]
    for typed_code in typed:
        client.vg_code(typed_code)

    with urllib.request.urlopen(f"{frozen.url}/_mock/logins", timeout=10) as response:
        raw = response.read().decode()
    entries = json.loads(raw)

    assert [(e["user"], e["user_id"], e["step"], e["outcome"]) for e in entries] == [
        ("nobody@example.org", None, "password", "unknown_user"),
        (QA_EMAIL, "qa.plan", "password", "wrong_password"),
        ("qa.gone@example.org", "qa.gone", "password", "deactivated"),
        ("qa.nomfa@example.org", "qa.nomfa", "password", "no_mfa"),
        (QA_EMAIL, "qa.plan", "password", "password_ok"),
        (QA_EMAIL, "qa.plan", "code", "wrong_code"),
        (QA_EMAIL, "qa.plan", "code", "ok"),
    ]
    assert all(list(e) == ["user", "user_id", "time", "step", "outcome"] for e in entries)
    times = [dt.datetime.fromisoformat(e["time"]) for e in entries]
    assert all(t.tzinfo is not None for t in times) and times == sorted(times)
    for secret in ("Nobody-Passw0rd!", "Almost-Passw0rd!", "Gone-Passw0rd!", "NoMFA-Passw0rd!",
                   QA_PASSWORD, QA_SECRET, *typed):
        assert secret not in raw


def test_logins_records_the_posc_panels_attempts_with_login_simple(start_portal):
    portal = start_portal(fixture=FROZEN, login="simple")
    client = PortalClient.of(portal)

    client.login("qa.plan", "Wrong")
    client.login("nobody", "Wrong")
    assert client.login("qa.gone", "Gone-Passw0rd!").alerts == [DEACTIVATED]
    assert "Welcome qa.plan" in client.login("qa.plan", QA_PASSWORD)

    assert [(e["user"], e["user_id"], e["step"], e["outcome"]) for e in logins(portal)] == [
        ("qa.plan", "qa.plan", "simple", "wrong_password"),
        ("nobody", None, "simple", "unknown_user"),
        ("qa.gone", "qa.gone", "simple", "deactivated"),
        ("qa.plan", "qa.plan", "simple", "ok"),
    ]


def test_reset_clears_the_gateways_state(frozen):
    step = current_step()
    logged_in = at_verify(frozen)
    logged_in.vg_code(code(QA_SECRET, step))
    waiting = at_verify(frozen)
    locked = PortalClient.of(frozen)
    for _ in range(5):
        locked.vg_password("qa.tufts@example.org", "Wrong")
    counted = PortalClient.of(frozen)
    for _ in range(4):
        counted.vg_password("qa.multi@example.org", "Wrong")

    frozen.reset()

    assert logins(frozen) == []
    logged_in.get(VG_APPLICATIONS)
    assert logged_in.path() == VG_LOGIN  # the gateway's session
    waiting.get(VG_VERIFY)
    assert waiting.path() == VG_LOGIN  # the waiting login
    assert at_verify(frozen).vg_code(code(QA_SECRET, step)).panels == ["My Applications"]  # used step
    at_verify(frozen, "qa.tufts@example.org", "Tufts-Passw0rd!")  # the lock
    assert counted.vg_password("qa.multi@example.org", "Wrong").alerts == [BAD_LOGIN]  # failures


# --- --login simple -------------------------------------------------------------------------

def test_login_simple_keeps_the_posc_panel_and_has_no_gateway(simple):
    client = PortalClient.of(simple)

    assert client.get("/").url.endswith(menu.LOGIN)
    assert "Welcome posc.demo" in client.login()
    for path in (VG_START, VG_LOGIN, VG_VERIFY, VG_APPLICATIONS):
        page = client.get(path)
        assert page.status == 404 and page.h1 == "Page Not Found"
