"""The run's login budget: the Virtual Gateway's terms forbid script-like login activity, so
the robot logs in as seldom and as calmly as a careful person would.

- One login at a time across all workers, and at least `gap_s` between two of them.
- Each login's verification code from a time step no login has used before (a gateway takes
  a code once: a worker waits for the next step).
- A refused login (wrong password, wrong code, locked, deactivated) is never tried again:
  every later turn raises the same refusal without touching the portal, so the robot can
  never lock its own account.
- Logins are counted, for the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from robots.errors import LoginRefused
from robots.one_time_codes import OneTimeCodes


class LoginBudget:
    def __init__(
        self,
        portal: str,
        *,
        gap_s: float,
        codes: OneTimeCodes | None,
        note: Callable[[str], None] = lambda text: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.portal = portal
        self.gap_s = gap_s
        self.codes = codes
        self.logins = 0
        self.refused: LoginRefused | None = None
        self._note = note
        self._clock = clock
        self._last: float | None = None
        self._lock: asyncio.Lock | None = None

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.refused is not None:
                raise self.refused
            if self._last is not None and (wait := self._last + self.gap_s - self._clock()) > 0:
                self._note(f"waiting {wait:.0f} s before the next login (logins at least {self.gap_s:g} s apart)")
                await asyncio.sleep(wait)
            try:
                yield
            except LoginRefused as refusal:
                self.refused = refusal
                raise
            finally:
                self._last = self._clock()

    async def code(self) -> str:
        if self.codes is None:
            raise LoginRefused(
                self.portal,
                "it asks for a verification code and no authenticator key is set: set POSC_TOTP_SECRET (or "
                "`keyring set posc-robot-authenticator <user>`) to the bot's authenticator account key",
            )

        def waiting(seconds: float) -> None:
            if seconds > 2:
                self._note(f"waiting {seconds:.0f} s for the authenticator's next code (the gateway takes each once)")

        return await self.codes.next(on_wait=waiting)

    def logged_in(self) -> None:
        self.logins += 1
