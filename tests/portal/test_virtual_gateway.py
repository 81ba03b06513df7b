"""The EOHHS Virtual Gateway in front of the POSC, panel by panel, as the reference guide
"Business Log In for Provider User" shows it: the start page, Business Log In, Multifactor
Authentication, My Applications. Skipped on a portal with its own login panel instead."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from robots.credentials import Credentials
from tests.portal import finding, walk
from tests.portal.finding import control, press
from tests.portal.marks import error_icons, refusal


@pytest.fixture
def start_page(page: Page, base_url: str) -> Page:
    page.goto(f"{base_url}/")
    business = control(page, "gateway_start", "business_log_in")
    expect(business.or_(finding.login_panel_shown(page)).first, "a login, or the gateway's start page").to_be_visible()
    if not business.count():
        pytest.skip("this portal has its own login panel, no Virtual Gateway")
    return page


def test_the_start_page_offers_business_log_in(start_page):
    expect(control(start_page, "gateway_start", "business_log_in"), "Business Log In").to_be_visible()


def test_business_log_in_asks_for_the_email_address_and_password(start_page):
    press(start_page, "gateway_start", "business_log_in")

    expect(finding.title(start_page, "Business Log In").first, "Business Log In").to_be_visible()
    expect(finding.field(start_page, "Email Address"), "Email Address").to_be_editable()
    expect(control(start_page, "login", "password"), "Password").to_have_attribute("type", "password")
    expect(control(start_page, "login", "log_in"), "Log In").to_be_visible()


def test_multifactor_authentication_asks_for_the_authenticators_code(start_page, base_url, credentials):
    walk.enter_login(start_page, base_url, credentials.user, credentials.password)

    expect(finding.title(start_page, "Multifactor Authentication").first, "Multifactor Authentication").to_be_visible()
    expect(control(start_page, "verification_code", "code"), "Verification Code").to_be_editable()
    expect(control(start_page, "verification_code", "verify"), "Verify").to_be_visible()


def test_the_list_of_applications_leads_to_the_posc(start_page, base_url, credentials):
    _enter_code(start_page, base_url, credentials, walk.one_time_code(credentials))

    applications = control(start_page, "applications", "posc")
    expect(applications.first, "Provider Online Service Center in My Applications").to_be_visible()
    applications.first.click()
    expect(finding.signed_in_marker(start_page).first, "the POSC's menu").to_be_visible()


@pytest.mark.mock_only
def test_a_wrong_verification_code_is_refused_with_the_gateways_message(start_page, base_url, credentials):
    right = walk.one_time_code(credentials)
    _enter_code(start_page, base_url, credentials, f"{(int(right) + 1) % 1_000_000:06d}")

    line = refusal(start_page, re.compile(r"verification code is incorrect", re.IGNORECASE))
    expect(error_icons(line)).to_have_count(1)
    expect(control(start_page, "verification_code", "code")).to_be_visible()


@pytest.mark.mock_only
def test_a_code_already_used_is_refused(start_page, base_url, credentials):
    used = walk.one_time_code(credentials)
    _enter_code(start_page, base_url, credentials, used)
    expect(control(start_page, "applications", "posc").first).to_be_visible()
    start_page.context.clear_cookies()

    _enter_code(start_page, base_url, credentials, used)  # typed again from the app's screen

    refusal(start_page, re.compile(r"already been used", re.IGNORECASE))


def _enter_code(page: Page, base_url: str, credentials: Credentials, code: str) -> None:
    walk.enter_login(page, base_url, credentials.user, credentials.password)
    control(page, "verification_code", "code").fill(code)
    press(page, "verification_code", "verify")
