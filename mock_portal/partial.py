"""JSF partial requests and responses, for the ajax release (`--variant ajax`).

The page's script (static/partial.js) sends a form or link of an in-place address as the
same POST or GET with the header `Faces-Request: partial/ajax`, and names the region it
shows (the `<main>` element's id, new at every render) in `Faces-Partial-Render`. The
handlers answer it as any request (same rules, same templates); this middleware turns the
answer into a JSF partial response (text/xml), sent after a delay:

    <partial-response><changes><update id="REGION"><![CDATA[<main id="NEW">...</main>]]>
    </update></changes></partial-response>      the page (2xx or a 4xx refusal), its region
    <partial-response><redirect url="URL"/></partial-response>
                                                a redirect (3xx: Cancel, an expired session)

A 5xx answer (a fault, a failure) is sent as it is: the script leaves the page as it was.
"""

from __future__ import annotations

import asyncio
import random
import re
from xml.sax.saxutils import quoteattr

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_portal import menu

FACES_REQUEST = "faces-request"
PARTIAL_AJAX = "partial/ajax"
RENDER = "faces-partial-render"
# Set in the scope of a partial request, for the few answers that must differ (security.py).
PARTIAL = "mock_portal.partial"
# How long an in-place answer takes: long enough that a robot reading the page at once sees
# the old state.
DELAY_MS = (150, 900)
REGION = re.compile(r'<main\b[^>]*\bid="([^"]+)"[^>]*>.*</main>', re.DOTALL)
CLIENT_ID = re.compile(r"[A-Za-z0-9_:-]{1,100}")
HEADERS_REPLACED = {b"content-type", b"content-length", b"location"}


def requested(request: Request) -> bool:
    """Whether this request is an in-place (AJAX) request of the ajax release."""
    return bool(request.scope.get(PARTIAL))


class PartialMiddleware:
    """Answers the POSC's partial requests with partial responses; every other request
    passes untouched."""

    def __init__(self, app: ASGIApp, *, seed: int | None) -> None:
        self.app = app
        self.delay_dice = random.Random(None if seed is None else f"{seed}:ajax")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        if (headers.get(FACES_REQUEST.encode()) != PARTIAL_AJAX.encode()
                or not scope["path"].startswith(menu.BASE + "/")):
            await self.app(scope, receive, send)
            return
        scope[PARTIAL] = True
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        start, body = held[0], b"".join(message.get("body", b"") for message in held[1:])
        await asyncio.sleep(self.delay_dice.uniform(*DELAY_MS) / 1000)
        answer = _partial(start, body, headers.get(RENDER.encode(), b"").decode("latin-1"))
        if answer is None:
            for message in held:
                await send(message)
            return
        status, xml = answer
        kept = [(name, value) for name, value in start.get("headers", [])
                if name.lower() not in HEADERS_REPLACED]
        await send({"type": "http.response.start", "status": status, "headers": [
            *kept, (b"content-type", b"text/xml; charset=utf-8"),
            (b"content-length", str(len(xml)).encode())]})
        await send({"type": "http.response.body", "body": xml})


def _partial(start: Message, body: bytes, render: str) -> tuple[int, bytes] | None:
    """The partial response standing for a full answer (its status, its XML), or None when
    the answer is to be sent as it is (a 5xx, or no page region)."""
    status = start["status"]
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    if 300 <= status < 400 and b"location" in headers:
        url = headers[b"location"].decode("latin-1")
        return 200, _document(f"<redirect url={quoteattr(url)}/>")
    if 300 <= status < 400 or status >= 500:
        return None
    match = REGION.search(body.decode("utf-8", "replace"))
    if match is None:
        return None
    # The region named by the request (the element the page shows now); else the new one's.
    target = render if CLIENT_ID.fullmatch(render) else match.group(1)
    return status, _document(f"<changes><update id={quoteattr(target)}>"
                             f"{_cdata(match.group(0))}</update></changes>")


def _document(content: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<partial-response>{content}</partial-response>").encode()


def _cdata(text: str) -> str:
    """CDATA holding `text`; a `]]>` inside is split across two sections, as JSF does."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
