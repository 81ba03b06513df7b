"""The mock-only endpoints (docs/portal.md): no login, no CSRF token, never faulted."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_portal import portal


async def transactions(request: Request) -> Response:
    """Every accepted submission, duplicates included, oldest first."""
    body = portal.of(request).store.transactions_json()
    return Response(body, media_type="application/json")


async def logins(request: Request) -> Response:
    """Every login attempt at the gateway's panels or the POSC's own, oldest first."""
    body = portal.of(request).gateway.logins_json()
    return Response(body, media_type="application/json")


async def reset(request: Request) -> Response:
    """Back to the fixture's state; transactions, requests, sessions and the gateway's login
    state (the login log, failures, locks, used codes, waiting logins) cleared."""
    portal.of(request).store.reset()
    return JSONResponse({"ok": True})


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})
