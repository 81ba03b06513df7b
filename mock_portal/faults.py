"""Fault injection (`--faults`): every switch in one place.

    error_rate=0.1          share of page requests answered 500, before any state changes
    latency_ms=200-800      added to every page request (or one value: latency_ms=300)
    session_ttl_s=60        a session lives that long after login (read by Sessions)
    lost_response_rate=0.05 a committed submission's response is lost, as lost_response_mode
                            says
    lost_response_mode=cut  withhold (the default): the response is withheld until the client
                            gives up; the connection stays open, so the browser never sends
                            the request again by itself.
                            cut: the server closes the connection right after the commit,
                            without a byte of response. On a reused keep-alive connection
                            Chromium then sends the same POST again by itself: the submission
                            is committed twice, which a robot must be ready for.
    seed=7                  makes the dice repeatable

`/_mock/*` and static files are never faulted.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line parses a spec before loading the web stack
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A handler that committed a Disenrollment or Agreement Submit says so in the ASGI scope.
SUBMISSION_COMMITTED = "mock_portal.submission_committed"
UNFAULTED_PREFIXES = ("/_mock/", "/static/")
WITHHOLD, CUT = "withhold", "cut"
LOST_RESPONSE_MODES = (WITHHOLD, CUT)


class FaultSpecError(ValueError):
    """A `--faults` value that cannot be parsed."""


@dataclass(frozen=True)
class Faults:
    error_rate: float = 0.0
    latency_ms: tuple[int, int] | None = None
    session_ttl_s: float | None = None
    lost_response_rate: float = 0.0
    lost_response_mode: str = WITHHOLD
    seed: int | None = None


def parse(spec: str | None) -> Faults:
    """`error_rate=0.1,latency_ms=200-800,...` into Faults; FaultSpecError says what is wrong."""
    values: dict[str, Any] = {}
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not text:
            raise FaultSpecError(f"fault {item!r} must be NAME=VALUE")
        if name in values:
            raise FaultSpecError(f"fault {name!r} is given twice")
        if name in ("error_rate", "lost_response_rate"):
            values[name] = _rate(name, text)
        elif name == "latency_ms":
            values[name] = _latency(text)
        elif name == "session_ttl_s":
            ttl = _number(name, text)
            if ttl <= 0:
                raise FaultSpecError("session_ttl_s must be more than 0")
            values[name] = ttl
        elif name == "lost_response_mode":
            if text not in LOST_RESPONSE_MODES:
                raise FaultSpecError(f"lost_response_mode must be one of "
                                     f"{', '.join(LOST_RESPONSE_MODES)}, not {text!r}")
            values[name] = text
        elif name == "seed":
            try:
                values[name] = int(text)
            except ValueError:
                raise FaultSpecError(f"seed must be a whole number, not {text!r}") from None
        else:
            raise FaultSpecError(f"unknown fault {name!r} (known: error_rate, latency_ms, "
                                 "session_ttl_s, lost_response_rate, lost_response_mode, seed)")
    return Faults(**values)


def _number(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FaultSpecError(f"{name} must be a number, not {text!r}") from None


def _rate(name: str, text: str) -> float:
    rate = _number(name, text)
    if not 0 <= rate <= 1:
        raise FaultSpecError(f"{name} must be between 0 and 1, not {text}")
    return rate


def _latency(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        raise FaultSpecError(f"latency_ms must be MS or MIN-MAX in milliseconds, not {text!r}") from None
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise FaultSpecError(f"latency_ms must be MS or MIN-MAX with 0 <= MIN <= MAX, not {text!r}")
    return bounds


def mark_submission_committed(request: Request) -> None:
    """Called by a handler right after its submission is committed: the one moment a lost
    response makes the outcome ambiguous for the client."""
    request.scope[SUBMISSION_COMMITTED] = True


# Closes the connection a request came on without a byte of response; False when it cannot.
ConnectionCutter = Callable[["Scope"], bool]


class FaultMiddleware:
    """Applies the per-request faults around the portal's pages. `cut` drops a connection
    (server.cut_connection); without one (no uvicorn under the app) a cut response is
    withheld instead."""

    def __init__(self, app: ASGIApp, *, faults: Faults, error_page: bytes,
                 cut: ConnectionCutter | None = None) -> None:
        self.app = app
        self.faults = faults
        self.error_page = error_page
        self.cut = cut
        # One generator per kind of dice, so that one fault's draws never shift another's.
        seed = faults.seed
        self.latency_dice = random.Random(None if seed is None else f"{seed}:latency")
        self.error_dice = random.Random(None if seed is None else f"{seed}:error")
        self.loss_dice = random.Random(None if seed is None else f"{seed}:lost")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNFAULTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.latency_ms:
            await asyncio.sleep(self.latency_dice.uniform(*faults.latency_ms) / 1000)
        if faults.error_rate and self.error_dice.random() < faults.error_rate:
            await self._send_error_page(send)
            return
        if not faults.lost_response_rate:
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        if scope.get(SUBMISSION_COMMITTED) and self.loss_dice.random() < faults.lost_response_rate:
            if faults.lost_response_mode == CUT and self.cut is not None:
                self.cut(scope)
            # Cut or not, the app returns only once the connection is gone: uvicorn answers
            # 500 for an app that returns without a response on a live connection.
            await _wait_for_disconnect(receive)
            return
        for message in held:
            await send(message)

    async def _send_error_page(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 500,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(self.error_page)).encode())]})
        await send({"type": "http.response.body", "body": self.error_page})


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
