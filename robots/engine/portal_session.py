"""A worker's portal session: its browser context and page, logged in, renewed when needed.

A worker logs in once and again only when its session is gone (or would end during the next
record). Its cookies are kept in memory, never on disk, so that a recycled context or a
relaunched browser resumes the same portal session instead of logging in again; a session
the flow discarded (its saved work must not be submitted) is never resumed.
"""

from __future__ import annotations

import contextlib
import time

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from robots.credentials import Credentials
from robots.engine.breaker import Breaker
from robots.engine.browser import BrowserHost
from robots.engine.config import RunConfig
from robots.engine.flow import LogIn
from robots.engine.login_budget import LoginBudget
from robots.engine.page_status import home_url, remember_home, track
from robots.engine.session_lifetime import SessionLifetime


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
        log_in: LogIn,
        logins: LoginBudget,
        breaker: Breaker,
        lifetime: SessionLifetime,
    ) -> None:
        self.host, self.config, self.portal_url, self.credentials = host, config, portal_url, credentials
        self.log_in, self.logins, self.breaker, self.lifetime = log_in, logins, breaker, lifetime
        # The portal session's cookies, to resume it in a new context (memory only).
        self.cookies: dict | None = None
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
            resume = None if self.discarded else self.cookies
            home = home_url(self.page, "") if self.page is not None else ""
            await self.drop()
            self.context = await self.host.new_context(storage_state=resume)
            self.context.set_default_timeout(timeouts.element_ms)
            self.page = await self.context.new_page()
            track(self.page)
            if resume and home:
                remember_home(self.page, home)
            self.page.on("response", self._page_loaded)
            fresh = True
        elif self.lifetime.renew_before(self.age_s):
            # A new session now, rather than losing this one half-way through the record.
            await self.context.clear_cookies()
            self.cookies = None
            fresh = True
        if fresh and await self.log_in(
            self.page, self.portal_url, self.credentials, gate=self.logins, timeout_ms=timeouts.navigation_ms
        ):
            self.logins.logged_in()
            self.logged_in_at = time.monotonic()
            self.cookies = await self.context.storage_state()
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
        self.cookies = None

    async def drop(self) -> None:
        context, self.context, self.page, self.served, self.tracing = self.context, None, None, 0, False
        self.discarded = False
        if context is not None:
            with contextlib.suppress(PlaywrightError):
                await context.close()
