"""The left Provider Services menu: job aid steps 1-3 of both workflows.

A person clicks each item of a path in turn (Manage Members > Enrollment > Enroll/Disenroll
One Care Members). Portals differ in how much of the menu they keep expanded, so each click
first looks for the path's last item: when it is already shown, it is clicked at once. When a
page fails to load, the walk starts again from the portal's home page (where the login
landed), as a person would.
"""

from __future__ import annotations

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.panels import Panel, login_shown, loose
from flows.transitions import STEP_RETRIES, expect_panel, settle
from robots.engine.page_status import home_url, server_failed
from robots.errors import SelectorError, ServerError, SessionExpired

MENU = "menu"


def _links(scope: Page | Locator, name: str) -> Locator:
    return scope.get_by_role("link", name=loose(name)).filter(visible=True)


async def open_menu_path(
    page: Page, path_key: str, *, arrive: Locator, panel: str, portal_url: str, timeout_ms: float
) -> None:
    """Clicks the menu path `path_key` (selectors/menu.yaml) until `arrive` shows."""
    for attempt in range(STEP_RETRIES + 1):
        try:
            if attempt or server_failed(page):  # no menu on an error page: start from home
                await _go_home(page, portal_url, timeout_ms)
            await _walk(page, Panel.load(MENU).data["paths"][path_key], timeout_ms)
            await expect_panel(page, arrive, panel=panel, timeout_ms=timeout_ms)
            return
        except ServerError:
            if attempt == STEP_RETRIES:
                raise


async def _go_home(page: Page, portal_url: str, timeout_ms: float) -> None:
    try:
        await page.goto(home_url(page, portal_url), wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise ServerError("the portal's home page did not answer in time") from None
    await settle(page, timeout_ms)


async def _walk(page: Page, path: list[str], timeout_ms: float) -> None:
    panel = Panel.load(MENU)
    target = path[-1]
    login = login_shown(page)
    previous: Locator | None = None
    for item in path:
        final = _links(page, target)
        wanted = _links(page, item)
        try:
            await final.or_(wanted).or_(login).first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeout:
            raise SelectorError(panel.name, item, found=0) from None
        if await login.count():
            raise SessionExpired(panel.name)
        if await final.count() == 1:
            await final.click()
            await settle(page, timeout_ms)
            return
        link = await _only_one(page, panel.name, item, wanted, previous)
        previous = link
        await link.click()
        await settle(page, timeout_ms)
    raise SelectorError(panel.name, target, found=0)


async def _only_one(
    page: Page, panel: str, item: str, links: Locator, previous: Locator | None
) -> Locator:
    count = await links.count()
    if count == 1:
        return links
    if count > 1 and previous is not None:
        # "Enrollment" sits under both Manage Members and Manage Provider Information: take
        # the one in the list item of the item clicked before.
        parent_item = page.get_by_role("listitem").filter(has=previous).last
        scoped = _links(parent_item, item)
        if await scoped.count() == 1:
            return scoped
    raise SelectorError(panel, item, found=count)
