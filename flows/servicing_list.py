"""The List of Servicing Providers (unlink job aid, step 7): every practitioner previously and
currently linked to the location, 10 a page, "1 2 3 ▶".

The first time a run meets a location's list, the whole list is read before anything is
clicked, so that a name listed twice is found out and refused (never guessed), however the
portal sorts it. The run remembers on which page each name is listed (`FlowContext.memo`):
later records of that location go straight to their page, where the name must again show
exactly once; any surprise there reads the whole list again.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Locator, Page, expect

from flows import choices
from flows.panels import Panel, page_failed
from flows.transitions import act, region, settle
from robots.engine.flow import FlowContext
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
    """What to click to choose the one row named `name`; the list's first page is shown.
    `reopen` shows the first page again, for portals without page-number links."""
    listed = ctx.memo.get(_memo_key(ctx, location), {}).get(_shown(name), [])
    if len(listed) == 1:
        if listed[0] != 1:
            await _go_to_page(page, listed[0], 1, ctx, reopen)
        entries, count = await _entries(page, name, ctx)
        if count == 1:
            return entries
        await reopen()  # the list changed since it was read: read it all again
    return await _read_whole_list(page, name, location, ctx, reopen)


async def _read_whole_list(
    page: Page, name: str, location: str, ctx: FlowContext, reopen: Callable[[], Awaitable[None]]
) -> Locator:
    found_on: list[int] = []
    index: dict[str, list[int]] = {}  # each link's name: the pages listing it
    page_number = 1
    while True:
        panel = await _panel(page, ctx)
        for text in await panel.get_by_role("link").all_inner_texts():
            index.setdefault(_shown(text), []).append(page_number)
        found_on += [page_number] * (await choices.choice(panel, name))[1]
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
    ctx.memo[_memo_key(ctx, location)] = index
    if not found_on:
        raise Rejection(f"{name!r} is not in the List of Servicing Providers at {location!r}", panel=servicing.name)
    if found_on[0] != page_number:
        await _go_to_page(page, found_on[0], page_number, ctx, reopen)
    return (await _entries(page, name, ctx))[0]


def _memo_key(ctx: FlowContext, location: str) -> tuple[str, str, str]:
    return (servicing.name, ctx.provider_id, _shown(location))


def _shown(text: str) -> str:
    return " ".join(text.split()).casefold()


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
            # An in-place turn answered by the login (the session ended) or by a failure.
            raise await page_failed(page, servicing.name) or TransientError(
                "the List of Servicing Providers did not turn the page") from None

    await act(page, control.click, other_rows, start=servicing.locator(page, "title"))


async def _go_to_page(
    page: Page, wanted: int, shown: int, ctx: FlowContext, reopen: Callable[[], Awaitable[None]]
) -> None:
    """From page `shown` to page `wanted`: its number's link, else the arrow forward (from
    the first page again when `wanted` lies behind)."""
    numbered = (await _panel(page, ctx)).get_by_role(
        "link", name=re.compile(rf"^\s*{wanted}\s*$")
    ).filter(visible=True)
    if await numbered.count() == 1:
        await _turn_page(page, numbered, ctx)
        return
    if wanted < shown:
        await reopen()
        shown = 1
    for _ in range(wanted - shown):
        await _next_page(page, ctx)
