"""A worker's portal session: its browser context and page, logged in, renewed when needed;
and how the browser's failures map onto the error tree."""

from __future__ import annotations

import contextlib
import time

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.login import log_in
from flows.page_status import track
from robots.browser import BrowserHost
from robots.config import RunConfig
from robots.credentials import Credentials
from robots.errors import BrowserCrashed, TransientError
from robots.session_lifetime import SessionLifetime


class Breaker:
    """Counts system failures in a row across all workers; any answer from the portal (a
    done record, a refusal) resets it."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.in_a_row = 0

    def failure(self) -> bool:
        self.in_a_row += 1
        return self.in_a_row >= self.threshold

    def success(self) -> None:
        self.in_a_row = 0


def to_transient(error: PlaywrightError) -> TransientError:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, PlaywrightTimeout):
        return TransientError(f"timed out: {first_line}")
    if "closed" in first_line.lower() or "crash" in first_line.lower():
        return BrowserCrashed(f"the browser went away: {first_line}")
    return TransientError(first_line)


class Session:
    """A worker's browser context and page, logged in to the portal with a session of its own
    (a JSF portal keeps work in progress in the session: two workers must never share one).
    Renewed when it dies, when it has served `recycle_every` records, when an attempt left
    it untrustworthy, and before a record it would likely not outlive."""

    def __init__(
        self,
        host: BrowserHost,
        config: RunConfig,
        portal_url: str,
        credentials: Credentials,
        *,
        breaker: Breaker,
        lifetime: SessionLifetime,
    ) -> None:
        self.host, self.config, self.portal_url, self.credentials = host, config, portal_url, credentials
        self.breaker, self.lifetime = breaker, lifetime
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.served = 0
        self.tracing = False
        self.logged_in_at = 0.0
        self.discarded = False

    @property
    def age_s(self) -> float:
        return time.monotonic() - self.logged_in_at

    async def ready(self, *, fresh: bool) -> Page:
        timeouts = self.config.timeouts
        worn_out = self.served >= self.config.recycle_every
        if self.discarded or worn_out or self.page is None or self.page.is_closed():
            await self.drop()
            self.context = await self.host.new_context()
            self.context.set_default_timeout(timeouts.element_ms)
            self.page = await self.context.new_page()
            track(self.page)
            self.page.on("response", self._page_loaded)
            fresh = True
        elif self.lifetime.renew_before(self.age_s):
            # A new session now, rather than losing this one half-way through the record.
            await self.context.clear_cookies()
            fresh = True
        if fresh and await log_in(
            self.page, self.portal_url, self.credentials, timeout_ms=timeouts.navigation_ms
        ):
            self.logged_in_at = time.monotonic()
        return self.page

    def _page_loaded(self, response) -> None:
        # Any page the portal serves fine proves it up: the breaker counts only failures
        # with no good page in between.
        if response.status < 500 and response.request.is_navigation_request():
            self.breaker.success()

    async def start_trace(self) -> None:
        if self.context is not None and not self.tracing:
            await self.context.tracing.start(screenshots=True, snapshots=True)
            self.tracing = True

    async def stop_trace(self, path) -> None:
        if self.tracing and self.context is not None:
            self.tracing = False
            with contextlib.suppress(PlaywrightError):
                await self.context.tracing.stop(path=path)

    def discard(self) -> None:
        """The next attempt starts on a new context, hence a new portal session."""
        self.discarded = True

    async def drop(self) -> None:
        context, self.context, self.page, self.served, self.tracing = self.context, None, None, 0, False
        self.discarded = False
        if context is not None:
            with contextlib.suppress(PlaywrightError):
                await context.close()
