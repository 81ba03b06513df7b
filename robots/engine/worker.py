"""A worker: one browser context with its own portal session, taking records from the queue
and walking each through its flow, with retries for the system's failures.

Per record: claim it in the ledger; attempt the flow (tenacity: exponential backoff with
jitter, bounded); settle the outcome. A rejection is settled at once, never retried. A
transient failure is retried after restoring the session (the login panel again, a dead
browser, a 5xx). An attempt after an unknown Submit reads the portal first (`verify_first`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt, wait_exponential_jitter

from robots.credentials import Credentials
from robots.engine.breaker import Breaker
from robots.engine.browser import BrowserHost, to_transient
from robots.engine.certification import Certification
from robots.engine.config import RunConfig
from robots.engine.flow import Flow, FlowContext, FlowResult, LogIn, nobody_certifies
from robots.engine.login_budget import LoginBudget
from robots.engine.pacing import Pacing
from robots.engine.portal_session import Session
from robots.engine.progress import Progress
from robots.engine.session_lifetime import SessionLifetime
from robots.engine.work_queue import WorkQueue
from robots.errors import (
    BrowserCrashed,
    PortalDown,
    PortalError,
    Rejection,
    SelectorError,
    SessionExpired,
    TransientError,
)
from robots.failpoints import failpoint
from robots.ledger.base import Ledger, Outcome, RecordState
from robots.masking import redact, scrub
from robots.records import Record
from robots.run_folder.evidence import Evidence
from robots.run_folder.run_log import log

# A selector missing twice running is the portal having changed, not a slow page.
SELECTOR_ATTEMPTS = 2


@dataclass
class Crew:
    """What the workers of one run share."""

    config: RunConfig
    portal_url: str
    provider_id: str
    flow: Flow
    log_in: LogIn
    records: dict[str, tuple[int, Record]]
    ledger: Ledger
    evidence: Evidence
    host: BrowserHost
    credentials: Credentials
    progress: Progress
    queue: WorkQueue
    breaker: Breaker
    logins: LoginBudget
    pacing: Pacing = field(default_factory=Pacing)
    certification: Certification | None = None
    lifetime: SessionLifetime = field(default_factory=SessionLifetime)
    memo: dict = field(default_factory=dict)  # the flows' hints about the portal's lists
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    stop_reason: str | None = None

    def stop_run(self, reason: str) -> None:
        reason = redact(reason)  # shown on the console and in the report
        if not self.stop.is_set():
            self.stop_reason = reason
            self.progress.note(f"stopping: {reason}")
            self.stop.set()


class _Stopped(Exception):
    """The run is stopping: the record goes back to the ledger unsettled."""


class Worker:
    def __init__(self, number: int, crew: Crew) -> None:
        self.number = number
        self.crew = crew
        self.session = Session(
            crew.host, crew.config, crew.portal_url, crew.credentials,
            log_in=crew.log_in, logins=crew.logins, breaker=crew.breaker, lifetime=crew.lifetime,
        )

    async def run(self) -> None:
        try:
            while not self.crew.stop.is_set():
                if closed := self.crew.pacing.closed():
                    self.crew.stop_run(closed)
                    return
                await self.crew.pacing.before_record()
                if self.crew.stop.is_set():
                    return
                key = self.crew.queue.next()
                if key is None:
                    return
                await self.work(key)
        finally:
            await self.session.drop()

    async def work(self, key: str) -> None:
        crew = self.crew
        seq, record = crew.records[key]
        claim = crew.ledger.claim(key)
        if claim is None:
            return
        failpoint("after-claim")
        try:
            outcome = await self._attempts(key, seq, record)
        except _Stopped:
            crew.ledger.release(key)
            return
        except Exception as error:  # a fault of the robot's own: this record fails, the run goes on
            log.exception("record %d (%s): internal error", seq, record.describe())
            outcome = Outcome(
                RecordState.FAILED, f"internal error ({type(error).__name__}); details in run.log"
            )
        trace_file, trace_relative = crew.evidence.trace_path(seq, key)
        if outcome.state is RecordState.FAILED and trace_file.exists():
            outcome = dataclasses.replace(outcome, trace=trace_relative)
        else:
            crew.evidence.discard_trace(seq, key)
        crew.ledger.settle(key, outcome)
        failpoint("after-settle")
        self.session.served += 1
        message = _safe(record, outcome.message)
        log.info("record %d (%s): %s: %s", seq, record.describe(), outcome.state.value, message)
        crew.progress.settled(record.describe(), outcome.state, message)

    async def _attempts(self, key: str, seq: int, record: Record) -> Outcome:
        retry = self.crew.config.retry
        retrying = AsyncRetrying(
            stop=stop_after_attempt(retry.attempts),
            wait=wait_exponential_jitter(multiplier=retry.initial_s, max=retry.max_s, jitter=retry.jitter_s),
            retry=_worth_retrying,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if self.crew.stop.is_set():
                        raise _Stopped
                    result = await self._attempt(key, seq, record, attempt.retry_state.attempt_number)
        except Rejection as refusal:
            return Outcome(RecordState.REJECTED, refusal.message, None, await self._refusal_evidence(seq, key))
        except SelectorError as error:
            self.crew.stop_run(f"the portal changed: {error}")
            return Outcome(RecordState.FAILED, f"the portal changed: {error}")
        except TransientError as error:
            return Outcome(RecordState.FAILED, f"{error} (gave up after {retry.attempts} attempts)")
        except PortalError as error:
            self.crew.stop_run(str(error))
            raise _Stopped from error
        return Outcome(RecordState(result.status), result.message, result.confirmation, result.screenshot,
                       evidence=result.evidence)

    async def _refusal_evidence(self, seq: int, key: str) -> str | None:
        """What the portal showed when it refused: the supervisor sees its own words in place.
        Evidence never changes an outcome: None when it cannot be had."""
        page = self.session.page
        if page is None or page.is_closed():
            return None
        try:
            return await self.crew.evidence.capture_view(page, seq, key)
        except Exception:
            return None

    async def _attempt(self, key: str, seq: int, record: Record, number: int) -> FlowResult:
        crew = self.crew
        crew.ledger.start_attempt(key)
        began = time.monotonic()
        try:
            try:
                page = await self.session.ready(fresh=number > 1)
                if number > 1:
                    # Traces only from the first retry on: a record ends `failed` only after
                    # several attempts, and the happy path pays nothing for tracing.
                    await self.session.start_trace()
                async with asyncio.timeout(crew.config.timeouts.attempt_ms / 1000):
                    result = await crew.flow.perform(page, record, self._context(key, seq))
            except PlaywrightError as error:
                raise to_transient(error) from error
            except TimeoutError:
                # A wait that never ended (a page stuck on a request that never answers):
                # that page and its session are not to be trusted again.
                self.session.discard()
                raise TransientError(
                    f"the attempt took longer than {crew.config.timeouts.attempt_ms / 1000:.0f} s"
                ) from None
        except TransientError as error:
            if isinstance(error, SessionExpired):
                crew.lifetime.expired(self.session.age_s)
            log.warning("record %d (%s) attempt %d: %s", seq, record.describe(), number, _safe(record, str(error)))
            if isinstance(error, BrowserCrashed):
                await self.session.drop()
            if crew.breaker.failure():
                # No count here: the records in hand may still finish; the summary counts what
                # was left pending once they have.
                crew.stop_run(str(PortalDown(crew.breaker.in_a_row, str(error))))
                raise _Stopped from error
            raise
        except Rejection:
            crew.breaker.success()
            raise
        finally:
            await self.session.stop_trace(crew.evidence.trace_path(seq, key)[0])
        crew.breaker.success()
        crew.lifetime.record_took(time.monotonic() - began)
        return result

    def _context(self, key: str, seq: int) -> FlowContext:
        crew = self.crew

        async def capture(panel, *, name: str | None = None) -> str:
            return await crew.evidence.capture(panel, seq, key, name=name)

        return FlowContext(
            portal_url=crew.portal_url,
            provider_id=crew.provider_id,
            dry_run=crew.config.dry_run,
            verify_first=crew.ledger.submit_started(key),
            mark_submitting=_bind(crew.ledger.mark_submitting, key),
            capture=capture,
            certify=crew.certification.certify if crew.certification else nobody_certifies,
            discard_session=self.session.discard,
            timeouts=crew.config.timeouts,
            memo=crew.memo,
        )


def _safe(record: Record, text: str) -> str:
    """Text fit for the console and the log: no member ID, no member name."""
    return scrub(text, (record.last_name, record.first_name) if record.contains_phi else ())


def _bind(function: Callable[[str], None], key: str) -> Callable[[], None]:
    return lambda: function(key)


def _worth_retrying(state: RetryCallState) -> bool:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, TransientError):
        return True
    return isinstance(error, SelectorError) and state.attempt_number < SELECTOR_ATTEMPTS
