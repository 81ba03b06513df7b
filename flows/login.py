"""Logging in to the POSC, its own flow (the Virtual Gateway chain will replace its inside).

Each worker logs in once with its own session and again whenever the portal shows the login
panel (session expired). Credentials are typed into the page and never logged.
"""

from __future__ import annotations

import weakref

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.panels import Panel
from flows.transitions import STEP_RETRIES, error_text, settle
from robots.credentials import Credentials
from robots.errors import LoginRefused, SelectorError, ServerError, TransientError

# The page each session's login landed on: the portal's home. The portal's address itself may
# well show the login panel to a live session (a gateway's start page does).
_home: weakref.WeakKeyDictionary[Page, str] = weakref.WeakKeyDictionary()


def home_url(page: Page, portal_url: str) -> str:
    """Where to start over after a failed page: the home the login landed on, else the portal."""
    return _home.get(page, portal_url)


async def is_logged_in(page: Page) -> bool:
    portal = Panel.load("portal")
    return bool(await portal.locator(page, "signed_in").count()) and not await Panel.load(
        "login"
    ).locator(page, "password").count()


async def log_in(page: Page, portal_url: str, credentials: Credentials, *, timeout_ms: float) -> bool:
    """Opens the portal and logs in, unless this session is logged in already (then False).
    A page that fails to load is tried again: logging in twice is harmless."""
    for attempt in range(STEP_RETRIES + 1):
        try:
            return await _log_in_once(page, portal_url, credentials, timeout_ms=timeout_ms)
        except ServerError:
            if attempt == STEP_RETRIES:
                raise
    raise AssertionError("unreachable")


async def _log_in_once(page: Page, portal_url: str, credentials: Credentials, *, timeout_ms: float) -> bool:
    try:
        await page.goto(portal_url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise ServerError("the portal did not answer in time") from None
    except PlaywrightError as error:  # connection refused, DNS: the portal is unreachable
        raise TransientError(f"the portal did not answer: {_first_line(error)}") from None
    await settle(page, timeout_ms)
    login = Panel.load("login")
    portal = Panel.load("portal")
    signed_in = portal.locator(page, "signed_in")
    password = login.locator(page, "password")
    to_login = login.locator(page, "to_login")
    try:
        await signed_in.or_(password).or_(to_login).first.wait_for(state="visible", timeout=timeout_ms)
        if not await signed_in.or_(password).count():
            await to_login.first.click()
            await settle(page, timeout_ms)
            await signed_in.or_(password).first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise SelectorError(login.name, "password", found=0, detail="neither a login panel nor the menu") from None
    if await is_logged_in(page):
        _home[page] = page.url
        return False
    await (await login.one(page, "user_id", timeout_ms=timeout_ms)).fill(credentials.user)
    await (await login.one(page, "password", timeout_ms=timeout_ms)).fill(credentials.password)
    await (await login.one(page, "log_in", timeout_ms=timeout_ms)).click()
    await settle(page, timeout_ms)
    error = portal.locator(page, "error")
    try:
        await signed_in.or_(error).first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise ServerError("the portal did not answer the login in time") from None
    if not await is_logged_in(page):
        raise LoginRefused(portal_url, await error_text(page))
    _home[page] = page.url
    return True


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
