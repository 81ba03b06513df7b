"""The mock POSC as an ASGI application: its whole surface in one table of routes.

Page addresses follow the menu path (menu.py); the EOHHS Virtual Gateway in front of it lives
under `/vg/` (gateway.py); the mock-only endpoints under `/_mock/`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mock_portal import gateway, menu, security, server
from mock_portal.faults import FaultMiddleware, Faults
from mock_portal.gateway import Gateway
from mock_portal.pages import account, batch_files, enrollment, group_practice, inspection, profile
from mock_portal.pages import gateway as vg
from mock_portal.partial import PartialMiddleware
from mock_portal.portal import Portal
from mock_portal.rendering import PACKAGE, STATIC_URL, Pages
from mock_portal.sessions import Sessions
from mock_portal.store import Store
from mock_portal.variants import VARIANTS, Variant

ROUTES = [
    Route("/", account.root, methods=["GET"]),
    # The EOHHS Virtual Gateway (--login gateway; unknown addresses with --login simple)
    Route(gateway.START, vg.start, methods=["GET"]),
    Route(gateway.PERSONAL, vg.personal, methods=["GET"]),
    Route(gateway.LOGIN, vg.login_form, methods=["GET"]),
    Route(gateway.LOGIN, vg.log_in, methods=["POST"]),
    Route(gateway.FORGOT_PASSWORD, vg.forgot_password, methods=["GET"]),
    Route(gateway.VERIFY, vg.verify_form, methods=["GET"]),
    Route(gateway.VERIFY, vg.verify, methods=["POST"]),
    Route(gateway.APPLICATIONS, vg.applications, methods=["GET"]),
    Route(gateway.LAUNCH_POSC, vg.launch_posc, methods=["GET"]),
    Route(gateway.MY_ACCOUNT, vg.my_account, methods=["GET"]),
    Route(gateway.LOGOUT, vg.log_out, methods=["GET", "POST"]),
    # The POSC (its own login panel: --login simple only)
    Route(menu.LOGIN, account.login_form, methods=["GET"]),
    Route(menu.LOGIN, account.log_in, methods=["POST"]),
    Route(menu.LOGOUT, account.log_out, methods=["GET", "POST"]),
    Route(menu.HOME, account.home, methods=["GET"]),
    # Enroll/Disenroll One Care Members
    Route(menu.MEMBER_SEARCH, enrollment.member_search, methods=["GET", "POST"]),
    Route(menu.DISENROLLMENT, enrollment.disenrollment, methods=["GET", "POST"]),
    # Update Your MassHealth Profile, Inquire Profile Update Status
    Route(menu.LIST_OF_PROVIDERS, profile.list_of_providers, methods=["GET"]),
    Route(menu.STEPS, profile.steps, methods=["GET"]),
    Route(menu.GROUP_PRACTICE_INFO, group_practice.group_practice_info, methods=["GET", "POST"]),
    Route(menu.AGREEMENT, profile.agreement, methods=["GET", "POST"]),
    Route(menu.PROFILE_STATUS_PAGE, profile.profile_status, methods=["GET"]),
    # Manage Batch Files (the 834 that confirms a plan's disenrollments)
    Route(menu.BATCH_FILES_PAGE, batch_files.batch_files, methods=["GET"]),
    Route(menu.BATCH_FILE_DOWNLOAD, batch_files.download, methods=["GET"]),
    # Every other menu item
    Route(menu.BASE + "/{key}.jsf", account.menu_item, methods=["GET"]),
    # Mock only
    Route("/_mock/transactions", inspection.transactions, methods=["GET"]),
    Route("/_mock/logins", inspection.logins, methods=["GET"]),
    Route("/_mock/reset", inspection.reset, methods=["POST"]),
    Route("/_mock/health", inspection.health, methods=["GET"]),
    Route("/_mock/834", inspection.batch_file_834, methods=["GET"]),
    Route("/_mock/advance", inspection.advance, methods=["POST"]),
    Route("/_mock/today", inspection.today, methods=["GET"]),
    Mount(STATIC_URL, StaticFiles(directory=PACKAGE / "static"), name="static"),
]


def _with_session(request: Request) -> None:
    """Error pages still show the menu to a logged-in user."""
    portal = request.app.state.portal
    request.state.session = portal.sessions.find(request.cookies.get(security.SESSION_COOKIE))


async def _not_found(request: Request, exc: Exception) -> Response:
    _with_session(request)
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    return request.app.state.portal.pages.render(request, "not_found.html", status=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    _with_session(request)
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return request.app.state.portal.pages.render(request, "error.html", status=status)


async def _server_error(request: Request, exc: Exception) -> Response:
    # No traceback and no state lookup: the portal's plain error page.
    return Response(request.app.state.error_page, status_code=500, media_type="text/html")


def create_app(store: Store, *, faults: Faults | None = None,
               variant: Variant | None = None, login: str = "gateway") -> Starlette:
    """The portal over `store`, logged in to through the Virtual Gateway (`login`
    "gateway") or its own panel ("simple"); closing the app (lifespan end) closes the store."""
    if login not in gateway.LOGINS:
        raise ValueError(f"login must be one of {', '.join(gateway.LOGINS)}, not {login!r}")
    faults = faults or Faults()
    variant = variant or VARIANTS["classic"]
    pages = Pages(variant)
    error_page = pages.render_bare("error.html").encode()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    middleware = [Middleware(FaultMiddleware, faults=faults, error_page=error_page,
                             cut=server.cut_connection)]
    if variant.in_place:  # inside the faults: a fault strikes an in-place request as any other
        middleware.append(Middleware(PartialMiddleware, seed=faults.seed))
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        exception_handlers={404: _not_found, 405: _not_found, HTTPException: _http_error,
                            Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.portal = Portal(store=store, sessions=Sessions(store.db, ttl_s=faults.session_ttl_s),
                              pages=pages, variant=variant, faults=faults, login=login,
                              gateway=Gateway(store, ttl_s=faults.session_ttl_s),
                              gateway_pages=Pages(vg.LOOK))
    app.state.error_page = error_page
    return app
