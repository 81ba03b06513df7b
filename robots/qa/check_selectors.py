"""`posc check-selectors` (QA kit): logs in, visits every panel of both job aids through the
flows' own steps, and reports for each key of each panel's selectors file whether it resolves
to exactly one element. Outputs: a table on the console, `selectors.json`,
`selectors.junit.xml` and a screenshot of each panel where a selector failed. Exit 0 when
every key is found (or optional and absent), 1 otherwise; bad options raise ConfigError (2).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from robots import fields
from robots.credentials import Credentials
from robots.credentials import resolve as resolve_credentials
from robots.engine import live_mode
from robots.engine.browser import launch_options, playwright_apart
from robots.engine.portal_process import portal_or_bundled_mock
from robots.errors import ConfigError
from robots.qa import data as qa_data
from robots.qa import report as selector_report
from robots.qa.panel_check import SCREENSHOTS, Checker, CheckSettings
from robots.qa.results import CheckReport
from robots.qa.walk import walk
from robots.run_folder import folder as run_folder


def check_selectors(
    *,
    portal: str | None,
    out_dir: Path,
    live: bool,
    data: Path | None,
    confirm_live: Callable[[str], bool] | None,
    rpa_registration: str | None = None,
    settings: CheckSettings | None = None,
    browser_path: str | None = None,
    stream: TextIO | None = None,
) -> int:
    stream = stream or sys.stdout
    settings = settings or CheckSettings()
    check_data = qa_data.load(data)
    if portal:
        try:
            portal = fields.portal_url(portal)
        except fields.FieldError as error:
            raise ConfigError(f"--portal: {error}") from None
        live_mode.check(portal, live=live, record_count=0, confirm=_asking(confirm_live, portal),
                        registration=rpa_registration or os.environ.get("POSC_RPA_REGISTRATION"))
    credentials = resolve_credentials(bundled_mock=portal is None)
    out = run_folder.prepare(Path(out_dir))
    _clear_previous(out)
    previous_umask = os.umask(0o077)  # screenshots show members: owner-only, as a run's
    try:
        with portal_or_bundled_mock(portal) as url:
            mock = is_mock(url)
            what = "a mock: one disenrollment and one unlink are submitted" if mock else "nothing is submitted"
            print(f"posc check-selectors: {url} ({what})", file=stream, flush=True)
            report = CheckReport(portal=url, mock=mock, data=check_data.source, started=_now())
            asyncio.run(_check(report, url, credentials, check_data, out, settings, browser_path))
            report.finished = _now()
        written = selector_report.write_all(report, out)
    finally:
        os.umask(previous_umask)
    print(selector_report.table(report), file=stream)
    print("wrote " + ", ".join(str(path) for path in written), file=stream)
    return report.exit_code


async def _check(report: CheckReport, url: str, credentials: Credentials, data: qa_data.CheckData,
                 out: Path, settings: CheckSettings, browser_path: str | None) -> None:
    async with playwright_apart() as playwright:
        browser = await playwright.chromium.launch(**launch_options(browser_path))
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            checker = Checker(page, report, out, settings)
            await walk(checker, page, url, credentials, data, mock=report.mock)
        finally:
            await browser.close()


def is_mock(url: str) -> bool:
    """The bundled mock answers `GET /_mock/health` with `{"ok": true}`; a real portal never does."""
    try:
        with urllib.request.urlopen(f"{url}/_mock/health", timeout=5) as response:
            return json.load(response) == {"ok": True}
    except Exception:  # 404, an HTML page, no answer: not the mock
        return False


def _asking(confirm: Callable[[str], bool] | None, url: str) -> Callable[[str], bool] | None:
    if confirm is None:
        return None
    question = (f"Check the selectors of the live portal {url}? Nothing is submitted there; "
                "this bot must be registered and approved by MassHealth.")
    return lambda _asked: confirm(question)


def _clear_previous(out: Path) -> None:
    """A screenshot left by an earlier check would point at a failure that is gone."""
    for old in (out / SCREENSHOTS).glob("*.png"):
        old.unlink()


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
