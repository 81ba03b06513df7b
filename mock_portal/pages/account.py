"""Logging in and out, the POSC home page, and the Provider Services menu's own pages
(an item that only expands, or a function this portal does not offer).

The POSC's own login panel serves `--login simple` only; behind the Virtual Gateway
(pages/gateway.py) its address leads to the gateway's Business Log In.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, gateway, menu, portal, rules, security
from mock_portal.pages import gateway as gateway_pages
from mock_portal.security import panel


async def root(request: Request) -> Response:
    if portal.of(request).login == "simple":
        return RedirectResponse(menu.LOGIN, status_code=302)
    return RedirectResponse(gateway.START, status_code=302)


async def login_form(request: Request) -> Response:
    """The POSC's own Log In panel; after an in-place request found no session, it says so
    (once)."""
    if portal.of(request).login != "simple":
        return RedirectResponse(gateway.LOGIN, status_code=303)
    expired = request.cookies.get(security.NOTICE_COOKIE) == security.SESSION_EXPIRED_NOTICE
    response = security.login_page(request, notice=rules.SESSION_EXPIRED if expired else None)
    if security.NOTICE_COOKIE in request.cookies:
        response.delete_cookie(security.NOTICE_COOKIE, path=menu.BASE, httponly=True,
                               samesite="lax")
    return response


async def log_in(request: Request) -> Response:
    p = portal.of(request)
    if p.login != "simple":  # nothing is checked: the gateway is the only way in
        return RedirectResponse(gateway.LOGIN, status_code=303)
    form = await forms.read(request)
    if form is None or not security.login_token_matches(request,
                                                        forms.text(form, security.CSRF_FIELD)):
        return security.refused_page(request)
    user_id, password = forms.text(form, "user_id").strip(), forms.text(form, "password")
    account = p.store.account(user_id=user_id)
    known = account["user_id"] if account else None
    if not p.store.password_matches(known, password):
        outcome = gateway.WRONG_PASSWORD if account else gateway.UNKNOWN_USER
        p.gateway.record(typed=user_id, user_id=known, step="simple", outcome=outcome)
        return security.login_page(request, error=rules.BAD_LOGIN, user_id=user_id)
    if not account["active"]:
        p.gateway.record(typed=user_id, user_id=known, step="simple", outcome=gateway.DEACTIVATED)
        return security.login_page(request, error=rules.DEACTIVATED, user_id=user_id)
    p.gateway.record(typed=user_id, user_id=known, step="simple", outcome=gateway.OK)
    return security.enter_posc(request, user_id)


async def log_out(request: Request) -> Response:
    """Ends the POSC session; behind the gateway, the gateway's session too (its Log Out)."""
    if portal.of(request).login != "simple":
        return await gateway_pages.log_out(request)
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
    expanded; a leaf this portal does not implement says it is not available."""
    p = portal.of(request)
    item = menu.ITEMS.get(request.path_params["key"])
    if item is None:
        return p.pages.render(request, "not_found.html", status=404)
    if item.available:
        return RedirectResponse(item.href, status_code=303)
    if item.children:
        return p.pages.render(request, "home.html", menu_key=item.key)
    return p.pages.render(request, "not_available.html", menu_key=item.key, heading=item.label)
