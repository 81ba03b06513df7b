"""The mock-only endpoints (docs/portal.md): no login, no CSRF token, never faulted."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_portal import portal, x12_834
from mock_portal.pages import batch_files

MAX_ADVANCE_DAYS = 3660  # ten years: far past any request's processing, still a real date


async def transactions(request: Request) -> Response:
    """Every accepted submission, duplicates included, oldest first."""
    body = portal.of(request).store.transactions_json()
    return Response(body, media_type="application/json")


async def logins(request: Request) -> Response:
    """Every login attempt at the gateway's panels or the POSC's own, oldest first."""
    body = portal.of(request).gateway.logins_json()
    return Response(body, media_type="application/json")


async def reset(request: Request) -> Response:
    """Back to the fixture's state; transactions, requests, sessions and the gateway's login
    state (the login log, failures, locks, used codes, waiting logins) cleared, and the clock
    back at the fixture's today."""
    portal.of(request).store.reset()
    return JSONResponse({"ok": True})


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def batch_file_834(request: Request) -> Response:
    """`?plan=<provider id>&month=YYYY-MM`: the file Manage Batch Files offers for that plan
    and month, whoever the plan's users are."""
    store = portal.of(request).store
    plan_id = request.query_params.get("plan", "").strip()
    month = x12_834.parse_month(request.query_params.get("month", ""))
    if month is None:
        return JSONResponse({"error": "month must be YYYY-MM"}, status_code=400)
    plan = store.provider(plan_id)
    if plan is None or plan["type"] != "one_care_plan":
        return JSONResponse({"error": f"no One Care plan {plan_id!r}"}, status_code=404)
    text = batch_files.batch_file(store, plan_id, month)
    if text is None:
        return JSONResponse({"error": f"no disenrollment for {plan_id} takes effect in"
                                      f" {month:%Y-%m}"}, status_code=404)
    return batch_files.attachment(text, plan_id, month)


async def advance(request: Request) -> Response:
    """`?days=N`: the portal's clock N days forward (N from 1 to MAX_ADVANCE_DAYS); every rule
    that reads "today" follows (date checks, pending disenrollments, request statuses)."""
    text = request.query_params.get("days", "").strip()
    if not re.fullmatch(r"[0-9]{1,5}", text) or not 1 <= int(text) <= MAX_ADVANCE_DAYS:
        return JSONResponse({"error": f"days must be a whole number from 1 to {MAX_ADVANCE_DAYS}"},
                            status_code=400)
    today = portal.of(request).store.advance(int(text))
    return JSONResponse({"ok": True, "today": today.isoformat()})


async def today(request: Request) -> Response:
    """The portal's date: the fixture's today (or the real date) plus the days advanced."""
    return JSONResponse({"today": portal.of(request).store.today().isoformat()})
