"""Manage Batch Files: the 834 of each One Care plan the user acts for, one a month, holding
the terminations of the disenrollments the portal accepted for the plan, effective that month
(x12_834.py is the format); and the download of one. `/_mock/834` answers the same files.

A file is there as soon as the portal accepts a disenrollment: the mock does not model
MassHealth's batch schedule, and its file holds exactly what the portal accepted (tests that
need late, missing or foreign terminations write their own with `python -m mock_portal.x12_834`).
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from mock_portal import menu, portal, rules, x12_834
from mock_portal.security import panel
from mock_portal.store import Store

MENU_KEY = menu.BATCH_FILES


def terminations(store: Store, plan_id: str, month: dt.date) -> list[x12_834.Termination]:
    """The plan's disenrollments effective in the month, one per member: a second Submit
    for the same member (which the portal records) ends the same coverage, and MassHealth
    terminates a member once."""
    first, last = x12_834.month_days(month)
    seen: set[str] = set()
    found = []
    for row in store.disenrollments(plan_id, first, last):
        if row["member_id"] in seen:
            continue
        seen.add(row["member_id"])
        found.append(x12_834.Termination(
            row["member_id"], row["last_name"], row["first_name"],
            dt.date.fromisoformat(row["effective_date"]), x12_834.reason_code(row["reason"])))
    return found


def batch_file(store: Store, plan_id: str, month: dt.date) -> str | None:
    """The plan's 834 for the month, dated today by the portal's clock; None without any
    termination (an 834 carries at least one member)."""
    found = terminations(store, plan_id, month)
    if not found:
        return None
    return x12_834.build_834(plan_id, store.provider_name(plan_id), found,
                             control_number=x12_834.control_number_for(month),
                             created=store.today())


def attachment(text: str, plan_id: str, month: dt.date) -> Response:
    """The file as a download: a browser saves it under the name the portal gives."""
    name = x12_834.file_name(plan_id, month)
    return Response(text, media_type="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def _plans(request: Request) -> list:
    return portal.of(request).store.granted_providers(request.state.session.user_id,
                                                      "one_care_plan")


def _files(request: Request) -> list[dict]:
    """One row per plan and month: the months its disenrollments take effect in, and the
    current month (whose file may not exist yet), latest first."""
    store = portal.of(request).store
    current = store.today().strftime("%Y-%m")
    rows = []
    for plan in _plans(request):
        months = sorted({*store.disenrollment_months(plan["provider_id"]), current},
                        reverse=True)
        for text in months:
            month = x12_834.parse_month(text)
            count = len(terminations(store, plan["provider_id"], month))
            rows.append({
                "provider_id": plan["provider_id"], "plan_name": plan["name"],
                "month": f"{month:%m/%Y}", "terminations": count,
                "href": (f"{menu.BATCH_FILE_DOWNLOAD}?provider={plan['provider_id']}"
                         f"&month={text}") if count else None})
    return rows


def _page(request: Request, errors: list[rules.Refusal] | None = None, *,
          status: int = 200) -> Response:
    return portal.of(request).pages.render(
        request, "batch_files.html", status=status, menu_key=MENU_KEY, errors=errors or [],
        files=_files(request))


@panel
async def batch_files(request: Request) -> Response:
    return _page(request)


@panel
async def download(request: Request) -> Response:
    """A plan's 834 for a month (`?provider=...&month=YYYY-MM`): only for the user's own
    One Care plans; otherwise the panel with the refusal."""
    plan_id = request.query_params.get("provider", "").strip()
    if plan_id not in {plan["provider_id"] for plan in _plans(request)}:
        return _page(request, [rules.Refusal(rules.NOT_AUTHORIZED)], status=403)
    month = x12_834.parse_month(request.query_params.get("month", ""))
    if month is None:
        return _page(request, [rules.Refusal(rules.ITEM_GONE)])
    text = batch_file(portal.of(request).store, plan_id, month)
    if text is None:
        return _page(request, [rules.Refusal(rules.NO_BATCH_FILE)])
    return attachment(text, plan_id, month)
