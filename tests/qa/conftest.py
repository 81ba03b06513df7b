"""QA kit tests: `posc check-selectors` against the mock and its variants, a portal that is not
the mock (the mock behind a plain forwarding proxy that hides `/_mock/*`), and the portal
suite run against a drifted release."""

from __future__ import annotations

import concurrent.futures
import http.client
import io
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from robots.engine.flow import Timeouts
from robots.qa.check_selectors import check_selectors
from robots.qa.panel_check import CheckSettings
from tests.conftest import MockPortal, credentials_env

# Short waits: the mock answers in milliseconds, and a drifted control should fail fast.
FAST = CheckSettings(
    timeouts=Timeouts(element_ms=3_000, navigation_ms=5_000, submit_ms=6_000), grace_ms=300, accessibility=False
)


@dataclass(frozen=True)
class CheckRun:
    exit_code: int
    report: dict[str, Any]
    console: str
    out_dir: Path

    def panel(self, name: str) -> dict[str, Any]:
        return next(p for p in self.report["panels"] if p["name"] == name)

    def failures(self) -> set[tuple[str, str | None, str]]:
        return {(f["panel"], f["key"], f["result"]) for f in self.report["failures"]}


def run_check(portal_url: str | None, out_dir: Path, **options: Any) -> CheckRun:
    """`check_selectors` in a thread of its own (its event loop never meets pytest-playwright's)."""
    stream = io.StringIO()
    arguments = {"portal": portal_url, "out_dir": out_dir, "live": False, "data": None, "confirm_live": None,
                 "settings": FAST, "stream": stream, **options}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        code = pool.submit(check_selectors, **arguments).result(timeout=300)
    report = json.loads((out_dir / "selectors.json").read_text())
    return CheckRun(code, report, stream.getvalue(), out_dir)


@pytest.fixture
def demo_user(credentials, monkeypatch):
    """The portal's credentials in the environment, as a QA engineer sets them."""
    for name, value in credentials_env(credentials).items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def restyled():
    with MockPortal(variant="restyled") as portal:
        yield portal


@pytest.fixture(scope="module")
def in_place():
    """The JSF/RichFaces mechanics: panels re-rendered in place, new ids at every render."""
    with MockPortal(variant="ajax") as portal:
        yield portal


@pytest.fixture(scope="module")
def drifted():
    with MockPortal(variant="drifted") as portal:
        yield portal


class _Forward(BaseHTTPRequestHandler):
    """Relays every request to the mock, except `/_mock/*`: a portal that is not the mock."""

    target: tuple[str, int]

    def _relay(self) -> None:
        if self.path.startswith("/_mock/"):
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        upstream = http.client.HTTPConnection(*self.target, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_HEAD = _relay

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def not_the_mock(mock_portal):
    """The (fresh) mock behind a proxy that answers 404 to `/_mock/health`."""
    parts = urlsplit(mock_portal.url)
    handler = type("Forward", (_Forward,), {"target": (parts.hostname, parts.port)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
