"""What every request handler reaches: the portal's state, its sessions, its page renderer,
its release (variant) and its fault switches. One instance per process, on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from mock_portal.faults import Faults
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


def of(request: Request) -> Portal:
    return request.app.state.portal
