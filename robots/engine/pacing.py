"""Pacing: payers expect human-scale traffic, so a run can be held to a rate (`--pace N/min`,
across all workers) and to an off-peak window (`--window 22:00-06:00`, the machine's local
time). The run waits for its window to open, takes no record once it has closed (the records
in hand finish; the same command later resumes), and says on the console when and why it waits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from robots.errors import ConfigError

PACE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(min|minute|h|hour)\s*", re.IGNORECASE)
WINDOW = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


def parse_pace(text: str) -> float:
    """`30/min` or `600/h`: records per minute."""
    match = PACE.fullmatch(text)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"--pace {text!r}: give records per minute or per hour, e.g. 30/min or 600/h")
    rate = float(match.group(1))
    return rate / 60 if match.group(2).lower().startswith("h") else rate


@dataclass(frozen=True)
class Window:
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str) -> Window:
        match = WINDOW.fullmatch(text)
        try:
            if not match:
                raise ValueError
            h1, m1, h2, m2 = (int(part) for part in match.groups())
            window = cls(dt.time(h1, m1), dt.time(h2, m2))
        except ValueError:
            raise ConfigError(f"--window {text!r}: give HH:MM-HH:MM in local time, e.g. 22:00-06:00") from None
        if window.start == window.end:
            raise ConfigError(f"--window {text!r}: the window opens and closes at the same time")
        return window

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def is_open(self, now: dt.datetime) -> bool:
        moment = now.time()
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # overnight, e.g. 22:00-06:00

    def opens_in(self, now: dt.datetime) -> float:
        """Seconds until the window next opens (0 when open)."""
        if self.is_open(now):
            return 0.0
        opening = now.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        if opening <= now:
            opening += dt.timedelta(days=1)
        return (opening - now).total_seconds()


class Pace:
    """A token bucket of one: records start at most `per_minute` a minute, across workers."""

    def __init__(self, per_minute: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = 60.0 / per_minute
        self._clock = clock
        self._next = 0.0
        self._lock: asyncio.Lock | None = None

    async def take(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            now = self._clock()
            if self._next > now:
                await asyncio.sleep(self._next - now)
            self._next = max(now, self._next) + self.interval_s


class Pacing:
    """What the workers ask before each record: may it start now, and if not, why."""

    def __init__(
        self,
        *,
        pace: Pace | None = None,
        window: Window | None = None,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.pace = pace
        self.window = window
        self._now = now

    def closed(self) -> str | None:
        """Why no record may start now (the window has closed), else None."""
        if self.window is not None and not self.window.is_open(self._now()):
            return f"the run's window {self.window} has closed; run the same command again to resume"
        return None

    async def wait_for_window(self, note: Callable[[str], None]) -> None:
        if self.window is None:
            return
        wait = self.window.opens_in(self._now())
        if wait > 0:
            note(f"waiting for the run's window {self.window}: it opens in {duration(wait)}")
            await asyncio.sleep(wait)

    async def before_record(self) -> None:
        if self.pace is not None:
            await self.pace.take()


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min {int(seconds % 60)} s"
