"""A Submit's request, sent once.

When a kept-alive connection closes before any byte of the answer, Chromium sends the same
request again by itself (a network-level retry no page script sees): a portal that does not
deduplicate then receives the Submit twice, and no robot code ever knew. So the request a
Submit makes is taken out of Chromium's hands: intercepted (`page.route`), sent once through
Playwright's own HTTP client (`route.fetch`, no retries), and the page is given its answer
(`route.fulfill`). A redirect in the answer is handed to the page as it came, so the browser
follows it with a GET of its own, as it would have. When that one sending fails (the
connection cut, no answer in time), the page is given a network error: the Submit's outcome
is unknown, and the flow settles it by reading the portal, never by sending it again.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route

# Requests a form's Submit makes: a page's POST, or a script's (an AJAX portal's in-place
# Submit); anything else the click may cause goes on untouched.
SENT_BY = ("document", "xhr", "fetch")


@contextlib.asynccontextmanager
async def sending_once(page: Page, *, timeout_ms: float) -> AsyncIterator[None]:
    """Within the block (the Submit's click and the wait for its answer), the first POST the
    page makes is sent exactly once, by Playwright. The block must last until the answer has
    come: an in-place Submit's request may start after the click has returned."""
    sent = False

    async def send_once(route: Route) -> None:
        nonlocal sent
        request = route.request
        if sent or request.method != "POST" or request.resource_type not in SENT_BY:
            await route.continue_()
            return
        sent = True
        try:
            answer = await route.fetch(max_redirects=0, max_retries=0, timeout=timeout_ms)
        except PlaywrightError:
            # Sent, and no answer: the page shows a failed load; the flow reads the portal.
            with contextlib.suppress(PlaywrightError):
                await route.abort("connectionreset")
            return
        await route.fulfill(response=answer)

    await page.route("**/*", send_once)
    try:
        yield
    finally:
        with contextlib.suppress(PlaywrightError):
            await page.unroute("**/*", send_once)
