"""The POSC workflows, one module per job aid, registered by job kind.

Each flow performs one record on a logged-in page and returns a `FlowResult`, or raises one
of `robots.errors` (see `flows.context`)."""

from __future__ import annotations

from typing import Any, Protocol

from playwright.async_api import Page

from flows import disenroll_one_care, group_unlink
from flows.context import FlowContext, FlowResult


class Flow(Protocol):
    async def perform(self, page: Page, record: Any, ctx: FlowContext) -> FlowResult: ...


FLOWS: dict[str, Flow] = {
    "disenroll_one_care": disenroll_one_care,  # type: ignore[dict-item]
    "group_unlink": group_unlink,  # type: ignore[dict-item]
}


def flow_for(kind: str) -> Flow:
    return FLOWS[kind]
