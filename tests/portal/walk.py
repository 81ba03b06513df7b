"""What a person does on the portal, as a QA engineer would script it against any instance:
the job aids' steps, with everything found as `finding` finds it.

The walk finds the fields it fills by their label's words (`Last Name` also finds a field a
release relabelled `Member Last Name`); the exact labels, titles and texts are asserted by the
test of each panel. So one drift fails the test of its panel, not every test that walks past it.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Locator, Page, expect

from flows.panels import Panel
from robots.credentials import Credentials
from robots.one_time_codes import OneTimeCodes
from tests.portal.finding import (
    control,
    error,
    expect_title,
    field,
    link,
    login_panel_shown,
    near_field,
    panel,
    press,
    title,
)

TITLE = "MassHealth Provider Online Service Center (POSC)"


def open_login(page: Page, base_url: str) -> None:
    """The panel that asks for the login: a portal's own, or the Virtual Gateway's Business
    Log In, its start page's link followed once (as flows.login does)."""
    page.goto(f"{base_url}/")
    password = login_panel_shown(page)
    business, to_login = control(page, "gateway_start", "business_log_in"), control(page, "login", "to_login")
    expect(password.or_(business).or_(to_login).first, "the login panel, or a link to it").to_be_visible()
    if not password.count():
        (business if business.count() else to_login).first.click()
    expect(password, "the login panel's Password").to_be_visible()


def enter_login(page: Page, base_url: str, user: str, password: str) -> None:
    """Types a user and password into the login panel and clicks Log In (whatever the answer)."""
    open_login(page, base_url)
    control(page, "login", "user_id").fill(user)
    control(page, "login", "password").fill(password)
    press(page, "login", "log_in")


def log_in(page: Page, base_url: str, credentials: Credentials) -> None:
    """The whole login: user and password, then, on the Virtual Gateway, the authenticator's
    verification code and the POSC in the list of applications."""
    enter_login(page, base_url, credentials.user, credentials.password)
    code, applications = control(page, "verification_code", "code"), control(page, "applications", "posc")
    signed_in = control(page, "portal", "signed_in")
    expect(signed_in.or_(code).first, "the POSC, or the verification code panel").to_be_visible()
    if code.count():
        assert credentials.authenticator, "the portal asks for a verification code: set POSC_TOTP_SECRET"
        code.fill(one_time_code(credentials))
        press(page, "verification_code", "verify")
        expect(signed_in.or_(applications).first, "the POSC, or the list of applications").to_be_visible()
        if applications.count():
            applications.first.click()


def one_time_code(credentials: Credentials) -> str:
    """A code of a step no login has used (a gateway takes each code once): waits for the
    authenticator's next step when it must, as the robot does."""
    codes = OneTimeCodes(credentials.user, credentials.authenticator or "")
    while not isinstance(found := codes.take(), str):
        time.sleep(found)  # the authenticator's clock, not the page: nothing to wait on instead
    return found


def menu_item(page: Page, label: str, *, after: Locator | None = None) -> Locator:
    """The menu link `label`. Where several show ("Enrollment" sits under both Manage Members
    and Manage Provider Information), the one in the list item of `after`, the item clicked
    before (as flows.menu chooses it)."""
    links = link(page, label)
    expect(links.first, f"the menu item {label!r}").to_be_visible()
    if after is not None and links.count() > 1:
        scoped = link(page.get_by_role("listitem").filter(has=after).last, label)
        if scoped.count() == 1:
            return scoped
    return links


def open_menu_path(page: Page, *labels: str) -> None:
    """Job aid steps 1-3: click each menu item in turn."""
    previous = None
    for label in labels:
        previous = menu_item(page, label, after=previous)
        previous.click()
        page.wait_for_load_state()


def menu_path(key: str) -> list[str]:
    return Panel.load("menu").data["paths"][key]


def open_member_search(page: Page) -> Locator:
    open_menu_path(page, *menu_path("enroll_disenroll_one_care"))
    expect_title(page, "Member Search")
    return panel(page, "Member Search")


def search_member(page: Page, member: dict[str, Any]) -> None:
    """Job aid steps 5-8."""
    near_field(page, "Member ID").fill(member["member_id"])
    near_field(page, "Last Name").fill(member["last_name"])
    near_field(page, "First Name").fill(member["first_name"])
    press(page, "member_search", "search")
    page.wait_for_load_state()


def choose_reason(page: Page, reason: str) -> None:
    """Job aid step 9."""
    control(page, "disenrollment", "reason").select_option(label=reason)


def open_list_of_providers(page: Page) -> Locator:
    open_menu_path(page, *menu_path("update_profile"))
    expect_title(page, "List of Providers")
    return panel(page, "List of Providers")


def choose_provider(page: Page, provider_name: str) -> None:
    """Job aid step 4."""
    link(open_list_of_providers(page), provider_name).click()
    page.wait_for_load_state()


def open_group_practice_info(page: Page, provider_name: str) -> None:
    """Job aid steps 3-5."""
    choose_provider(page, provider_name)
    press(panel(page, "Steps"), "steps", "group_practice_info")
    expect_title(page, "List of Locations")


def open_location(page: Page, location: str) -> Locator:
    """Job aid step 6."""
    link(panel(page, "List of Locations"), location).click()
    expect_title(page, "List of Servicing Providers")
    return panel(page, "List of Servicing Providers")


def choose_practitioner(page: Page, name: str, pages: int) -> None:
    """Job aid step 7: page through the list ("the numbers and arrows") to the name."""
    for number in range(1, pages + 1):
        servicing = panel(page, "List of Servicing Providers")
        expect(servicing).to_be_visible()
        if link(servicing, name).count():
            link(servicing, name).click()
            expect_title(page, "Date Detail")
            return
        next_page(page, number + 1)
    raise AssertionError(f"{name} is on none of the {pages} pages")


def next_page(page: Page, number: int) -> None:
    """The list's arrow forward, then a wait until page `number` is the one shown (its number
    no longer a link): a portal may swap the rows in place, with no page load to wait for."""
    press(panel(page, "List of Servicing Providers"), "list_of_servicing_providers", "next_page")
    expect(link(panel(page, "List of Servicing Providers"), str(number)), f"page {number} shown").to_have_count(0)


def open_date_detail(page: Page, data: dict[str, Any]) -> None:
    """Job aid steps 3-8 for the suite's practitioner."""
    open_group_practice_info(page, data["provider"]["name"])
    open_location(page, data["location"])
    choose_practitioner(page, data["practitioner"]["name"], data["pages"])


# The Date Detail's buttons as the job aid names them.
DATE_DETAIL_BUTTONS = {"Cancel Item", "Update", "Remove", "Cancel Service", "Submit"}


def save_end_date(page: Page, end_date: str) -> None:
    """Job aid steps 8-9: the End Date typed, Update, back on the List of Servicing Providers."""
    field(panel(page, "Date Detail"), "End Date").fill(end_date)
    press_update(page)
    expect(title(page, "Date Detail"), "the Date Detail, closed by Update").to_have_count(0)


def press_update(page: Page) -> None:
    """Step 9's Update. A release that renamed it fails the Date Detail's own test; the walk to
    the panels beyond goes on with the one button the job aid does not name (as check-selectors
    stands a near match in), so that one drift fails one test."""
    dates = panel(page, "Date Detail")
    expect_title(page, "Date Detail")
    shown = error(page)
    earlier = bool(shown.count())
    if earlier:
        shown.first.evaluate("line => { window.__qaEarlierRefusal = line; }")
    if not control(page, "service_provider_detail", "update").count():
        buttons = dates.get_by_role("button").filter(visible=True)
        unknown = [b for b in buttons.all() if " ".join(b.inner_text().split()) not in DATE_DETAIL_BUTTONS]
        if len(unknown) == 1:
            unknown[0].click()
            _answered(page, earlier)
            return
    press(page, "service_provider_detail", "update")
    _answered(page, earlier)


def _answered(page: Page, earlier: bool) -> None:
    """Update's answer has come: the refusal shown before it is gone from the page (a page
    load or an in-place re-render replaces it), so that the refusal read next is this one's,
    even when its words are the same. The window holds the earlier line: a page load leaves
    a new window without it, where an element handle would stay in the old page's world."""
    if earlier:
        page.wait_for_function("() => !(window.__qaEarlierRefusal && window.__qaEarlierRefusal.isConnected)")
