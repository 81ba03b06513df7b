"""Access to the portal: every panel needs a live session, every POST carries the session's
CSRF token, and the login form its own token (a cookie it must match).

`panel` wraps an endpoint with those checks, so no handler can forget them; what a user may
act for (the providers granted to them) is checked by each handler against the store.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from mock_portal import forms, menu, portal, rules

SESSION_COOKIE = "JSESSIONID"
LOGIN_TOKEN_COOKIE = "POSC_LOGIN_TOKEN"
CSRF_FIELD = "csrf_token"

Endpoint = Callable[[Request], Awaitable[Response]]


def login_page(request: Request, *, notice: str | None = None, error: str | None = None,
               user_id: str = "", status: int = 200) -> Response:
    """The Log In panel; the form's token is also set as a cookie the POST must match."""
    token = request.cookies.get(LOGIN_TOKEN_COOKIE) or secrets.token_urlsafe(32)
    response = portal.of(request).pages.render(
        request, "login.html", status=status, csrf_token=token, user_id_value=user_id,
        notices=[notice] if notice else [], errors=[rules.Refusal(error)] if error else [])
    if request.cookies.get(LOGIN_TOKEN_COOKIE) != token:
        response.set_cookie(LOGIN_TOKEN_COOKIE, token, path=menu.BASE, httponly=True,
                            samesite="strict")
    return response


def login_token_matches(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(LOGIN_TOKEN_COOKIE)
    return bool(expected and submitted) and hmac.compare_digest(submitted, expected)


def refused_page(request: Request) -> Response:
    """A POST without the form's token: nothing is changed."""
    return portal.of(request).pages.render(request, "refused.html", status=403)


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(SESSION_COOKIE, session_id, path="/", httponly=True, samesite="lax")


def panel(endpoint: Endpoint) -> Endpoint:
    """Only for a live session; a POST only with the session's CSRF token. The endpoint
    finds the session in `request.state.session` and the form in `request.state.form`."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        session = portal.of(request).sessions.find(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return login_page(request, notice=rules.SESSION_EXPIRED)
        request.state.session = session
        request.state.form = None
        if request.method == "POST":
            form = await forms.read(request)
            if form is None or not session.token_matches(form.get(CSRF_FIELD)):
                return refused_page(request)
            request.state.form = form
        return await endpoint(request)

    return guarded
