"""Update Your MassHealth Profile: List of Providers (job aid steps 3-4), the Steps panel
(step 5), the Agreement (step 11) and Processing; and Inquire Profile Update Status.
Group Practice Info (steps 6-10) has its own module."""

from __future__ import annotations

import datetime as dt
import sqlite3

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, menu, portal, processing, rules
from mock_portal.faults import mark_submission_committed
from mock_portal.security import panel
from mock_portal.store import address_line

MENU_KEY = menu.UPDATE_PROFILE
# The Steps panel's links; only Group Practice Info leads anywhere.
STEP_LINKS = (("Provider Information", "provider_information"),
              ("Contact Information", "contact_information"),
              ("Service Locations", "service_locations"),
              ("Group Practice Info", None),
              ("Review and Submit", "review_and_submit"))


def step_links(provider_id: str) -> list[tuple[str, str]]:
    return [(label, f"{menu.GROUP_PRACTICE_INFO}?provider={provider_id}" if step is None
             else f"{menu.STEPS}?provider={provider_id}&step={step}")
            for label, step in STEP_LINKS]


def providers_page(request: Request, errors: list[rules.Refusal] | None = None, *,
                   status: int = 200) -> Response:
    p = portal.of(request)
    return p.pages.render(
        request, "list_of_providers.html", status=status, menu_key=MENU_KEY, errors=errors or [],
        providers=p.store.granted_providers(request.state.session.user_id))


def chosen_provider(request: Request, provider_id: str
                    ) -> tuple[sqlite3.Row | None, Response | None]:
    """The provider the user picked, if granted to them and allowed to update here; else the
    List of Providers with the refusal."""
    row = portal.of(request).store.granted_provider(request.state.session.user_id, provider_id)
    if row is None:
        return None, providers_page(request, [rules.Refusal(rules.NOT_AUTHORIZED)], status=403)
    refusal = rules.profile_refusal(row["type"])
    if refusal:
        return None, providers_page(request, [refusal])
    return row, None


def render_step(request: Request, template: str, provider: sqlite3.Row, *, status: int = 200,
                **context) -> Response:
    """A page of the profile once a provider is chosen: the Steps panel beside the step."""
    return portal.of(request).pages.render(
        request, template, status=status, menu_key=MENU_KEY, provider=provider,
        steps=step_links(provider["provider_id"]), **context)


@panel
async def list_of_providers(request: Request) -> Response:
    return providers_page(request)


@panel
async def steps(request: Request) -> Response:
    """The Steps panel; its links other than Group Practice Info are not available."""
    provider, refused = chosen_provider(request, request.query_params.get("provider", ""))
    if refused:
        return refused
    errors = [rules.Refusal(rules.NOT_AVAILABLE)] if request.query_params.get("step") else []
    return render_step(request, "profile.html", provider, errors=errors)


@panel
async def agreement(request: Request) -> Response:
    """GET: the Agreement. POST: Cancel Service, or Submit the session's saved changes."""
    p = portal.of(request)
    form = request.state.form
    source = form if form is not None else request.query_params
    provider, refused = chosen_provider(request, forms.text(source, "provider"))
    if refused:
        return refused
    if request.method == "GET":
        return render_step(request, "agreement.html", provider)
    session = request.state.session
    action = forms.text(form, "action")
    if action == "cancel_service":
        p.sessions.drop_changes(session, provider["provider_id"])
        return RedirectResponse(menu.LIST_OF_PROVIDERS, status_code=303)
    if action != "submit":
        return render_step(request, "agreement.html", provider)
    if forms.text(form, "agree") != "yes":
        return render_step(request, "agreement.html", provider,
                           errors=[rules.Refusal(rules.MUST_AGREE, ("agree",))])
    changes = []
    for servicing_id, end in p.sessions.changes(session, provider["provider_id"]).items():
        row = p.store.servicing_by_id(servicing_id)
        if row is not None and row["group_id"] == provider["provider_id"]:
            changes.append((row, end))
    if not changes:
        return render_step(request, "agreement.html", provider,
                           errors=[rules.Refusal(rules.NO_CHANGES)])
    request_id = p.store.record_unlinks(session_id=session.session_id, user_id=session.user_id,
                                        provider_id=provider["provider_id"], changes=changes)
    mark_submission_committed(request)
    return render_step(request, "processing.html", provider, request_id=request_id,
                       dba_addresses=_dba_addresses(changes))


def _dba_addresses(changes: list[tuple[sqlite3.Row, object]]) -> list[str]:
    """Where the letter goes: each distinct location (DBA) of the request, with its address."""
    lines: list[str] = []
    for row, _ in changes:
        place = address_line(row, prefix="dba_")
        line = f"{row['dba_name']}, {place}" if place else row["dba_name"]
        if line not in lines:
            lines.append(line)
    return lines


@panel
async def profile_status(request: Request) -> Response:
    """The user's requests, each with its status by the portal's clock (processing.py)."""
    p = portal.of(request)
    today = p.store.today()
    requests = [{**dict(row), "status": processing.status(
                    row["request_id"], dt.date.fromisoformat(row["submitted_on"]), today)}
                for row in p.store.update_requests(request.state.session.user_id)]
    return p.pages.render(request, "profile_status.html", menu_key=menu.PROFILE_STATUS,
                          requests=requests)
