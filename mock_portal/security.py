"""Access to the portal: every panel needs a live session, every POST carries the session's
CSRF token, and a login form its own token (a cookie it must match).

`panel` wraps an endpoint with those checks, so no handler can forget them; what a user may
act for (the providers granted to them) is checked by each handler against the store.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, gateway, menu, partial, portal, rules

SESSION_COOKIE = "JSESSIONID"
LOGIN_TOKEN_COOKIE = "POSC_LOGIN_TOKEN"
CSRF_FIELD = "csrf_token"
# What the POSC's own login page is to say once, after an in-place request found no session.
NOTICE_COOKIE = "POSC_NOTICE"
SESSION_EXPIRED_NOTICE = "session_expired"

Endpoint = Callable[[Request], Awaitable[Response]]


def login_page(request: Request, *, notice: str | None = None, error: str | None = None,
               user_id: str = "", status: int = 200) -> Response:
    """The Log In panel; the form's token is also set as a cookie the POST must match."""
    token = form_token(request, LOGIN_TOKEN_COOKIE)
    response = portal.of(request).pages.render(
        request, "login.html", status=status, csrf_token=token, user_id_value=user_id,
        notices=[notice] if notice else [], errors=[rules.Refusal(error)] if error else [])
    keep_form_token(request, response, token, cookie=LOGIN_TOKEN_COOKIE, path=menu.BASE)
    return response


def form_token(request: Request, cookie: str) -> str:
    """A login form's token: the one its cookie already holds, else a new one."""
    return request.cookies.get(cookie) or secrets.token_urlsafe(32)


def keep_form_token(request: Request, response: Response, token: str, *, cookie: str,
                    path: str) -> None:
    if request.cookies.get(cookie) != token:
        response.set_cookie(cookie, token, path=path, httponly=True, samesite="strict")


def login_token_matches(request: Request, submitted: str,
                        cookie: str = LOGIN_TOKEN_COOKIE) -> bool:
    expected = request.cookies.get(cookie)
    return bool(expected and submitted) and hmac.compare_digest(submitted, expected)


def session_required(request: Request) -> Response:
    """A panel asked for without a live POSC session (none, logged out, expired). Behind the
    Virtual Gateway the POSC has no login page of its own: the way back in is the gateway's
    Business Log In, which then says why. The POSC's own login shows at the panel's address;
    an in-place request (the ajax release) cannot show a page, so it is sent to the login
    page, which then says why (as JSF answers an AJAX request with a redirect)."""
    if portal.of(request).login == "simple":
        if not partial.requested(request):
            return login_page(request, notice=rules.SESSION_EXPIRED)
        response = RedirectResponse(menu.LOGIN, status_code=303)
        response.set_cookie(NOTICE_COOKIE, SESSION_EXPIRED_NOTICE, path=menu.BASE,
                            httponly=True, samesite="lax")
        return response
    response = RedirectResponse(gateway.LOGIN, status_code=303)
    response.set_cookie(gateway.NOTICE_COOKIE, gateway.SESSION_ENDED, path=gateway.BASE,
                        httponly=True, samesite="lax")
    return response


def refused_page(request: Request) -> Response:
    """A POST without the form's token: nothing is changed."""
    return portal.of(request).pages.render(request, "refused.html", status=403)


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(SESSION_COOKIE, session_id, path="/", httponly=True, samesite="lax")


def enter_posc(request: Request, user_id: str) -> Response:
    """A new POSC session for a user just logged in (the POSC's own panel, or the gateway's
    launch), and on to the home page."""
    p = portal.of(request)
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:  # never carry a session ID across a login
        p.sessions.end(previous)
    session = p.sessions.start(user_id)
    response = RedirectResponse(menu.HOME, status_code=303)
    set_session_cookie(response, session.session_id)
    return response


def panel(endpoint: Endpoint) -> Endpoint:
    """Only for a live session; a POST only with the session's CSRF token. The endpoint
    finds the session in `request.state.session` and the form in `request.state.form`."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        session = portal.of(request).sessions.find(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return session_required(request)
        request.state.session = session
        request.state.form = None
        if request.method == "POST":
            form = await forms.read(request)
            if form is None or not session.token_matches(form.get(CSRF_FIELD)):
                return refused_page(request)
            request.state.form = form
        return await endpoint(request)

    return guarded
