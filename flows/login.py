"""Logging in to the POSC, its own flow: the EOHHS Virtual Gateway's chain, or a portal's own
User ID and Password panel where it still has one.

The Virtual Gateway (reference guide "Business Log In for Provider User"):
1. On the start page, click Business Log In (the Personal box never reaches the POSC).
2. Enter the bot's email address and password; click Log In.
3. Multifactor authentication: enter the authenticator app's verification code; click Verify.
4. In the list of applications, click Provider Online Service Center.
5. The POSC's home shows its menu and Log Out: signed in.

The walk reads which panel shows and does that panel's step, so a portal that skips a panel
(no start page, no application list, a plain User ID panel) is walked as well. Each worker
logs in once with its own session and again only when the portal shows the login again.
Credentials are typed inside the gate's turn and never logged; a refusal is never retried
(a robot that retried could lock its own account).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.panels import Panel
from flows.transitions import STEP_RETRIES, error_text, settle
from robots.credentials import Credentials
from robots.engine.flow import LoginGate
from robots.engine.page_status import home_url, remember_home
from robots.errors import LoginRefused, SelectorError, ServerError, TransientError

# Start page, login, verification code, application list, POSC: five panels, and one spare
# for a start page that links to another start page.
MAX_PANELS = 6


async def is_logged_in(page: Page) -> bool:
    portal = Panel.load("portal")
    return bool(await portal.locator(page, "signed_in").count()) and not await Panel.load(
        "login"
    ).locator(page, "password").count()


# Each panel of the chain: its selectors file, and the step a person does there.
PANELS = {
    "start": "gateway_start",
    "password": "login",
    "code": "verification_code",
    "applications": "applications",
}
OnPanel = Callable[[str], Awaitable[None]]


async def log_in(
    page: Page,
    portal_url: str,
    credentials: Credentials,
    *,
    gate: LoginGate,
    timeout_ms: float,
    on_panel: OnPanel | None = None,
) -> bool:
    """Opens the portal and logs in, unless this session is logged in already (then False).
    A page that fails to load is tried again from the portal's address; a refusal is not.
    `on_panel(selectors file)` is awaited on each panel before its step (the QA kit checks
    the panel there)."""
    for attempt in range(STEP_RETRIES + 1):
        try:
            return await _log_in_once(page, portal_url, credentials, gate, timeout_ms, on_panel)
        except ServerError:
            if attempt == STEP_RETRIES:
                raise
    raise AssertionError("unreachable")


async def _log_in_once(
    page: Page, portal_url: str, credentials: Credentials, gate: LoginGate, timeout_ms: float,
    on_panel: OnPanel | None,
) -> bool:
    # The home this session's login landed on tells a live session at once; the portal's
    # address would show the gateway's start page to a live session as well as to a new one.
    await _open(page, home_url(page, portal_url), timeout_ms)
    shown = await panel_shown(page, timeout_ms)
    if shown == "signed_in":
        remember_home(page, page.url)
        return False
    async with gate.turn():
        last = None
        for _ in range(MAX_PANELS):
            shown = await panel_shown(page, timeout_ms)
            if shown == "signed_in":
                remember_home(page, page.url)
                return True
            if shown == last and shown in ("password", "code"):
                # The same panel again after its step: the gateway said no.
                raise LoginRefused(portal_url, await error_text(page) or "the login panel showed again")
            if on_panel is not None:
                await on_panel(PANELS[shown])
            await STEPS[shown](page, credentials, gate, timeout_ms)
            await settle(page, timeout_ms)
            last = shown
    raise SelectorError("Log In", "signed_in", found=0, detail="the login did not reach the POSC's menu")


async def _open(page: Page, portal_url: str, timeout_ms: float) -> None:
    try:
        await page.goto(portal_url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise ServerError("the portal did not answer in time") from None
    except PlaywrightError as error:  # connection refused, DNS: the portal is unreachable
        raise TransientError(f"the portal did not answer: {_first_line(error)}") from None
    await settle(page, timeout_ms)


def _markers(page: Page) -> dict[str, Locator]:
    login = Panel.load("login")
    return {
        "signed_in": Panel.load("portal").locator(page, "signed_in"),
        "code": Panel.load("verification_code").locator(page, "code"),
        "password": login.locator(page, "password"),
        "applications": Panel.load("applications").locator(page, "posc"),
        "start": Panel.load("gateway_start").locator(page, "business_log_in").or_(login.locator(page, "to_login")),
    }


async def panel_shown(page: Page, timeout_ms: float) -> str:
    """Which panel of the chain shows: signed_in, code, password, applications or start."""
    markers = _markers(page)
    anything = markers["signed_in"]
    for marker in list(markers.values())[1:]:
        anything = anything.or_(marker)
    try:
        await anything.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise SelectorError("Log In", "password", found=0, detail="neither a login panel nor the menu") from None
    for name, marker in markers.items():
        if await marker.count() and not (name == "signed_in" and await markers["password"].count()):
            return name
    raise AssertionError("unreachable")


# The steps, one a panel, in the reference guide's order.


async def go_to_business_log_in(page: Page, credentials: Credentials, gate: LoginGate, timeout_ms: float) -> None:
    business = Panel.load("gateway_start").locator(page, "business_log_in")
    target = business if await business.count() else Panel.load("login").locator(page, "to_login")
    await target.first.click(timeout=timeout_ms)


async def enter_email_and_password(page: Page, credentials: Credentials, gate: LoginGate, timeout_ms: float) -> None:
    login = Panel.load("login")
    await login.fill(page, "user_id", credentials.user, timeout_ms=timeout_ms)
    await login.fill(page, "password", credentials.password, timeout_ms=timeout_ms)
    await login.click(page, "log_in", timeout_ms=timeout_ms)


async def enter_verification_code(page: Page, credentials: Credentials, gate: LoginGate, timeout_ms: float) -> None:
    panel = Panel.load("verification_code")
    code = await gate.code()
    await panel.fill(page, "code", code, timeout_ms=timeout_ms)
    await panel.click(page, "verify", timeout_ms=timeout_ms)


async def open_posc(page: Page, credentials: Credentials, gate: LoginGate, timeout_ms: float) -> None:
    await Panel.load("applications").locator(page, "posc").first.click(timeout=timeout_ms)


STEPS = {
    "start": go_to_business_log_in,
    "password": enter_email_and_password,
    "code": enter_verification_code,
    "applications": open_posc,
}


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
