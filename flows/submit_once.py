"""A Submit's request, sent once.

When a kept-alive connection closes before any byte of the answer, Chromium sends the same
request again by itself (a network-level retry no page script sees): a portal that does not
deduplicate then receives the Submit twice, and no robot code ever knew. So the request a
Submit makes is taken out of Chromium's hands: intercepted (`page.route`), sent once through
Playwright's own HTTP client (`route.fetch`, no retries), and the page is given its answer
(`route.fulfill`). A redirect in the answer is handed to the page as it came, so the browser
follows it with a GET of its own, as it would have. When that one sending fails (the
connection cut, no answer in time), the page is given a failed load: the Submit's outcome
is unknown, and the flow settles it by reading the portal, never by sending it again.
That failed load is an answer the robot gives the page itself (504): an aborted request is one
Chromium would send again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route

# Requests a form's Submit makes: a page's POST, or a script's (an AJAX portal's in-place
# Submit); anything else the click may cause goes on untouched.
SENT_BY = ("document", "xhr", "fetch")
# What the page is given when its Submit got no answer: a failed load (5xx) to the flows.
NO_ANSWER = 504


@contextlib.asynccontextmanager
async def sending_once(page: Page, *, timeout_ms: float) -> AsyncIterator[None]:
    """Within the block (the Submit's click and the wait for its answer), the first POST the
    page makes is sent exactly once, by Playwright, and any POST after it is refused (within
    a Submit's block, a second POST is the browser sending the first again). The block must
    last until the answer has come: an in-place Submit's request may start after the click
    has returned."""
    sent = False
    answered = asyncio.Event()  # the Submit's route has been given its answer (or none was made)
    answered.set()

    async def send_once(route: Route) -> None:
        nonlocal sent
        request = route.request
        if request.method != "POST" or request.resource_type not in SENT_BY:
            await route.continue_()
            return
        if sent:
            # The same Submit again: a browser may resend a request whose load failed. Never
            # let it through.
            with contextlib.suppress(PlaywrightError):
                await route.abort("failed")
            return
        sent = True
        answered.clear()
        try:
            await _send(route)
        finally:
            answered.set()

    async def _send(route: Route) -> None:
        try:
            answer = await route.fetch(max_redirects=0, max_retries=0, timeout=timeout_ms)
        except PlaywrightError:
            # Sent, and no answer. The page is given an answer of ours, a failed one: a request
            # aborted instead would be sent again by Chromium, perhaps once this block is over.
            with contextlib.suppress(PlaywrightError):
                await route.fulfill(status=NO_ANSWER, content_type="text/plain",
                                    body="posc-robot: the portal did not answer this Submit")
            return
        with contextlib.suppress(PlaywrightError):
            await route.fulfill(response=answer)

    await page.route("**/*", send_once)
    try:
        yield
    finally:
        # Not before the Submit's route has its answer: a route left without one when its
        # handler goes is let through by Playwright, which would send the Submit a second time.
        await answered.wait()
        with contextlib.suppress(PlaywrightError):
            await page.unroute("**/*", send_once)
