"""Which Chromium to drive, how to launch it on a closed network, and what its failures mean.

Order: `--browser-path` or `POSC_CHROMIUM`; a browser Playwright itself installed;
the system's `chromium`, `chromium-browser`, `google-chrome`. For a headless run a headless
shell comes first at each step (Playwright's own choice too): the old headless shell needs a
third less CPU per page than the full browser in headless mode, which on a small machine is
records per hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Playwright, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from robots.errors import BrowserCrashed, ConfigError, TransientError

# Without these Chromium keeps calling home and stalls on a closed network.
LAUNCH_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

SYSTEM_HEADLESS_SHELLS = ("chromium-headless-shell",)
SYSTEM_BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
PLAYWRIGHT_HEADLESS_SHELLS = ("chromium_headless_shell-*/chrome-*/headless_shell",)
PLAYWRIGHT_BROWSERS = ("chromium-*/chrome-linux*/chrome",)


def _playwright_cache() -> Path:
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if configured and configured != "0":
        return Path(configured)
    return Path.home() / ".cache" / "ms-playwright"


def _playwright_installed(patterns: tuple[str, ...]) -> str | None:
    """A browser Playwright downloaded (looked up on disk: no driver started)."""
    for pattern in patterns:
        found = sorted(glob.glob(str(_playwright_cache() / pattern)))
        if found and os.access(found[-1], os.X_OK):
            return found[-1]
    return None


def _on_path(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_chromium(explicit: str | None = None, *, headless: bool = True) -> str:
    """The path of the Chromium to launch, or a ConfigError that says what was tried."""
    chosen = explicit or os.environ.get("POSC_CHROMIUM")
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise ConfigError(f"the browser {chosen!r} (from --browser-path or POSC_CHROMIUM) is not an executable file")
    shells = PLAYWRIGHT_HEADLESS_SHELLS if headless else ()
    found = _playwright_installed(shells + PLAYWRIGHT_BROWSERS) or _on_path(
        (SYSTEM_HEADLESS_SHELLS if headless else ()) + SYSTEM_BROWSERS
    )
    if found:
        return found
    raise ConfigError(
        "no Chromium found: set POSC_CHROMIUM, run `playwright install chromium`, "
        "or install Debian's packages (`apt-get install -y chromium chromium-headless-shell`)"
    )


def launch_options(
    explicit: str | None = None, *, headed: bool = False, slow_mo_ms: int = 0
) -> dict:
    """Keyword arguments for `BrowserType.launch`."""
    return {
        "executable_path": find_chromium(explicit, headless=not headed),
        "args": list(LAUNCH_ARGS),
        "headless": not headed,
        "slow_mo": slow_mo_ms,
    }


@contextlib.asynccontextmanager
async def playwright_apart() -> AsyncIterator[Playwright]:
    """Playwright with its driver in a process session of its own. A Ctrl-C at a terminal
    reaches every process of the foreground group, and Playwright's driver answers it by
    closing every browser at once: the records in hand would end without their evidence, and
    the console would show the driver's connection dying. The robot handles Ctrl-C itself (it
    finishes the records in hand and stops), so the driver must not see it."""
    spawn = asyncio.create_subprocess_exec

    async def spawn_apart(*args, **kwargs):
        kwargs.setdefault("start_new_session", True)
        return await spawn(*args, **kwargs)

    asyncio.create_subprocess_exec = spawn_apart  # only while the driver starts, below
    try:
        playwright = await async_playwright().start()
    finally:
        asyncio.create_subprocess_exec = spawn
    try:
        yield playwright
    finally:
        await playwright.stop()


class BrowserHost:
    """One browser per run, relaunched when it dies; each worker takes its own context from it."""

    def __init__(self, playwright, options: dict) -> None:
        self._playwright = playwright
        self._options = options
        self._browser = None
        self._lock = asyncio.Lock()
        self.launches = 0

    async def new_context(self, *, storage_state: dict | None = None):
        """A context of its own; `storage_state` (cookies) restores a worker's own portal
        session in it, after a browser restart or a recycle, without logging in again."""
        async with self._lock:
            if self._browser is None or not self._browser.is_connected():
                self._browser = await self._playwright.chromium.launch(**self._options)
                self.launches += 1
            browser = self._browser
        return await browser.new_context(viewport={"width": 1280, "height": 900}, storage_state=storage_state)

    @property
    def browser(self):
        return self._browser

    async def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            await self._browser.close()


def to_transient(error: PlaywrightError) -> TransientError:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, PlaywrightTimeout):
        return TransientError(f"timed out: {first_line}")
    if "closed" in first_line.lower() or "crash" in first_line.lower():
        return BrowserCrashed(f"the browser went away: {first_line}")
    return TransientError(first_line)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["--which"]:
        print("usage: python -m robots.engine.browser --which", file=sys.stderr)
        return 2
    try:
        print(find_chromium())
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
