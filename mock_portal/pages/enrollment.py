"""Enroll/Disenroll One Care Members: Member Search (job aid steps 4-8), Disenrollment
(steps 9-10) and Disenrollment Confirmation (steps 11-12)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, menu, portal, rules
from mock_portal.faults import mark_submission_committed
from mock_portal.security import panel

MENU_KEY = menu.ENROLL_DISENROLL


def _plans(request: Request) -> list[str]:
    """The One Care plans the user may act for."""
    session = request.state.session
    return [row["provider_id"]
            for row in portal.of(request).store.granted_providers(session.user_id, "one_care_plan")]


def _search_page(request: Request, values: dict[str, str], errors: list[rules.Refusal],
                 *, status: int = 200) -> Response:
    plans = _plans(request)
    return portal.of(request).pages.render(
        request, "member_search.html", status=status, menu_key=MENU_KEY, values=values,
        errors=errors, plan_options=[(plan, plan) for plan in plans])


def _member_name(member) -> str:
    return f"{member['last_name']}, {member['first_name']}"


def _disenrollment_page(request: Request, provider_id: str, member, *, reason: str = "",
                        errors: list[rules.Refusal] | None = None) -> Response:
    p = portal.of(request)
    pending = rules.pending_effective(member, p.store.today())
    notices = [rules.PENDING.format(date=rules.mmddyyyy(pending))] if pending else []
    reasons = p.variant.reasons(p.store.disenrollment_reasons)
    return p.pages.render(
        request, "disenrollment.html", menu_key=MENU_KEY, member=member,
        member_name=_member_name(member), provider_id=provider_id,
        plan_name=f"{provider_id} - {p.store.provider_name(provider_id)}",
        reason_options=[(label, label) for label in reasons], reason=reason,
        errors=errors or [], notices=notices)


@panel
async def member_search(request: Request) -> Response:
    """GET: the empty Member Search, the Provider ID defaulting to the user's plan.
    POST (Search): the Disenrollment panel, or the refusal with what was typed kept."""
    if request.method == "GET":
        plans = _plans(request)
        values = {"provider_id": plans[0] if plans else "", "member_id": "", "last_name": "",
                  "first_name": ""}
        return _search_page(request, values, [])
    form = request.state.form
    values = {name: forms.text(form, name) for name, _ in rules.SEARCH_FIELDS}
    refusals = rules.search_form_refusals(values)
    if refusals:
        return _search_page(request, values, refusals)
    provider_id = values["provider_id"].strip()
    refusal = rules.acting_plan_refusal(provider_id, set(_plans(request)))
    if refusal:
        return _search_page(request, values, [refusal], status=403)
    store = portal.of(request).store
    member = store.member(values["member_id"].strip())
    refusal = rules.member_refusal(member, last_name=values["last_name"],
                                   first_name=values["first_name"], plan=provider_id,
                                   today=store.today())
    if refusal:
        return _search_page(request, values, [refusal])
    return _disenrollment_page(request, provider_id, member)


@panel
async def disenrollment(request: Request) -> Response:
    """The Disenrollment form's buttons (and the Confirmation's). Submit re-checks on the
    server everything the search checked: the form's hidden fields may have been crafted."""
    form = request.state.form
    action = forms.text(form, "action")
    if action != "submit":  # Cancel, Enroll/Disenroll Another Member, a reload: Member Search
        return RedirectResponse(menu.MEMBER_SEARCH, status_code=303)
    p = portal.of(request)
    provider_id = forms.text(form, "provider_id").strip()
    member_id = forms.text(form, "member_id").strip()
    values = {"provider_id": provider_id, "member_id": member_id, "last_name": "",
              "first_name": ""}
    refusal = rules.acting_plan_refusal(provider_id, set(_plans(request)))
    if refusal:
        return _search_page(request, values, [refusal], status=403)
    today = p.store.today()
    member = p.store.member(member_id)
    refusal = rules.member_refusal(member, last_name=None, first_name=None, plan=provider_id,
                                   today=today)
    if refusal:
        return _search_page(request, values, [refusal])
    reason = forms.text(form, "reason")
    refusal = rules.reason_refusal(reason, p.variant.reasons(p.store.disenrollment_reasons))
    if refusal:
        return _disenrollment_page(request, provider_id, member, reason=reason, errors=[refusal])
    effective = rules.disenrollment_effective(today)
    p.store.record_disenrollment(user_id=request.state.session.user_id,
                                 provider_id=provider_id, member=member, reason=reason,
                                 effective=effective)
    mark_submission_committed(request)
    return p.pages.render(request, "disenrollment_confirmation.html", menu_key=MENU_KEY,
                          member=member, member_name=_member_name(member), effective=effective)
