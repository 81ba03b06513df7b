"""`python -m mock_portal [--host H] [--port P] [--fixture F] [--faults S] [--variant V]
[--login gateway|simple] [--db FILE]`: serve the mock POSC until interrupted.

Bad options, fixture, fault spec or database: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from mock_portal import faults, fixture
from mock_portal.gateway import LOGINS
from mock_portal.store import Store, StoreError
from mock_portal.variants import VARIANTS

# The command the user typed: `posc portal` passes its own name.
PROG = os.environ.get("MOCK_PORTAL_PROG", "python -m mock_portal")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: callers show stderr's last line.
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port {text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port {port} is not between 0 and 65535")
    return port


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Serve the bundled mock POSC portal.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=_port, default=8700, help="port; 0 picks a free one (8700)")
    p.add_argument("--fixture", type=Path, help="fixture YAML (default: the bundled one)")
    p.add_argument("--faults", default="", help="e.g. error_rate=0.1,latency_ms=200-800,seed=7")
    p.add_argument("--variant", choices=sorted(VARIANTS), default="classic")
    p.add_argument("--login", choices=LOGINS, default="gateway",
                   help="gateway: the EOHHS Virtual Gateway's chain (Business Log In with the"
                        " user's email and password, a 6-digit authenticator code, My"
                        " Applications, then the POSC); simple: the POSC's own User ID and"
                        " Password panel (default: gateway)")
    p.add_argument("--db", type=Path, help="keep the state in this SQLite file across restarts")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        spec = faults.parse(args.faults)
        data = fixture.load(args.fixture)
        store = Store(args.db, data) if args.db else Store.temporary(data)
    except faults.FaultSpecError as error:
        return _fail(f"bad --faults {args.faults!r}: {error}")
    except (fixture.FixtureError, StoreError) as error:
        return _fail(str(error))
    # The web stack loads only once the options, the fixture and the database are good.
    from mock_portal import server
    from mock_portal.app import create_app

    try:
        sock = server.bind(args.host, args.port)
    except OSError as error:
        store.close()
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    app = create_app(store, faults=spec, variant=VARIANTS[args.variant], login=args.login)
    server.serve(app, sock)
    return 0


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
