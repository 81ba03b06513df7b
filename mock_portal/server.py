"""Serving the portal with uvicorn on a socket bound first, so that port 0 works and the URL
printed is the one really listened on; the URL line is printed once connections are accepted.
Also the one reach below ASGI: dropping a request's connection without a response (the
lost_response fault's cut mode)."""

from __future__ import annotations

import socket
import sys

import uvicorn
from starlette.types import ASGIApp, Scope

READY_LINE = "POSC mock portal: {url}"
# A withheld response (the lost_response fault) waits for its client; at shutdown, this long.
GRACEFUL_SHUTDOWN_S = 2
# Connections stay open between requests, as the real portal's do: a browser reuses them, and
# only on a reused connection that closes empty does Chromium send a request again by itself
# (what lost_response_mode=cut exercises). uvicorn's default is 5 s; Chromium keeps an idle
# connection for minutes, so a shorter server timeout would make the reuse a matter of luck.
KEEP_ALIVE_S = 75

# The servers this process runs (one, in practice): cut_connection looks up their connections.
_serving: list[uvicorn.Server] = []


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
                            timeout_keep_alive=KEEP_ALIVE_S,
                            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    server = _AnnouncingServer(config, url_of(sock))
    _serving.append(server)
    try:
        server.run(sockets=[sock])
    finally:
        _serving.remove(server)
        sock.close()
        sys.stdout.flush()


def cut_connection(scope: Scope) -> bool:
    """Closes the connection the request `scope` came on without sending it a byte (no
    status line, nothing). ASGI has no way to drop a request unanswered (uvicorn answers 500
    when an app returns without starting a response), so this reaches uvicorn's transport,
    found by the request's client address. False when no such connection is open here."""
    client = scope.get("client")
    if not client:
        return False
    for server in _serving:
        for protocol in list(server.server_state.connections):
            if getattr(protocol, "client", None) == tuple(client):
                # abort, not close: nothing of the response may leave, not even a buffered byte
                protocol.transport.abort()
                return True
    return False
