"""Logging in and out, the POSC home page, and the Provider Services menu's own pages
(an item that only expands, or a function this portal does not offer)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, menu, portal, rules, security
from mock_portal.security import panel


async def root(request: Request) -> Response:
    return RedirectResponse(menu.LOGIN, status_code=302)


async def login_form(request: Request) -> Response:
    return security.login_page(request)


async def log_in(request: Request) -> Response:
    form = await forms.read(request)
    if form is None or not security.login_token_matches(request,
                                                        forms.text(form, security.CSRF_FIELD)):
        return security.refused_page(request)
    p = portal.of(request)
    user_id, password = forms.text(form, "user_id").strip(), forms.text(form, "password")
    if not p.store.password_matches(user_id, password):
        return security.login_page(request, error=rules.BAD_LOGIN, user_id=user_id)
    previous = request.cookies.get(security.SESSION_COOKIE)
    if previous:  # never carry a session ID across a login
        p.sessions.end(previous)
    session = p.sessions.start(user_id)
    response = RedirectResponse(menu.HOME, status_code=303)
    security.set_session_cookie(response, session.session_id)
    return response


async def log_out(request: Request) -> Response:
    session_id = request.cookies.get(security.SESSION_COOKIE)
    if session_id:
        portal.of(request).sessions.end(session_id)
    response = RedirectResponse(menu.LOGIN, status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


@panel
async def home(request: Request) -> Response:
    return portal.of(request).pages.render(request, "home.html")


@panel
async def menu_item(request: Request) -> Response:
    """`/EHSProviderPortal/<menu path>.jsf`: a parent item shows the home page with itself
    expanded; a leaf outside the two workflows says it is not available."""
    p = portal.of(request)
    item = menu.ITEMS.get(request.path_params["key"])
    if item is None:
        return p.pages.render(request, "not_found.html", status=404)
    if item.available:
        return RedirectResponse(item.href, status_code=303)
    if item.children:
        return p.pages.render(request, "home.html", menu_key=item.key)
    return p.pages.render(request, "not_available.html", menu_key=item.key, heading=item.label)
