"""What the portal answered after an action: the next panel, a refusal, the login panel again
(session expired) or a server error. Every wait here is on the page's state, never a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.panels import Panel, login_shown, page_failed
from robots.engine.flow import FlowContext, capture_evidence
from robots.engine.page_status import failed_in_place, forget, loaded, next_failure, server_failed
from robots.errors import Rejection, SelectorError, ServerError, SessionExpired, TransientError

# A page that failed (5xx, no answer) after a click that changes nothing on the server is
# tried again, as a person would: Back, and the same click. Submits are never retried here.
STEP_RETRIES = 4

# The red circle with a white 'x' where a portal writes it as a character: not the message.
ERROR_SIGNS = "✖✕✗✘❌⊗ⓧ⨂"


async def settle(page: Page, timeout_ms: float) -> None:
    """After a click that may navigate: the new document has loaded, or the portal failed."""
    try:
        await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise ServerError("the portal did not answer in time") from None
    if status := server_failed(page):
        raise ServerError(f"the portal answered HTTP {status}")


async def expect_panel(page: Page, success: Locator, *, panel: str, timeout_ms: float) -> None:
    """Waits until `success` shows. A refusal raises Rejection with the portal's own words;
    the login panel raises SessionExpired; a 5xx or no answer raises TransientError; a page
    that loaded but shows none of these means the portal changed: SelectorError."""
    await settle(page, timeout_ms)
    error = Panel.load("portal").locator(page, "error")
    login = login_shown(page)
    try:
        await _shown_or_failed(page, success.or_(error).or_(login).first, timeout_ms)
    except PlaywrightTimeout:
        if status := server_failed(page):
            raise ServerError(f"the portal answered HTTP {status}") from None
        raise SelectorError(panel, "title", found=0, detail="the panel did not appear") from None
    if await success.count():
        return
    if await login.count():
        raise SessionExpired(panel)
    raise Rejection(await error_text(page), panel=panel)


async def _shown_or_failed(page: Page, target: Locator, timeout_ms: float) -> None:
    """Waits until `target` shows; a load that fails meanwhile (an in-place update answered
    5xx leaves the old panel as it was) ends the wait at once with ServerError."""
    failed = next_failure(page)
    shown = asyncio.ensure_future(target.wait_for(state="visible", timeout=timeout_ms))
    try:
        await asyncio.wait({shown, failed}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (shown, failed):
            if not task.done():
                task.cancel()
        await asyncio.gather(shown, failed, return_exceptions=True)
    if shown.done() and not shown.cancelled() and shown.exception() is None:
        return
    if failed.done() and not failed.cancelled():
        raise ServerError(f"the portal answered HTTP {failed.result()}")
    raise shown.exception()  # the wait's own timeout


def arrival(page: Page, panel: Panel, ctx: FlowContext) -> Callable[[], Awaitable[None]]:
    """A wait for `panel`'s title (or a refusal, the login panel, a server error)."""

    async def arrived() -> None:
        await expect_panel(page, panel.locator(page, "title"), panel=panel.name, timeout_ms=ctx.timeouts.navigation_ms)

    return arrived


async def act(
    page: Page,
    action: Callable[[], Awaitable[None]],
    arrive: Callable[[], Awaitable[None]],
    *,
    start: Locator,
    retries: int = STEP_RETRIES,
) -> None:
    """Does `action` (a click that changes nothing on the server: a link, Search, Update)
    and waits with `arrive`. When the portal fails, does what a person would: Reload an error
    page (the browser sends the same request again, a form's POST included), or, when no
    answer came at all, the same click again from the same panel."""
    forget(page)
    await action()
    for attempt in range(retries + 1):
        try:
            await arrive()
            return
        except ServerError:
            if attempt == retries:
                raise
        await _once_more(page, action, start)


async def _once_more(page: Page, action: Callable[[], Awaitable[None]], start: Locator) -> None:
    if server_failed(page) and not failed_in_place(page):
        try:
            response = await page.reload(wait_until="domcontentloaded")
        except PlaywrightError:
            raise ServerError("the portal did not answer the page again") from None
        loaded(page, response.status if response is not None else 200)
        return
    if await start.count():
        forget(page)
        await action()
        return
    raise ServerError("the portal did not answer, and the panel to try again from is gone")


async def expect_gone(page: Page, control: Locator, *, panel: str, timeout_ms: float) -> None:
    """Waits until `control` is gone (a detail panel closing after Update), or a refusal."""
    await settle(page, timeout_ms)
    error = Panel.load("portal").locator(page, "error")
    gone = asyncio.ensure_future(control.first.wait_for(state="hidden", timeout=timeout_ms))
    refused = asyncio.ensure_future(error.first.wait_for(state="visible", timeout=timeout_ms))
    done, pending = await asyncio.wait({gone, refused}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if gone in done and gone.exception() is None:
        return
    if refused in done and refused.exception() is None and await control.count():
        raise Rejection(await error_text(page), panel=panel)
    if failed := await page_failed(page, panel):
        raise failed
    raise TransientError(f"panel '{panel}' did not close in time")


async def error_shown(page: Page) -> bool:
    return await Panel.load("portal").locator(page, "error").count() > 0


async def error_text(page: Page) -> str:
    """The portal's own refusal message, one line per error."""
    texts = await Panel.load("portal").locator(page, "error").all_inner_texts()
    lines = [" ".join(line.split()).lstrip(ERROR_SIGNS + " ") for text in texts for line in text.splitlines()]
    return "; ".join(dict.fromkeys(line for line in lines if line)) or "the portal refused (no message)"


# The panel a title heads: the nearest ancestor holding more than the title itself. It is
# marked so that a locator can find it again (for a screenshot of that panel only), and read
# as a person reads it: visible text plus the values shown in form fields (portals often show
# read-only facts in read-only inputs). One round trip for all of it.
# The panel's text, read as a person reads it; `mode` 0: none (the region only), 1: all of it,
# 2: its statement (without its title and the buttons and links under it).
PANEL_SCRIPT = """(title, mode) => {
    let node = title.parentElement;
    while (node && node !== document.body && node.innerText.trim() === title.innerText.trim()) {
        node = node.parentElement;
    }
    node = node || document.body;
    if (!node.dataset.poscRegion) {
        window.__poscRegions = (window.__poscRegions || 0) + 1;
        node.dataset.poscRegion = String(window.__poscRegions);
    }
    if (!mode) return [node.dataset.poscRegion, ''];
    const control = el => mode === 2 && (el === title || ['BUTTON', 'A'].includes(el.tagName)
        || ['button', 'link'].includes(el.getAttribute('role'))
        || (el.tagName === 'INPUT' && ['submit', 'button', 'reset', 'image'].includes(el.type)));
    const parts = [];
    const walk = el => {
        if (el.nodeType === Node.TEXT_NODE) { parts.push(el.textContent); return; }
        if (el.nodeType !== Node.ELEMENT_NODE) return;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || control(el)) return;
        const tag = el.tagName;
        if (tag === 'SCRIPT' || tag === 'STYLE') return;
        if (tag === 'INPUT' && !['hidden', 'submit', 'button', 'checkbox', 'radio'].includes(el.type)) {
            parts.push(' ' + el.value + ' '); return;
        }
        if (tag === 'TEXTAREA') { parts.push(' ' + el.value + ' '); return; }
        if (tag === 'SELECT') {
            const chosen = el.selectedOptions[0]; parts.push(' ' + (chosen ? chosen.text : '') + ' '); return;
        }
        for (const child of el.childNodes) walk(child);
        if (style.display !== 'inline') parts.push(' ');
    };
    walk(node);
    return [node.dataset.poscRegion, parts.join('').replace(/\\s+/g, ' ').trim()];
}"""


async def read_panel(title: Locator, *, panel: str = "panel", timeout_ms: float = 10_000,
                     statement: bool = False) -> tuple[Locator, str]:
    """The panel `title` heads and its text on one line, read in one round trip; the locator
    is pinned to the panel as it is now (for its screenshot, taken at once). `statement`: the
    text without the title and the panel's buttons and links (what a person certifies)."""
    try:
        marker, text = await title.first.evaluate(PANEL_SCRIPT, 2 if statement else 1, timeout=timeout_ms)
    except PlaywrightTimeout:
        # A failed page or the login panel (both passing), or else the portal changed.
        raise (await page_failed(title.page, panel) or SelectorError(panel, "title", found=0)) from None
    return title.page.locator(f'[data-posc-region="{marker}"]'), text


async def capture_panel(ctx: FlowContext, title: Locator, *, name: str | None = None) -> str | None:
    """The screenshot of the panel `title` heads, or None when it cannot be had."""
    try:
        panel = await region(title, timeout_ms=ctx.timeouts.element_ms)
    except Exception:
        return None
    return await capture_evidence(ctx, panel, name=name)


COMMON_SCRIPT = """([first, second]) => {
    let node = first.parentElement;
    while (node && !node.contains(second)) node = node.parentElement;
    node = node || document.body;
    if (!node.dataset.poscRegion) {
        window.__poscRegions = (window.__poscRegions || 0) + 1;
        node.dataset.poscRegion = String(window.__poscRegions);
    }
    return node.dataset.poscRegion;
}"""


async def capture_panels(ctx: FlowContext, first: Locator, second: Locator, *, name: str) -> str | None:
    """One screenshot of two panels shown together (their nearest common ancestor), or None
    when it cannot be had: evidence never changes how a record ends."""
    try:
        handles = [await first.first.element_handle(timeout=ctx.timeouts.element_ms),
                   await second.first.element_handle(timeout=ctx.timeouts.element_ms)]
        marker = await first.page.evaluate(COMMON_SCRIPT, handles)
    except Exception:
        return None
    return await capture_evidence(ctx, first.page.locator(f'[data-posc-region="{marker}"]'), name=name)


async def region(title: Locator, *, panel: str = "panel", timeout_ms: float = 10_000) -> Locator:
    """The panel `title` heads: its nearest ancestor holding more than the title. Found again
    at each use, as Playwright's locators are: a JSF portal re-renders a panel in place (new
    elements, new ids), and a region pinned to the old element would never see the new rows."""
    try:
        text = " ".join((await title.first.inner_text(timeout=timeout_ms)).split())
    except PlaywrightTimeout:
        raise (await page_failed(title.page, panel) or SelectorError(panel, "title", found=0)) from None
    return title.first.locator(f"xpath=ancestor::*[normalize-space(.) != {_xpath_literal(text)}][1]")


def _xpath_literal(text: str) -> str:
    """`text` as an XPath 1.0 string literal (which has no escapes: quotes are concatenated)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"
