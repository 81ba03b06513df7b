"""Group Practice Info (job aid steps 6-10): List of Locations, List of Servicing Providers,
Service Provider Detail and Date Detail, on one page as in the portal. What is chosen travels
in the links (and the Date Detail form); the End Dates saved with Update wait in the session
until the Agreement's Submit."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, menu, portal, rules
from mock_portal.pages.profile import chosen_provider, render_step
from mock_portal.security import panel
from mock_portal.store import PAGE_SIZE, address_line

PAGE_LINKS = 10  # page numbers shown at once ("the numbers and arrows")


@dataclass(frozen=True)
class Selection:
    """The location, page, sort order and practitioner chosen so far."""

    provider: str
    location: int | None = None
    page: int = 1
    descending: bool = False
    practitioner: str | None = None

    @classmethod
    def read(cls, fields) -> Selection:
        location = forms.whole_number(fields.get("location"), default=0) or None
        return cls(provider=forms.text(fields, "provider"), location=location,
                   page=max(1, forms.whole_number(fields.get("page"), default=1)),
                   descending=fields.get("sort") == "desc",
                   practitioner=forms.text(fields, "practitioner") or None)

    def fields(self) -> dict[str, str]:
        """As query parameters or the Date Detail form's hidden fields."""
        found = {"provider": self.provider}
        if self.location is not None:
            found.update(location=str(self.location), page=str(self.page),
                         sort="desc" if self.descending else "asc")
        if self.practitioner:
            found["practitioner"] = self.practitioner
        return found

    def href(self, **extra: str) -> str:
        return f"{menu.GROUP_PRACTICE_INFO}?{urlencode({**self.fields(), **extra})}"


def page_window(page: int, pages: int) -> range:
    """The page numbers to show: all of them, or ten around the current page."""
    first = max(1, min(page - PAGE_LINKS // 2 + 1, pages - PAGE_LINKS + 1))
    return range(first, min(pages, first + PAGE_LINKS - 1) + 1)


def _view(request: Request, provider: sqlite3.Row, chosen: Selection, *,
          errors: list[rules.Refusal] | None = None,
          date_errors: list[rules.Refusal] | None = None,
          notices: list[str] | None = None, end_date: str | None = None) -> Response:
    p = portal.of(request)
    errors = list(errors or [])
    provider_id = provider["provider_id"]
    location = p.store.location(provider_id, chosen.location) if chosen.location else None
    if chosen.location and location is None:
        errors.append(rules.Refusal(rules.ITEM_GONE))
        chosen = Selection(provider_id)
    context: dict = {"locations": p.store.locations(provider_id), "location": location,
                     "practitioner": None, "servicing": [], "page": 1, "pages": 1,
                     "page_numbers": [1]}
    if location is not None:
        pages = max(1, math.ceil(p.store.servicing_count(location["location_id"]) / PAGE_SIZE))
        chosen = replace(chosen, page=min(chosen.page, pages))
        rows = p.store.servicing_page(location["location_id"], chosen.page,
                                      descending=chosen.descending)
        practitioner = None
        if chosen.practitioner:
            practitioner = p.store.servicing(location["location_id"], chosen.practitioner)
            if practitioner is None:
                errors.append(rules.Refusal(rules.ITEM_GONE))
                chosen = replace(chosen, practitioner=None)
        context.update(servicing=rows, page=chosen.page, pages=pages, practitioner=practitioner,
                       page_numbers=page_window(chosen.page, pages))
        if practitioner is not None:
            saved = p.sessions.changes(request.state.session, provider_id)
            shown = saved.get(practitioner["servicing_id"]) or practitioner["shown_end_date"]
            context.update(end_date=end_date if end_date is not None else rules.mmddyyyy(shown),
                           practitioner_address=address_line(practitioner))
    unpicked = replace(chosen, practitioner=None)
    return render_step(
        request, "group_practice_info.html", provider, **context,
        errors=errors, date_errors=date_errors or [], notices=notices or [],
        selection=chosen.fields(),
        location_href=lambda location_id: Selection(provider_id, location_id).href(),
        practitioner_href=lambda pid: replace(chosen, practitioner=pid).href(),
        page_href=lambda number: replace(unpicked, page=number).href(),
        new_item_href=unpicked.href(new_item="1"),
        name_header={"text": "Name ↓" if chosen.descending else "Name ↑",
                     "sort": "descending" if chosen.descending else "ascending",
                     "href": replace(unpicked, page=1, descending=not chosen.descending).href()})


@panel
async def group_practice_info(request: Request) -> Response:
    form = request.state.form
    chosen = Selection.read(form if form is not None else request.query_params)
    provider, refused = chosen_provider(request, chosen.provider)
    if refused:
        return refused
    if provider["type"] != "group_practice":
        return render_step(request, "profile.html", provider,
                           errors=[rules.Refusal(rules.GROUP_ONLY)])
    if form is None:
        new_item = request.query_params.get("new_item")
        return _view(request, provider, chosen,
                     errors=[rules.Refusal(rules.NOT_AVAILABLE)] if new_item else None)
    return _act(request, provider, chosen, forms.text(form, "action"))


def _act(request: Request, provider: sqlite3.Row, chosen: Selection, action: str) -> Response:
    """The buttons of Group Practice Info and Date Detail."""
    p = portal.of(request)
    session = request.state.session
    provider_id = provider["provider_id"]
    if action == "cancel_service":
        p.sessions.drop_changes(session, provider_id)
        return RedirectResponse(menu.LIST_OF_PROVIDERS, status_code=303)
    if action == "submit":
        if not p.sessions.changes(session, provider_id):
            return _view(request, provider, chosen, errors=[rules.Refusal(rules.NO_CHANGES)])
        return RedirectResponse(f"{menu.AGREEMENT}?provider={provider_id}", status_code=303)
    if action == "remove":
        return _view(request, provider, chosen, date_errors=[rules.Refusal(rules.NOT_AVAILABLE)])
    if action != "update":  # Cancel Item, or a button this portal does not know
        return _view(request, provider, replace(chosen, practitioner=None))
    location = p.store.location(provider_id, chosen.location) if chosen.location else None
    practitioner = (p.store.servicing(location["location_id"], chosen.practitioner or "")
                    if location else None)
    if practitioner is None:
        return _view(request, provider, chosen)  # says the item is no longer available
    typed = forms.text(request.state.form, "end_date")
    end, refusal = rules.end_date_refusal(
        typed, effective=dt.date.fromisoformat(practitioner["effective_date"]),
        today=p.store.today())
    if refusal:
        return _view(request, provider, chosen, date_errors=[refusal], end_date=typed)
    p.sessions.save_change(session, provider_id, practitioner["servicing_id"], end)
    return _view(request, provider, replace(chosen, practitioner=None), notices=[rules.SAVED])
