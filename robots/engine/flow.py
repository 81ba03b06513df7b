"""What the engine asks of a flow: the `Flow` and `LogIn` protocols, what a flow is given
(`FlowContext`) and what it gives back (`FlowResult`). The engine runs *a* flow: the
composition root (the command line, the demo, the QA walk) hands it the concrete ones as
`PortalFlows`; nothing in the engine names a panel or a workflow.

A flow performs one record on a logged-in page. It returns a result for the three happy endings (done, already
done, dry run) and raises for the rest: `Rejection` (the portal said no), `TransientError`
(retry), `AmbiguousSubmit` (a Submit whose outcome is unknown), `SelectorError` (the portal
changed), `PortalMismatch` (the portal acts for another provider).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from playwright.async_api import Locator, Page

from robots.errors import NotCertified

if TYPE_CHECKING:
    from robots.credentials import Credentials

Status = Literal["done", "already_done", "dry_run"]


@dataclass(frozen=True)
class Timeouts:
    """Milliseconds. `element`: a control to appear; `navigation`: a panel after a click;
    `submit`: the confirmation after a Submit (longer: the portal validates with MMIS)."""

    element_ms: float = 10_000
    navigation_ms: float = 20_000
    submit_ms: float = 30_000
    # A whole attempt at one record: the net under any wait that has no timeout of its own.
    attempt_ms: float = 300_000


async def nobody_certifies(text: str) -> None:
    raise NotCertified("nobody", "no one was named to certify the Agreement")


@dataclass(frozen=True)
class FlowContext:
    portal_url: str
    provider_id: str
    dry_run: bool
    # True when an earlier attempt clicked Submit and its outcome is unknown: the flow reads
    # the portal's state before anything else and never clicks Submit again blindly.
    verify_first: bool
    # Records in the ledger that a Submit is about to be clicked. Called just before it.
    mark_submitting: Callable[[], None]
    # Saves a screenshot of a panel as the record's evidence; returns its path in the run folder.
    # A name keeps a further screenshot of the record apart from its confirmation's.
    capture: Callable[..., Awaitable[str]]
    # The unlink's Agreement: returns once the person the job names has certified the text
    # the panel shows; raises NotCertified otherwise. Called before the box is ticked.
    certify: Callable[[str], Awaitable[None]] = field(default=nobody_certifies)
    # The portal session holds work in progress that must not outlive this attempt (a JSF
    # portal keeps saved profile changes in the session until Submit): the next attempt
    # starts on a new session.
    discard_session: Callable[[], None] = lambda: None
    timeouts: Timeouts = field(default_factory=Timeouts)
    # What the run has learned of the portal's lists, shared by its workers (which page of a
    # location's List of Servicing Providers names whom); a hint, always checked on the page.
    memo: dict[Any, Any] = field(default_factory=dict)


async def capture_evidence(ctx: FlowContext, panel: Locator, *, name: str | None = None) -> str | None:
    """The panel's screenshot, or None when it cannot be taken: evidence never changes how a
    record ended (a Submit that landed is done, screenshot or not)."""
    try:
        return await ctx.capture(panel, name=name) if name else await ctx.capture(panel)
    except Exception:
        return None


@dataclass(frozen=True)
class FlowResult:
    status: Status
    message: str
    confirmation: dict[str, Any] | None = None
    screenshot: str | None = None
    # Further screenshots: what was asked (an unlink's detail with its end date entered).
    evidence: tuple[str, ...] = ()


class Flow(Protocol):
    """One workflow of the portal (a job aid), for one record."""

    async def perform(self, page: Page, record: Any, ctx: FlowContext) -> FlowResult: ...


class LoginGate(Protocol):
    """What a login asks of the run: its turn (logins one at a time, paced like a careful
    person's), and a one-time verification code no login has used before."""

    def turn(self) -> AbstractAsyncContextManager[None]: ...
    async def code(self) -> str: ...


class LogIn(Protocol):
    """Opens the portal on `page` and logs in, unless the session is logged in already (then
    False). Types credentials only within `gate.turn()`. Raises `LoginRefused` for a refusal
    (never retried), `TransientError` for a passing trouble."""

    async def __call__(
        self, page: Page, portal_url: str, credentials: Credentials, *, gate: LoginGate, timeout_ms: float
    ) -> bool: ...


class ReadsOptions(Protocol):
    """Walks to the panel of a list the job's records choose from, for `record`, and returns
    the list's options as offered; chooses and submits nothing."""

    async def __call__(self, page: Page, record: Any, ctx: FlowContext) -> list[str]: ...


@dataclass(frozen=True)
class PortalFlows:
    """What the engine is handed to work a portal: how to log in, a flow per job kind, and
    for a kind whose records choose from a portal's list, how to read that list (by kind:
    the record field chosen, and the reader)."""

    log_in: LogIn
    by_kind: Mapping[str, Flow]
    options: Mapping[str, tuple[str, ReadsOptions]] = field(default_factory=dict)

    def flow_for(self, kind: str) -> Flow:
        return self.by_kind[kind]
