"""Serving the portal with uvicorn on a socket bound first, so that port 0 works and the URL
printed is the one really listened on; the URL line is printed once connections are accepted."""

from __future__ import annotations

import socket
import sys

import uvicorn
from starlette.types import ASGIApp

READY_LINE = "POSC mock portal: {url}"
# A withheld response (the lost_response fault) waits for its client; at shutdown, this long.
GRACEFUL_SHUTDOWN_S = 2


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; OSError when the address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _AnnouncingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(READY_LINE.format(url=self.url), flush=True)


def serve(app: ASGIApp, sock: socket.socket) -> None:
    """Runs until SIGINT or SIGTERM (the app's lifespan end closes its store)."""
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False,
                            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    server = _AnnouncingServer(config, url_of(sock))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        sys.stdout.flush()
