"""Job aid: Update Provider Profile - Group Unlink Requests — one record, step by step.

      find_submitted_request   (after a Submit whose answer was lost: Inquire Profile Update
                               Status lists the request if it landed)
1-3   open_update_profile      Manage Provider Information > Maintain Profile > Update Your ...
4     select_provider          the group practice in the List of Providers
5     open_group_practice_info the Steps panel's Group Practice Info
6-7   select_location          the Service Location in the List of Locations
7     select_practitioner      the name in the List of Servicing Providers (every page read:
                               a name listed twice is refused, never guessed)
8     verify_practitioner      the Service Provider Detail shows that practitioner (and NPI)
      read_end_date_on_file    (the robot's exactly-once check: the end date already requested)
8     enter_end_date           End Date in the Date Detail panel
9     save_item                Update: back to the List of Servicing Providers
10    submit_changes           Submit: the Agreement panel
11    certify_and_submit       the certification box, then Submit (ledger first)
      read_processing          the Processing panel: request ID, a screenshot
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from playwright.async_api import Locator, Page

from flows import choices, request_status, servicing_list
from flows.menu import open_menu_path
from flows.panels import Panel
from flows.provider_ids import provider_id_pattern
from flows.submit_once import sending_once
from flows.transitions import (
    act,
    arrival,
    capture_panel,
    capture_panels,
    error_shown,
    expect_gone,
    expect_panel,
    read_panel,
    region,
    settle,
)
from robots.engine.flow import FlowContext, FlowResult, capture_evidence
from robots.errors import (
    Ambiguity,
    AmbiguousSubmit,
    PortalMismatch,
    Rejection,
    SelectorError,
    ServerError,
    TransientError,
)
from robots.failpoints import failpoint
from robots.fields import us_date
from robots.records import UnlinkRecord

OPEN_ENDED_YEAR = 9999
NPI_IN_TEXT = re.compile(r"(?<!\d)[12]\d{9}(?!\d)")
# "Request ID: R-1", "Request Number: 2026112600001", "Request #1234", "Confirmation No. 77"
REQUEST_NUMBER = re.compile(
    r"\b(?:Request|Confirmation|Tracking)\s*(?:ID\b|Number\b|No\b\.?|#)\s*:?\s*#?\s*([A-Za-z0-9][A-Za-z0-9-]*)",
    re.IGNORECASE,
)

providers = Panel.load("list_of_providers")
steps = Panel.load("steps")
locations = Panel.load("list_of_locations")
servicing = Panel.load("list_of_servicing_providers")
detail = Panel.load("service_provider_detail")
agreement = Panel.load("agreement")
processing = Panel.load("processing")


async def perform(page: Page, record: UnlinkRecord, ctx: FlowContext) -> FlowResult:
    # After a Submit whose answer was lost: not every portal shows a requested end date before
    # it is processed, but the list of requests it received says whether the Submit landed.
    # Read first: it is the shorter walk (a retried record under a short session must fit).
    if ctx.verify_first and (found := await request_status.find_submitted_request(page, record, ctx)):
        return found
    await open_service_provider_detail(page, record, ctx)
    on_file = await read_end_date_on_file(page, ctx)
    if on_file == record.end_date:
        return await _already_requested(page, record, ctx)
    if on_file is not None:
        raise Rejection(
            f"End Date {us_date(on_file)} is already on file for {record.practitioner}; "
            f"the job asks for {us_date(record.end_date)}: left unchanged",
            panel=detail.name,
        )
    await enter_end_date(page, record, ctx)
    # What is asked, as the panel shows it before Update: the evidence beside the Processing
    # panel (which names the request, not the practitioner or the date).
    asked = await capture_panels(ctx, detail.locator(page, "title"), detail.locator(page, "date_detail_title"),
                                 name="asked")
    try:
        await save_item(page, record, ctx)
        await submit_changes(page, ctx)
        if ctx.dry_run:
            shot = await capture_panel(ctx, agreement.locator(page, "title"))
            await cancel_service(page, ctx)
            return FlowResult("dry_run", "stopped at the Agreement, before Submit (dry run)", None, asked,
                              evidence=_present(shot))
        await certify_and_submit(page, ctx)
    except Exception:
        # A profile change saved in the session must never ride along with the next
        # record's Submit. Cancel Service cannot be trusted on a page whose Submit hangs:
        # the whole session goes.
        ctx.discard_session()
        raise
    done = await read_processing(page, record, ctx)
    return dataclasses.replace(done, evidence=_present(asked))


def _present(*shots: str | None) -> tuple[str, ...]:
    return tuple(shot for shot in shots if shot)


async def open_service_provider_detail(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Steps 1-8, up to the verified Service Provider Detail."""
    await open_update_profile(page, ctx)
    await select_provider(page, ctx)
    await open_group_practice_info(page, ctx)
    await select_location(page, record, ctx)
    await select_practitioner(page, record, ctx)
    await verify_practitioner(page, record, ctx)


async def open_update_profile(page: Page, ctx: FlowContext) -> None:
    """Steps 1-3: to the List of Providers."""
    await open_menu_path(
        page, "update_profile", arrive=providers.locator(page, "title"), panel=providers.name,
        portal_url=ctx.portal_url, timeout_ms=ctx.timeouts.navigation_ms,
    )


async def select_provider(page: Page, ctx: FlowContext) -> None:
    """Step 4: the group practice the job acts for. LTSS, dental and ORP providers are
    refused by the portal, and that refusal is the record's."""
    listed = await region(providers.locator(page, "title"), panel=providers.name, timeout_ms=ctx.timeouts.element_ms)
    # A row with a cell naming the provider ID (cells, not the row's text: portals that put no
    # space between cells would run "110000001A" into the city).
    named = provider_id_pattern(ctx.provider_id)
    cell = page.get_by_role("cell", name=named).or_(page.get_by_role("rowheader", name=named))
    rows = choices.innermost_rows(listed, lambda rows: rows.filter(has=cell))
    count = await rows.count()
    if count != 1:
        raise PortalMismatch(
            f"the List of Providers shows provider {ctx.provider_id} {count} times, not once: "
            "the credentials are not granted the provider the job names"
        )
    target = await choices.clickable(rows)
    await act(page, target.click, arrival(page, steps, ctx), start=providers.locator(page, "title"))


async def open_group_practice_info(page: Page, ctx: FlowContext) -> None:
    """Step 5."""
    async def click() -> None:
        await steps.click(page, "group_practice_info", timeout_ms=ctx.timeouts.element_ms)

    await act(page, click, arrival(page, locations, ctx), start=steps.locator(page, "title"))


async def select_location(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Steps 6-7: the DBA name, matched whole; a name listed twice is refused."""
    # Within the List of Locations panel, whatever its markup (the job aid's second picture
    # of it has no "DBA Name" header at all).
    listed = await region(locations.locator(page, "title"), panel=locations.name, timeout_ms=ctx.timeouts.element_ms)
    entries, count = await choices.choice(listed, record.location)
    if count == 0:
        raise Rejection(f"no service location named {record.location!r} in the List of Locations", panel=locations.name)
    if count > 1:
        raise Ambiguity(
            f"{count} service locations are named {record.location!r}; refusing to guess which",
            panel=locations.name,
        )
    await act(page, entries.click, arrival(page, servicing, ctx), start=locations.locator(page, "title"))


async def select_practitioner(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Step 7: the one row of the List of Servicing Providers with the practitioner's name."""
    link = await servicing_list.find_practitioner(
        page, record.practitioner, record.location, ctx, reopen=lambda: select_location(page, record, ctx)
    )
    await act(page, link.click, arrival(page, detail, ctx), start=servicing.locator(page, "title"))


async def verify_practitioner(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Step 8: "Verify the correct provider was selected" — the name, and the NPI when the
    job gives one."""
    _, text = await read_panel(detail.locator(page, "title"), panel=detail.name, timeout_ms=ctx.timeouts.element_ms)
    words = set(re.findall(r"[^\W\d_]+", record.practitioner.upper()))
    if not words <= set(re.findall(r"[^\W\d_]+", text.upper())):
        raise Rejection(
            f"the Service Provider Detail does not show {record.practitioner!r}", panel=detail.name
        )
    if record.npi and record.npi not in NPI_IN_TEXT.findall(text):
        shown = ", ".join(NPI_IN_TEXT.findall(text)) or "no NPI"
        raise Rejection(
            f"NPI mismatch: the Service Provider Detail shows {shown}, the job gives {record.npi}",
            panel=detail.name,
        )


async def read_end_date_on_file(page: Page, ctx: FlowContext) -> dt.date | None:
    value = (await detail.evaluate(page, "end_date", "e => e.value", timeout_ms=ctx.timeouts.element_ms)).strip()
    if not value:
        return None
    try:
        on_file = dt.datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        raise Rejection(f"the End Date on file reads {value!r}, not a date", panel=detail.name) from None
    # MMIS writes an open-ended link as 12/31/9999: no end date yet.
    return None if on_file.year >= OPEN_ENDED_YEAR else on_file


async def enter_end_date(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Step 8: the servicing provider's end date with the group, as MM/DD/YYYY."""
    await detail.fill(page, "end_date", us_date(record.end_date), timeout_ms=ctx.timeouts.element_ms)


async def save_item(page: Page, record: UnlinkRecord, ctx: FlowContext) -> None:
    """Step 9: Update saves and returns to the List of Servicing Providers; the portal's
    date rules (not before the effective date, not before today) refuse here."""
    async def update() -> None:
        if not await read_end_date_on_file(page, ctx):  # Back may bring the panel back empty
            await enter_end_date(page, record, ctx)
        await detail.click(page, "update", timeout_ms=ctx.timeouts.element_ms)

    async def back_on_the_list() -> None:
        try:
            await expect_gone(
                page, detail.locator(page, "end_date"), panel="Date Detail", timeout_ms=ctx.timeouts.navigation_ms
            )
        except ServerError:
            raise
        except TransientError:
            # A portal may keep the detail panel open under the list. No refusal came and
            # the list is there: saved. (Submit's answer would say otherwise.)
            if await error_shown(page):
                raise
        await arrival(page, servicing, ctx)()

    await act(page, update, back_on_the_list, start=detail.locator(page, "date_detail_title"))


async def submit_changes(page: Page, ctx: FlowContext) -> None:
    """Step 10."""
    async def click() -> None:
        await servicing.click(page, "submit", timeout_ms=ctx.timeouts.element_ms)

    await act(page, click, arrival(page, agreement, ctx), start=servicing.locator(page, "title"))


async def certify_and_submit(page: Page, ctx: FlowContext) -> None:
    """Step 11. The person the job names certifies the Agreement's text as the panel shows it;
    the robot ticks the box for them. The ledger learns of the Submit before the click; an
    answer other than the Processing panel or a refusal leaves the outcome unknown
    (AmbiguousSubmit)."""
    _, text = await read_panel(agreement.locator(page, "title"), panel=agreement.name,
                               timeout_ms=ctx.timeouts.element_ms, statement=True)
    await ctx.certify(text)
    await agreement.check(page, "certify", timeout_ms=ctx.timeouts.element_ms)
    button = await agreement.one(page, "submit", timeout_ms=ctx.timeouts.element_ms)
    ctx.mark_submitting()
    try:
        async with sending_once(page, timeout_ms=ctx.timeouts.submit_ms):
            await button.click(timeout=ctx.timeouts.submit_ms)
            failpoint("after-submit-click")
            await expect_panel(
                page, _processing_shown(page), panel=processing.name,
                timeout_ms=ctx.timeouts.submit_ms,
            )
    except Rejection:
        raise
    except (TransientError, SelectorError) as error:
        raise AmbiguousSubmit(processing.name, str(error)) from error
    except Exception as error:
        raise AmbiguousSubmit(processing.name, type(error).__name__) from error


def _processing_shown(page: Page) -> Locator:
    """The Processing panel's title, or its "processed within 10 business days" sentence."""
    return processing.locator(page, "title").or_(processing.locator(page, "processed_within"))


async def read_processing(page: Page, record: UnlinkRecord, ctx: FlowContext) -> FlowResult:
    panel, text = await read_panel(_processing_shown(page), panel=processing.name, timeout_ms=ctx.timeouts.element_ms)
    shot = await capture_evidence(ctx, panel)
    request = REQUEST_NUMBER.search(text)
    facts = {
        "panel": processing.name,
        "request_id": request.group(1) if request else None,
        "end_date": us_date(record.end_date),
        "text": text,
    }
    message = "Unlink request submitted" + (f" (request {facts['request_id']})" if request else "")
    return FlowResult("done", message, facts, shot)


async def cancel_service(page: Page, ctx: FlowContext) -> None:
    """Cancel Service drops the changes held in the session (after a dry run's walk)."""
    await servicing.click(page, "cancel_service", timeout_ms=ctx.timeouts.element_ms)
    await settle(page, ctx.timeouts.navigation_ms)


async def _already_requested(page: Page, record: UnlinkRecord, ctx: FlowContext) -> FlowResult:
    shot = await capture_panel(ctx, detail.locator(page, "date_detail_title"))
    on_file = f"the portal shows End Date {us_date(record.end_date)} on file"
    if ctx.verify_first:
        return FlowResult(
            "done", f"the Submit's answer was lost; {on_file}",
            {"panel": "Date Detail", "end_date": us_date(record.end_date), "confirmed_by": "re-reading the portal"},
            shot,
        )
    return FlowResult("already_done", on_file, {"panel": "Date Detail", "end_date": us_date(record.end_date)}, shot)
