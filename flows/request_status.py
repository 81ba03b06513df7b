"""Inquire Profile Update Status (Manage Provider Information > Maintain Profile): the profile
update requests the portal received, each with its status. Read after an unlink's Submit whose
answer was lost (did it land?), and weeks later by `posc follow-up` (did MassHealth process
it? "requests will be processed within 10 business days", unlink job aid).
"""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page

from flows import choices
from flows.menu import open_menu_path
from flows.panels import Panel
from flows.transitions import read_panel
from robots.engine.flow import FlowContext, FlowResult, capture_evidence
from robots.errors import SelectorError
from robots.fields import us_date
from robots.records import UnlinkRecord

inquiry = Panel.load("inquire_profile_status")
# A request number as the list shows it (digits, perhaps with dashes).
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


async def open_inquiry(page: Page, ctx: FlowContext) -> None:
    await open_menu_path(
        page, "inquire_profile_status", arrive=inquiry.locator(page, "title"), panel=inquiry.name,
        portal_url=ctx.portal_url, timeout_ms=ctx.timeouts.navigation_ms,
    )


async def find_submitted_request(
    page: Page, record: UnlinkRecord, ctx: FlowContext
) -> FlowResult | None:
    """After a Submit whose answer was lost: Inquire Profile Update Status lists the requests
    the portal received. A row naming the practitioner and the end date means it landed.
    (Portals that show a requested End Date on the Date Detail are caught there too.)"""
    try:
        await open_inquiry(page, ctx)
    except SelectorError:
        return None  # a portal without the inquiry: the Date Detail check still applies
    def naming_the_request(rows: Locator) -> Locator:
        rows = rows.filter(has_text=us_date(record.end_date))
        for word in re.findall(r"[^\W\d_]+", record.practitioner):
            rows = rows.filter(has_text=re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE))
        return rows

    rows = choices.innermost_rows(page, naming_the_request)
    if await rows.count() < 1:
        return None
    text = " ".join((await rows.first.inner_text()).split())
    shot = await capture_evidence(ctx, rows.first)
    return FlowResult(
        "done",
        f"the Submit's answer was lost; Inquire Profile Update Status lists the request: {text}",
        {"panel": "Inquire Profile Update Status", "row": text, "confirmed_by": "re-reading the portal"},
        shot,
    )


async def request_statuses(page: Page, ctx: FlowContext) -> tuple[dict[str, str], str | None]:
    """Every request the list shows, by request number, with its status as the portal words
    it; and a screenshot of the list. The columns are found by their headers ("Request",
    "Status"), wherever a portal puts them."""
    await open_inquiry(page, ctx)
    panel, _ = await read_panel(inquiry.locator(page, "title"), panel=inquiry.name,
                                timeout_ms=ctx.timeouts.element_ms)
    shot = await capture_evidence(ctx, panel, name="requests")
    rows = await page.evaluate(ROWS_SCRIPT)
    statuses: dict[str, str] = {}
    for row in rows:
        request, status = row.get("request", "").strip(), " ".join(row.get("status", "").split())
        if REQUEST_ID.match(request) and status:
            statuses[request] = status
    return statuses, shot


# The list's table: the innermost one whose header names a Request and a Status column;
# each body row read as {request, status} by those columns' places.
ROWS_SCRIPT = """() => {
    const tables = [...document.querySelectorAll('table')].filter(t => !t.querySelector('table'));
    for (const table of tables) {
        const headers = [...table.querySelectorAll('th')].map(h => h.innerText.trim().toLowerCase());
        const request = headers.findIndex(h => h.startsWith('request'));
        const status = headers.findIndex(h => h === 'status' || h.endsWith(' status'));
        if (request < 0 || status < 0) continue;
        return [...table.querySelectorAll('tr')].filter(r => r.querySelector('td')).map(r => {
            const cells = [...r.querySelectorAll('td')].map(c => c.innerText.trim());
            return {request: cells[request] || '', status: cells[status] || ''};
        });
    }
    return [];
}"""
