"""The walk of `posc check-selectors`: log in, then both job aids panel by panel, through the
flows' own step functions (no navigation of its own), checking each panel on arrival.

Nothing that changes the portal's state is submitted, except on the mock, where one member is
disenrolled and one unlink submitted to reach the Disenrollment Confirmation and Processing
panels. Elsewhere the walk stops before each Submit, as a dry run does: the Agreement is
reached (its Submit is the one that files the request) and left with Cancel Service.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Awaitable, Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from flows import disenroll_one_care as disenroll
from flows import group_unlink as unlink
from flows.login import log_in
from robots.credentials import Credentials
from robots.engine.flow import FlowContext
from robots.engine.login_budget import LoginBudget
from robots.engine.page_status import track
from robots.errors import PoscError
from robots.one_time_codes import OneTimeCodes
from robots.qa.data import CheckData
from robots.qa.panel_check import Checker

# The login's panels: the Virtual Gateway's chain, or only a portal's own login panel.
LOGIN = ["gateway_start", "login", "verification_code", "applications"]
DISENROLL = ["member_search", "disenrollment", "disenrollment_confirmation"]
UNLINK = [
    "list_of_providers", "steps", "list_of_locations", "list_of_servicing_providers",
    "service_provider_detail", "agreement", "processing",
]
WOULD_CHANGE = "would change the portal's state"


def register(checker: Checker) -> None:
    """Every panel, in the job aids' order, before anything is checked."""
    for stem in LOGIN + DISENROLL + UNLINK:
        checker.panel(stem)


async def walk(checker: Checker, page: Page, portal_url: str, credentials: Credentials,
               data: CheckData, *, mock: bool) -> None:
    register(checker)
    track(page)
    timeouts = checker.settings.timeouts
    if not await _log_in(checker, page, portal_url, credentials):
        checker.close_workflow(LOGIN + DISENROLL + UNLINK)
        return
    if data.member is None:
        checker.not_visited(DISENROLL, "the data file has no `disenroll` section")
    else:
        await _disenroll(checker, page, _context(portal_url, data.plan_provider_id, timeouts), data, mock=mock)
        checker.close_workflow(DISENROLL)
    if data.unlink is None:
        checker.not_visited(UNLINK, "the data file has no `group_unlink` section")
    else:
        await _unlink(checker, page, _context(portal_url, data.group_provider_id, timeouts), data, mock=mock)
        checker.close_workflow(UNLINK)


async def _log_in(checker: Checker, page: Page, portal_url: str, credentials: Credentials) -> bool:
    """The flows' own login, each panel of it checked as it shows; a panel this portal's
    login does not have (a plain User ID panel has no gateway) is not visited."""
    timeout = checker.settings.timeouts.navigation_ms
    shown: list[str] = []

    async def check_panel(stem: str) -> None:
        shown.append(stem)
        await checker.check(stem)

    codes = OneTimeCodes(credentials.user, credentials.authenticator) if credentials.authenticator else None
    gate = LoginBudget(portal_url, gap_s=0, codes=codes)
    logged_in = await checker.step(
        lambda: log_in(page, portal_url, credentials, gate=gate, timeout_ms=timeout, on_panel=check_panel)
    )
    if logged_in:
        checker.not_visited([stem for stem in LOGIN if stem not in shown], "this portal's login has no such panel")
    return logged_in


async def _disenroll(checker: Checker, page: Page, ctx: FlowContext, data: CheckData, *, mock: bool) -> None:
    member = data.member
    assert member is not None
    if not mock:
        checker.not_visited(["disenrollment_confirmation"], WOULD_CHANGE)
    step = _stepper(checker)
    if not await step(lambda: disenroll.open_member_search(page, ctx), "member_search"):
        return
    await checker.check("member_search")
    if not await step(lambda: disenroll.search_member(page, member, ctx), "disenrollment"):  # steps 4-8
        return
    await checker.check("disenrollment")
    for reason in data.reasons:  # step 9: every reason the jobs name must be offered
        offered = dataclasses.replace(member, reason=reason)
        await checker.offered(
            "disenrollment", f"reason option {reason!r}", lambda r=offered: disenroll.choose_reason(page, r, ctx)
        )
    if not mock:
        return
    if await step(lambda: disenroll.choose_reason(page, member, ctx)) and await step(
        lambda: disenroll.submit(page, ctx), "disenrollment_confirmation"  # step 10, on the mock only
    ):
        await checker.check("disenrollment_confirmation")


async def _unlink(checker: Checker, page: Page, ctx: FlowContext, data: CheckData, *, mock: bool) -> None:
    record = data.unlink
    assert record is not None
    if not mock:
        checker.not_visited(["processing"], WOULD_CHANGE)
    step = _stepper(checker)
    walk_to = [  # job aid steps 1-7, each checked on arrival
        (lambda: unlink.open_update_profile(page, ctx), "list_of_providers"),
        (lambda: unlink.select_provider(page, ctx), "steps"),
        (lambda: unlink.open_group_practice_info(page, ctx), "list_of_locations"),
        (lambda: unlink.select_location(page, record, ctx), "list_of_servicing_providers"),
        (lambda: unlink.select_practitioner(page, record, ctx), "service_provider_detail"),
    ]
    for action, stem in walk_to:
        if not await step(action, stem):
            return
        if stem != "service_provider_detail":
            await checker.check(stem)
    if not await step(lambda: unlink.verify_practitioner(page, record, ctx)):  # step 8
        return
    await checker.check("service_provider_detail")
    saved = False
    try:
        if not (await step(lambda: unlink.enter_end_date(page, record, ctx))
                and await step(lambda: unlink.save_item(page, record, ctx))):  # steps 8-9
            return
        saved = True
        if not await step(lambda: unlink.submit_changes(page, ctx), "agreement"):  # step 10
            return
        await checker.check("agreement")
        if not mock:
            return
        if await step(lambda: unlink.certify_and_submit(page, ctx), "processing"):  # step 11, mock only
            saved = False
            await checker.check("processing")
    finally:
        if saved:
            # Drop the change saved in the portal session. Should that fail, the session
            # ends with the check's browser context, and the change with it, never submitted.
            with contextlib.suppress(PoscError, PlaywrightError):
                await unlink.cancel_service(page, ctx)


def _stepper(checker: Checker) -> Callable[..., Awaitable[bool]]:
    async def step(action: Callable[[], Awaitable[object]], arriving: str | None = None) -> bool:
        return await checker.step(action, arriving=arriving)

    return step


async def nothing_to_certify(text: str) -> None:
    pass


def _context(portal_url: str, provider_id: str | None, timeouts) -> FlowContext:
    async def no_evidence(_panel) -> str:
        return ""

    return FlowContext(
        portal_url=portal_url,
        provider_id=provider_id or "",
        dry_run=False,
        verify_first=False,
        mark_submitting=lambda: None,
        capture=no_evidence,
        # The bundled mock only (elsewhere the walk stops before each Submit): nothing real
        # is certified there.
        certify=nothing_to_certify,
        timeouts=timeouts,
    )
