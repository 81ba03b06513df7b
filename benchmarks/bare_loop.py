"""The reference for the throughput benchmark: the disenrollment job aid as a bare Playwright
loop, as tight as it can be written. One page, one login; per record the same panels as the
robot (Member Search, Disenrollment, Disenrollment Confirmation, Enroll/Disenroll Another
Member) and the same screenshot of the confirmation panel. No ledger, report, retries or
checks beyond waiting for each panel.

    python benchmarks/bare_loop.py PORTAL_URL RECORDS.json OUT_DIR   → JSON timings on stdout
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from robots.engine.browser import launch_options  # noqa: E402


async def main(portal: str, records: list[dict], out: Path) -> dict:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(portal)
        await page.get_by_label("User ID").fill(os.environ["POSC_USER"])
        await page.get_by_label("Password").fill(os.environ["POSC_PASSWORD"])
        await page.get_by_role("button", name="Log In").click()
        await page.get_by_role("link", name="Manage Members").click()
        await page.get_by_role("link", name="Enrollment", exact=True).click()
        await page.get_by_role("link", name="Enroll/Disenroll One Care Members").click()
        latencies = []
        began = time.monotonic()
        for n, record in enumerate(records, start=1):
            started = time.monotonic()
            await page.get_by_label("Member ID").fill(record["member_id"])
            await page.get_by_label("Last Name").fill(record["last_name"])
            await page.get_by_label("First Name").fill(record["first_name"])
            await page.get_by_role("button", name="Search").click()
            await page.get_by_label("Disenrollment Reason").select_option(label="Member request")
            await page.get_by_role("button", name="Submit").click()
            heading = page.get_by_role("heading", name="Disenrollment Confirmation")
            await heading.wait_for()
            await page.locator("section").filter(has=heading).screenshot(path=out / f"{n}.png")
            await page.get_by_role("button", name="Enroll/Disenroll Another Member").click()
            await page.get_by_role("heading", name="Member Search").wait_for()
            latencies.append(time.monotonic() - started)
        span = time.monotonic() - began
        await browser.close()
    return {"latencies_s": latencies, "span_s": span}


if __name__ == "__main__":
    portal_url, records_file, out_dir = sys.argv[1:4]
    timings = asyncio.run(main(portal_url, json.loads(Path(records_file).read_text()), Path(out_dir)))
    print(json.dumps(timings))
