"""The bundled mock portal run as a real server process, for `posc run`/`posc demo` without a
`--portal`, and for tests and benchmarks.

The robot treats the mock like the real portal: it only starts the process and reads the URL
the process prints once it accepts connections (`python -m mock_portal`).
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from robots.errors import PortalDown

URL_PATTERN = re.compile(r"https?://\S+")


class PortalProcess:
    """`with PortalProcess() as portal: portal.url` — a mock POSC on a free loopback port."""

    def __init__(
        self,
        *,
        fixture: str | Path | None = None,
        faults: str | None = None,
        variant: str | None = None,
        login: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | Path | None = None,
        start_timeout_s: float = 30.0,
    ) -> None:
        self.options = {"fixture": fixture, "faults": faults, "variant": variant, "login": login, "db": db}
        self.host = host
        self.port = port
        self.start_timeout_s = start_timeout_s
        self.url: str | None = None
        self._process: subprocess.Popen[str] | None = None
        # Kept open for the life of the process (its stderr), read when it fails to start.
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115

    def command(self) -> list[str]:
        argv = [sys.executable, "-m", "mock_portal", "--host", self.host, "--port", str(self.port)]
        for name, value in self.options.items():
            if value is not None:
                argv += [f"--{name}", str(value)]
        return argv

    def start(self) -> str:
        # A session of its own: a Ctrl-C at the terminal is the robot's to handle (it finishes
        # the records in hand against this portal), then the robot stops the portal.
        self._process = subprocess.Popen(
            self.command(), stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1,
            start_new_session=True,
        )
        found: list[str] = []
        ready = threading.Event()

        def read_stdout() -> None:
            # Keeps draining stdout for the life of the process so the pipe never fills.
            assert self._process is not None and self._process.stdout is not None
            for line in self._process.stdout:
                match = URL_PATTERN.search(line)
                if match and not found:
                    found.append(match.group(0).rstrip("/"))
                    ready.set()
            ready.set()

        threading.Thread(target=read_stdout, daemon=True, name="mock-portal-stdout").start()
        deadline = time.monotonic() + self.start_timeout_s
        while not ready.wait(timeout=0.1):
            if time.monotonic() > deadline:
                self.stop()
                raise PortalDown(0, f"the mock portal did not start within {self.start_timeout_s:.0f} s")
        if not found:
            self._stderr.seek(0)
            detail = self._stderr.read().strip().splitlines()[-5:]
            self.stop()
            raise PortalDown(0, "the mock portal exited at start: " + " | ".join(detail))
        self.url = found[0]
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        return self.url

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> PortalProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def portal_or_bundled_mock(portal: str | None) -> Iterator[str]:
    """The given portal's address, or a bundled mock's, started for the block."""
    if portal:
        yield portal
        return
    with PortalProcess() as mock:
        assert mock.url is not None
        yield mock.url
