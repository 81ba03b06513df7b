"""The EOHHS Virtual Gateway's pages (`--login gateway`, the default): the start page,
MyMassGov's Business Log In, Multifactor Authentication, My Applications and the launch into
the POSC (docs/portal.md, "Virtual Gateway"). With `--login simple` none of them exists.

The gateway is another application than the POSC: its own templates and look, the same
whatever `--variant` the POSC shows.
"""

from __future__ import annotations

import functools
import time

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portal import forms, gateway, otp, portal, rules, security
from mock_portal.gateway import Pending
from mock_portal.security import Endpoint
from mock_portal.variants import Variant

# Not a POSC release: the gateway's one look, rendered by a Pages of its own.
LOOK = Variant("gateway", ("gateway",), "gateway.css", "jsf-ri")
APPLICATIONS = (("Provider Online Service Center (POSC)", gateway.LAUNCH_POSC),
                ("Manage My Account", gateway.MY_ACCOUNT))


def gateway_only(endpoint: Endpoint) -> Endpoint:
    """With `--login simple` the gateway's addresses are unknown to the portal (404)."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        if portal.of(request).login != "gateway":
            raise HTTPException(404)
        return await endpoint(request)

    return guarded


def _render(request: Request, template: str, *, status: int = 200, **context) -> Response:
    context.setdefault("vg_user", None)
    return portal.of(request).gateway_pages.render(request, template, status=status,
                                                   vg=gateway, **context)


def _redirect(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def _session_user(request: Request) -> str | None:
    return portal.of(request).gateway.session_user(request.cookies.get(gateway.SESSION_COOKIE))


def _form_token_ok(request: Request, form) -> bool:
    return form is not None and security.login_token_matches(
        request, forms.text(form, security.CSRF_FIELD), gateway.LOGIN_TOKEN_COOKIE)


def _with_form_token(request: Request, template: str, **context) -> Response:
    """A page holding one of the login forms; their token is set as a cookie the POST must
    match, as on the POSC's own login panel."""
    token = security.form_token(request, gateway.LOGIN_TOKEN_COOKIE)
    response = _render(request, template, csrf_token=token, **context)
    security.keep_form_token(request, response, token, cookie=gateway.LOGIN_TOKEN_COOKIE,
                             path=gateway.BASE)
    return response


def _login_page(request: Request, *, error: str | None = None, email: str = "",
                notice: str | None = None) -> Response:
    return _with_form_token(request, "login.html", email_value=email,
                            notices=[notice] if notice else [],
                            errors=[rules.Refusal(error)] if error else [])


def _refused(request: Request) -> Response:
    """A login POST without its form's token: nothing is checked, nothing counted."""
    return _render(request, "refused.html", status=403)


def _delete_cookie(response: Response, name: str, path: str) -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="lax")


# --- the start page and its plain pages --------------------------------------------------

@gateway_only
async def start(request: Request) -> Response:
    return _render(request, "start.html")


@gateway_only
async def personal(request: Request) -> Response:
    return _render(request, "personal.html")


@gateway_only
async def forgot_password(request: Request) -> Response:
    return _render(request, "forgot_password.html")


# --- Business Log In ----------------------------------------------------------------------

@gateway_only
async def login_form(request: Request) -> Response:
    """The Business Log In panel; after a POSC session ended, it says so (once)."""
    ended = request.cookies.get(gateway.NOTICE_COOKIE) == gateway.SESSION_ENDED
    response = _login_page(request, notice=rules.VG_SESSION_ENDED if ended else None)
    if gateway.NOTICE_COOKIE in request.cookies:
        _delete_cookie(response, gateway.NOTICE_COOKIE, gateway.BASE)
    return response


@gateway_only
async def log_in(request: Request) -> Response:
    """Email and password, checked in this order: a locked account (whatever the password),
    an unknown email or a wrong password (a failure for that user), a deactivated account,
    an account without multifactor authentication; else the code is asked for."""
    form = await forms.read(request)
    if not _form_token_ok(request, form):
        return _refused(request)
    p = portal.of(request)
    vg, now = p.gateway, time.time()
    email, password = forms.text(form, "email").strip(), forms.text(form, "password")
    account = p.store.account(email=email) if email else None
    user_id = account["user_id"] if account else None

    def refuse(outcome: str, message: str) -> Response:
        vg.record(typed=email, user_id=user_id, step="password", outcome=outcome)
        return _login_page(request, error=message, email=email)

    if user_id is not None and (minutes := vg.locked_minutes(user_id, now)):
        return refuse(gateway.LOCKED, rules.VG_LOCKED.format(minutes=minutes))
    if not p.store.password_matches(user_id, password):
        if user_id is None:
            return refuse(gateway.UNKNOWN_USER, rules.VG_BAD_LOGIN)
        if vg.fail(user_id, now):
            minutes = vg.locked_minutes(user_id, now)
            return refuse(gateway.WRONG_PASSWORD, rules.VG_LOCKED.format(minutes=minutes))
        return refuse(gateway.WRONG_PASSWORD, rules.VG_BAD_LOGIN)
    if not account["active"]:
        return refuse(gateway.DEACTIVATED, rules.DEACTIVATED)
    if not account["totp_secret"]:
        return refuse(gateway.NO_MFA, rules.VG_NO_MFA)
    vg.end_pending(request.cookies.get(gateway.PENDING_COOKIE))  # one waiting login a browser
    pending_id = vg.start_pending(user_id, email)
    vg.record(typed=email, user_id=user_id, step="password", outcome=gateway.PASSWORD_OK)
    response = _redirect(gateway.VERIFY)
    response.set_cookie(gateway.PENDING_COOKIE, pending_id, path=gateway.BASE, httponly=True,
                        samesite="lax")
    return response


# --- Multifactor Authentication -----------------------------------------------------------

def _pending(request: Request) -> Pending | None:
    return portal.of(request).gateway.pending(request.cookies.get(gateway.PENDING_COOKIE))


@gateway_only
async def verify_form(request: Request) -> Response:
    if _pending(request) is None:
        return _redirect(gateway.LOGIN)
    return _with_form_token(request, "verify.html")


@gateway_only
async def verify(request: Request) -> Response:
    """The code of the user's authenticator app: one of the steps around now (otp.WINDOW),
    and later than the last step this user logged in with (any session, any client)."""
    pending = _pending(request)
    if pending is None:
        return _redirect(gateway.LOGIN)
    form = await forms.read(request)
    if not _form_token_ok(request, form):
        return _refused(request)
    p = portal.of(request)
    vg, now = p.gateway, time.time()
    account = p.store.account(user_id=pending.user_id)
    if account is None or not account["totp_secret"]:  # a --db restarted on another fixture
        vg.end_pending(pending.pending_id)
        return _redirect(gateway.LOGIN)

    def record(outcome: str) -> None:
        vg.record(typed=pending.typed, user_id=pending.user_id, step="code", outcome=outcome)

    if minutes := vg.locked_minutes(pending.user_id, now):  # locked meanwhile, elsewhere
        record(gateway.LOCKED)
        return _locked_out(request, pending, minutes)
    steps = otp.matching_steps(account["totp_secret"], forms.text(form, "code"), time_s=now,
                               period_s=p.store.gateway.totp_period_s)
    last = vg.last_step(pending.user_id)
    fresh = [step for step in steps if last is None or step > last]
    if fresh:
        vg.complete(pending.user_id, fresh[0])
        record(gateway.OK)
        return _enter_gateway(request, pending)
    outcome, message = ((gateway.CODE_REUSED, rules.VG_CODE_REUSED) if steps
                        else (gateway.WRONG_CODE, rules.VG_BAD_CODE))
    record(outcome)
    if vg.fail(pending.user_id, now):
        return _locked_out(request, pending, vg.locked_minutes(pending.user_id, now) or 0)
    return _with_form_token(request, "verify.html", errors=[rules.Refusal(message)])


def _locked_out(request: Request, pending: Pending, minutes: int) -> Response:
    """A lock ends the waiting login: the Business Log In again, saying why."""
    portal.of(request).gateway.end_pending(pending.pending_id)
    response = _login_page(request, error=rules.VG_LOCKED.format(minutes=minutes),
                           email=pending.typed)
    _delete_cookie(response, gateway.PENDING_COOKIE, gateway.BASE)
    return response


def _enter_gateway(request: Request, pending: Pending) -> Response:
    """A completed login: a new gateway session (never an old one carried over)."""
    vg = portal.of(request).gateway
    vg.end_pending(pending.pending_id)
    vg.end_session(request.cookies.get(gateway.SESSION_COOKIE))
    session_id = vg.start_session(pending.user_id)
    response = _redirect(gateway.APPLICATIONS)
    _delete_cookie(response, gateway.PENDING_COOKIE, gateway.BASE)
    # Path "/": the POSC's Log Out ends the gateway's session too.
    response.set_cookie(gateway.SESSION_COOKIE, session_id, path="/", httponly=True,
                        samesite="lax")
    return response


# --- after login --------------------------------------------------------------------------

@gateway_only
async def applications(request: Request) -> Response:
    user_id = _session_user(request)
    if user_id is None:
        return _redirect(gateway.LOGIN)
    account = portal.of(request).store.account(user_id=user_id)
    return _render(request, "applications.html", vg_user=account["email"] if account else user_id,
                   applications=APPLICATIONS)


@gateway_only
async def launch_posc(request: Request) -> Response:
    """Provider Online Service Center (POSC): a POSC session for the gateway's user, as the
    POSC's own login panel would start it."""
    user_id = _session_user(request)
    if user_id is None:
        return _redirect(gateway.LOGIN)
    return security.enter_posc(request, user_id)


@gateway_only
async def my_account(request: Request) -> Response:
    user_id = _session_user(request)
    if user_id is None:
        return _redirect(gateway.LOGIN)
    account = portal.of(request).store.account(user_id=user_id)
    return _render(request, "my_account.html", vg_user=account["email"] if account else user_id)


@gateway_only
async def log_out(request: Request) -> Response:
    """The gateway's Log Out, and the POSC's behind the gateway: both sessions end, and the
    browser is back on the start page."""
    p = portal.of(request)
    p.gateway.end_session(request.cookies.get(gateway.SESSION_COOKIE))
    posc_session = request.cookies.get(security.SESSION_COOKIE)
    if posc_session:
        p.sessions.end(posc_session)
    response = _redirect(gateway.START)
    _delete_cookie(response, gateway.SESSION_COOKIE, "/")
    _delete_cookie(response, security.SESSION_COOKIE, "/")
    return response
