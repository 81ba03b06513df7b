"""Job aid: Disenroll a Member from One Care — one record, step by step.

1-3   open_member_search      Manage Members > Enrollment > Enroll/Disenroll One Care Members
4     verify_provider_id      the plan's Provider ID defaults in the Provider ID field
5-8   search_member           Member ID, Last Name, First Name, Search
      read_pending_notice     (the robot's exactly-once check: a disenrollment already pending)
9     choose_reason           the Disenrollment Reason from the dropdown
10    submit                  Submit (recorded in the ledger first; never clicked blindly again)
11    read_confirmation       verify MMIS validated it; the effective date; a screenshot
12    start_another_member    Enroll/Disenroll Another Member
"""

from __future__ import annotations

import re

from playwright.async_api import Page

from flows.menu import open_menu_path
from flows.panels import Panel
from flows.provider_ids import provider_matches
from flows.submit_once import sending_once
from flows.transitions import act, arrival, capture_panel, expect_panel, read_panel
from robots.engine.flow import FlowContext, FlowResult, capture_evidence
from robots.engine.page_status import forget
from robots.errors import (
    AmbiguousSubmit,
    NotOffered,
    PortalMismatch,
    Rejection,
    SelectorError,
    TransientError,
)
from robots.failpoints import failpoint
from robots.records import DisenrollRecord

US_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
# A refusal that says the work is done already: "A disenrollment for this member is pending",
# "... has already been submitted", "the member is already disenrolled".
ALREADY = re.compile(
    r"\bpending\b|\balready\b.{0,40}\b(?:submitted|requested|disenrolled|received)\b", re.IGNORECASE
)
VALIDATED = re.compile(r"\bvalidated\b.*\bMMIS\b|\bMMIS\b.*\bvalidated\b", re.IGNORECASE)

member_search = Panel.load("member_search")
disenrollment = Panel.load("disenrollment")
confirmation = Panel.load("disenrollment_confirmation")


async def perform(page: Page, record: DisenrollRecord, ctx: FlowContext) -> FlowResult:
    await open_member_search(page, ctx)
    try:
        await search_member(page, record, ctx)
    except Rejection as refusal:
        return await _search_refused(page, ctx, refusal)
    pending = await read_pending_notice(page)
    if pending and ctx.verify_first:
        # Our earlier Submit lost its answer, yet the portal shows it landed: done, once.
        return FlowResult(
            "done",
            f"the Submit's answer was lost; the portal shows it landed: {pending}",
            {"panel": disenrollment.name, "notice": pending, "confirmed_by": "re-reading the portal"},
            await _capture_disenrollment_panel(page, ctx),
        )
    if pending:
        return FlowResult(
            "already_done", pending, {"panel": disenrollment.name, "notice": pending},
            await _capture_disenrollment_panel(page, ctx),
        )
    await choose_reason(page, record, ctx)
    if ctx.dry_run:
        shot = await _capture_disenrollment_panel(page, ctx)
        return FlowResult("dry_run", "stopped before Submit (dry run)", None, shot)
    try:
        await submit(page, ctx)
    except Rejection as refusal:
        if not ALREADY.search(refusal.message):
            raise
        # Refused as done before: nothing was submitted now.
        return await _refused_as_done(page, ctx, refusal, disenrollment)
    result = await read_confirmation(page, ctx)
    await start_another_member(page, ctx)
    return result


async def _search_refused(page: Page, ctx: FlowContext, refusal: Rejection) -> FlowResult:
    if ctx.verify_first:
        # The member was found and valid when we clicked Submit; refused now (no longer a
        # current One Care member), the disenrollment landed. Never `rejected`: that would
        # hide a submission that happened.
        return FlowResult(
            "done",
            f"the Submit's answer was lost; the portal now refuses the member: {refusal.message}",
            {"panel": member_search.name, "refusal": refusal.message, "confirmed_by": "re-reading the portal"},
            await capture_panel(ctx, member_search.locator(page, "title")),
        )
    if ALREADY.search(refusal.message):
        return await _refused_as_done(page, ctx, refusal, member_search)
    raise refusal


async def _refused_as_done(page: Page, ctx: FlowContext, refusal: Rejection, panel: Panel) -> FlowResult:
    """The portal refused because the member's disenrollment is pending already."""
    return FlowResult(
        "already_done", refusal.message, {"panel": panel.name, "refusal": refusal.message},
        await capture_panel(ctx, panel.locator(page, "title")),
    )


async def open_member_search(page: Page, ctx: FlowContext) -> None:
    """Steps 1-3, unless step 12 of the record before left the Member Search panel open
    (clean: a refusal still shown there would be taken for the next record's)."""
    if await member_search.shown(page):
        stale = disenrollment.locator(page, "title").or_(Panel.load("portal").locator(page, "error"))
        if not await stale.count():
            return
    await open_menu_path(
        page, "enroll_disenroll_one_care", arrive=member_search.locator(page, "title"),
        panel=member_search.name, portal_url=ctx.portal_url, timeout_ms=ctx.timeouts.navigation_ms,
    )


PROVIDER_FIELD = """field => ({
    tag: field.tagName.toLowerCase(),
    value: 'value' in field ? field.value : field.innerText,
    options: field.tagName === 'SELECT'
        ? Array.from(field.options).map(o => ({value: o.value, text: o.text, selected: o.selected}))
        : [],
})"""


async def verify_provider_id(page: Page, ctx: FlowContext) -> None:
    """Step 4: the acting plan's Provider ID defaults in the Provider ID field. Where the user
    has several plans and the field is a list, the job's plan is chosen from it."""
    field = await member_search.evaluate(page, "provider_id", PROVIDER_FIELD, timeout_ms=ctx.timeouts.element_ms)
    if field["tag"] == "select":
        chosen = [o for o in field["options"] if provider_matches(o["value"] + " " + o["text"], ctx.provider_id)]
        if len(chosen) != 1:
            raise PortalMismatch(
                f"the Provider ID list on Member Search does not offer {ctx.provider_id} exactly once"
            )
        if not chosen[0]["selected"]:
            await member_search.locator(page, "provider_id").select_option(value=chosen[0]["value"])
        return
    if not provider_matches(field["value"], ctx.provider_id):
        raise PortalMismatch(
            f"the Provider ID on Member Search defaults to {field['value'].strip()!r}, not {ctx.provider_id}: "
            "the credentials act for another plan than the job names"
        )


async def search_member(page: Page, record: DisenrollRecord, ctx: FlowContext) -> None:
    """Steps 4-8. The names are typed exactly as the job gives them (as on the ID card)."""
    timeout = ctx.timeouts.element_ms

    async def search() -> None:
        await verify_provider_id(page, ctx)
        await member_search.fill(page, "member_id", record.member_id, timeout_ms=timeout)
        await member_search.fill(page, "last_name", record.last_name, timeout_ms=timeout)
        await member_search.fill(page, "first_name", record.first_name, timeout_ms=timeout)
        await member_search.click(page, "search", timeout_ms=timeout)

    # "If the member is currently a valid member of One Care, the Disenrollment panel will
    # display"; otherwise the portal says why, and that is the record's rejection.
    await act(page, search, arrival(page, disenrollment, ctx), start=member_search.locator(page, "title"))


async def read_pending_notice(page: Page) -> str | None:
    notice = disenrollment.locator(page, "pending_notice")
    texts = await notice.all_inner_texts()
    return " ".join(" ".join(texts).split()) or None


async def choose_reason(page: Page, record: DisenrollRecord, ctx: FlowContext) -> None:
    """Step 9. The job's reason must be one of the dropdown's labels (case and spacing aside).
    A reason the list does not offer is the record's mistake: refused with the list offered,
    and the run goes on (the corrected record is tried again by the next run). A label the
    list shows twice is the portal's: never a guess."""
    labels = await _reason_labels(page, ctx)
    wanted = record.reason.casefold()
    matches = [label for label in labels if label.casefold() == wanted]
    offered = [label for label in labels if label and not label.startswith("--")]
    if not matches:
        raise NotOffered(disenrollment.name, "Disenrollment Reason", record.reason, offered)
    if len(matches) > 1:
        raise SelectorError(
            disenrollment.name, f"reason option {record.reason!r}", found=len(matches),
            detail=f"the Disenrollment Reason list offers: {', '.join(offered)}",
        )
    await disenrollment.locator(page, "reason").select_option(label=matches[0], timeout=ctx.timeouts.element_ms)


async def _reason_labels(page: Page, ctx: FlowContext) -> list[str]:
    labels = await disenrollment.evaluate(
        page, "reason", "s => Array.from(s.options).map(o => o.text)", timeout_ms=ctx.timeouts.element_ms
    )
    return [" ".join(label.split()) for label in labels]


async def offered_reasons(page: Page, record: DisenrollRecord, ctx: FlowContext) -> list[str]:
    """Steps 1-8 for `record`, then the Disenrollment Reason list as the portal offers it:
    nothing is chosen, nothing submitted (what `posc validate --portal` checks a job against).
    A member the portal refuses raises its Rejection: another record may be tried."""
    await open_member_search(page, ctx)
    await search_member(page, record, ctx)
    return [label for label in await _reason_labels(page, ctx) if label and not label.startswith("--")]


async def submit(page: Page, ctx: FlowContext) -> None:
    """Step 10. The ledger learns of the Submit before the click; any answer other than the
    confirmation or a refusal leaves the outcome unknown (AmbiguousSubmit)."""
    button = await disenrollment.one(page, "submit", timeout_ms=ctx.timeouts.element_ms)
    ctx.mark_submitting()
    try:
        async with sending_once(page, timeout_ms=ctx.timeouts.submit_ms):
            await button.click(timeout=ctx.timeouts.submit_ms)
            failpoint("after-submit-click")
            await expect_panel(
                page, confirmation.locator(page, "title"), panel=confirmation.name,
                timeout_ms=ctx.timeouts.submit_ms,
            )
    except Rejection:
        raise
    except (TransientError, SelectorError) as error:
        raise AmbiguousSubmit(confirmation.name, str(error)) from error
    except Exception as error:  # a Playwright timeout or a lost connection
        raise AmbiguousSubmit(confirmation.name, type(error).__name__) from error


async def read_confirmation(page: Page, ctx: FlowContext) -> FlowResult:
    """Step 11: verify that the disenrollment has been validated by MMIS."""
    panel, text = await read_panel(
        confirmation.locator(page, "title"), panel=confirmation.name, timeout_ms=ctx.timeouts.element_ms
    )
    shot = await capture_evidence(ctx, panel)
    dates = US_DATE.findall(text)
    facts = {
        "panel": confirmation.name,
        "validated_by_mmis": bool(VALIDATED.search(text)),
        "effective_date": dates[-1] if dates else None,
        "text": text,
    }
    # The submission happened either way: the record is done. What the panel failed to say
    # is said loudly in the message, for the supervisor to check.
    message = "Disenrollment validated by MMIS" if facts["validated_by_mmis"] else (
        "Disenrollment Confirmation shown, but it does not say MMIS validated it: check the member"
    )
    if facts["effective_date"]:
        message += f"; disenrolled as of {facts['effective_date']}"
    if shot is None:
        message += " (no screenshot could be taken)"
    return FlowResult("done", message, facts, shot)


async def start_another_member(page: Page, ctx: FlowContext) -> None:
    """Step 12, waiting for Member Search to replace the confirmation: a portal that answers
    the click in place loads Member Search a while later, and would cut short whatever the
    next record began meanwhile. A failure here does not undo the record: the next one opens
    the menu."""
    try:
        forget(page)
        await confirmation.click(page, "another_member", timeout_ms=ctx.timeouts.element_ms)
        await expect_panel(page, member_search.locator(page, "title"), panel=member_search.name,
                           timeout_ms=ctx.timeouts.navigation_ms)  # or a failed page, at once
    except Exception:
        return


async def _capture_disenrollment_panel(page: Page, ctx: FlowContext) -> str | None:
    return await capture_panel(ctx, disenrollment.locator(page, "title"))
