"""What every request handler reaches: the portal's state, its sessions, its page renderers,
its release (variant), its login (the Virtual Gateway or the POSC's own panel) and its fault
switches. One instance per process, on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from mock_portal.faults import Faults
from mock_portal.gateway import Gateway
from mock_portal.rendering import Pages
from mock_portal.sessions import Sessions
from mock_portal.store import Store
from mock_portal.variants import Variant


@dataclass(frozen=True)
class Portal:
    store: Store
    sessions: Sessions
    pages: Pages
    variant: Variant
    faults: Faults
    login: str  # one of gateway.LOGINS
    gateway: Gateway
    gateway_pages: Pages  # the gateway's own look, whatever the POSC's variant


def of(request: Request) -> Portal:
    return request.app.state.portal
