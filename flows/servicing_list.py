"""The List of Servicing Providers (unlink job aid, step 7): every practitioner previously and
currently linked to the location, 10 a page, "1 2 3 ▶".

The whole list is read before anything is clicked, so that a name listed twice is found out
and refused (never guessed), however the portal sorts it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Locator, Page, expect

from flows import choices
from flows.context import FlowContext
from flows.panels import Panel
from flows.transitions import act, region, settle
from robots.errors import Ambiguity, Rejection, SelectorError, TransientError

MAX_PAGES = 200

servicing = Panel.load("list_of_servicing_providers")


async def _panel(page: Page, ctx: FlowContext) -> Locator:
    """The List of Servicing Providers panel, whatever its markup."""
    return await region(servicing.locator(page, "title"), panel=servicing.name, timeout_ms=ctx.timeouts.element_ms)


async def _entries(page: Page, name: str, ctx: FlowContext) -> tuple[Locator, int]:
    return await choices.choice(await _panel(page, ctx), name)


async def find_practitioner(
    page: Page, name: str, location: str, ctx: FlowContext, *, reopen: Callable[[], Awaitable[None]]
) -> Locator:
    """What to click to choose the one row named `name`, on the page now shown. `reopen` shows the list's
    first page again, for portals without page-number links."""
    found_on: list[int] = []
    page_number = 1
    while True:
        found_on += [page_number] * (await _entries(page, name, ctx))[1]
        if len(found_on) > 1:
            raise Ambiguity(
                f"{name!r} is listed {len(found_on)} times at {location!r}; refusing to guess which",
                panel=servicing.name,
            )
        if not await _next_page(page, ctx):
            break
        page_number += 1
        if page_number > MAX_PAGES:
            raise SelectorError(servicing.name, "next_page", found=1, detail="paging never ends")
    if not found_on:
        raise Rejection(f"{name!r} is not in the List of Servicing Providers at {location!r}", panel=servicing.name)
    if found_on[0] != page_number:
        await _back_to_page(page, found_on[0], ctx, reopen)
    return (await _entries(page, name, ctx))[0]


async def _next_page(page: Page, ctx: FlowContext) -> bool:
    forward = servicing.locator(page, "next_page")
    if not await forward.count() or not await forward.first.is_enabled():
        return False
    await _turn_page(page, forward.first, ctx)
    return True


async def _turn_page(page: Page, control: Locator, ctx: FlowContext) -> None:
    """Clicks a paging control and waits until the list shows other rows."""
    before = await (await _panel(page, ctx)).inner_text()

    async def other_rows() -> None:
        await settle(page, ctx.timeouts.navigation_ms)
        try:
            await expect(await _panel(page, ctx)).not_to_have_text(before, timeout=ctx.timeouts.navigation_ms)
        except AssertionError:
            raise TransientError("the List of Servicing Providers did not turn the page") from None

    await act(page, control.click, other_rows, start=servicing.locator(page, "title"))


async def _back_to_page(page: Page, wanted: int, ctx: FlowContext, reopen: Callable[[], Awaitable[None]]) -> None:
    numbered = (await _panel(page, ctx)).get_by_role(
        "link", name=re.compile(rf"^\s*{wanted}\s*$")
    ).filter(visible=True)
    if await numbered.count() == 1:
        await _turn_page(page, numbered, ctx)
        return
    await reopen()
    for _ in range(wanted - 1):
        await _next_page(page, ctx)
