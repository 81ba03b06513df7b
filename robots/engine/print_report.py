"""report.pdf: Chromium prints the same report.html a supervisor opens, for the audit packet
a compliance officer signs and files (totals, the job's checksum, who ran it under which
registration, who certified, every record with its evidence thumbnail)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from robots.engine.browser import launch_options, playwright_apart

PDF = "report.pdf"


def print_report(report: Path, *, browser_path: str | None = None) -> Path:
    """Prints `report` (an HTML file) to report.pdf beside it; returns its path."""
    target = report.with_name(PDF)
    asyncio.run(_print(report, target, browser_path))
    target.chmod(0o600)
    return target


async def _print(report: Path, target: Path, browser_path: str | None) -> None:
    async with playwright_apart() as playwright:
        browser = await playwright.chromium.launch(**launch_options(browser_path))
        try:
            page = await browser.new_page()
            await page.goto(report.resolve().as_uri(), wait_until="load")
            partial = target.with_name(target.name + ".partial")
            await page.pdf(path=partial, format="Letter", print_background=True,
                           margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
            partial.replace(target)
        finally:
            await browser.close()
