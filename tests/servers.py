"""Real PostgreSQL and Redis servers for the tests (never mocks): each one a process of its own
on a free loopback port, its files in a temporary folder removed at the end.

    with PostgresServer() as pg:     # pg.url: postgresql://posc@127.0.0.1:PORT/posc
        ...
    with RedisServer() as redis:     # redis.url: redis://127.0.0.1:PORT/0; redis.restart()
        ...

Both skip the test (pytest.skip, with the reason) when the server binaries are not installed
(Debian: `apt-get install postgresql redis-server`). PostgreSQL refuses to run as root: a test
run as root starts it as the `postgres` user (or `nobody`), its folder handed to that user.

The fixtures at the end (`postgres_server`, `postgres_url`, `redis_server`) are plain pytest
fixtures: import them into a conftest.py (or a test module) to use them. However many places
import them, one process starts at most one server of each kind for its whole session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


class PostgresServer:
    """A throwaway PostgreSQL cluster: initdb, a server on a free loopback port (its unix socket
    in the temporary folder), one database. Fast rather than durable: fsync off, small buffers."""

    USER = "posc"
    DATABASE = "posc"

    def __init__(self, *, database: str = DATABASE, max_connections: int = 60) -> None:
        self.database = database
        self.max_connections = max_connections
        self.bin = self._find_bin()
        self.folder: Path | None = None
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._as_user: dict = {}

    @staticmethod
    def _find_bin() -> Path:
        candidates = [os.environ.get("POSC_PG_BIN", "")]
        candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                             reverse=True)
        if which := shutil.which("initdb"):
            candidates.append(str(Path(which).parent))
        for folder in filter(None, candidates):
            if all((Path(folder) / tool).exists() for tool in ("initdb", "postgres", "pg_isready", "createdb")):
                return Path(folder)
        pytest.skip("PostgreSQL server binaries (initdb, postgres) not found: apt-get install postgresql")

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> PostgresServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def start(self) -> None:
        owner = None
        if os.geteuid() == 0:  # initdb and postgres refuse root
            for name in ("postgres", "nobody"):
                with contextlib.suppress(KeyError):
                    owner = pwd.getpwnam(name)
                    break
            if owner is None:
                pytest.skip("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")
            self._as_user = {"user": owner.pw_uid, "group": owner.pw_gid}
        # Under /tmp when the server runs as another user: the folder's parents must let it in.
        self.folder = Path(tempfile.mkdtemp(prefix="posc-pg-", dir="/tmp" if owner else None))
        self.socket_dir.mkdir()
        if owner:
            for path in (self.folder, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", self.folder / "data", "-U", self.USER, "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        for _ in range(3):  # another process may take the free port first
            self.port = free_port()
            if self._launch():
                self._run("createdb", *self._client_args(), self.database)
                return
        raise RuntimeError(f"PostgreSQL did not start:\n{_tail(self.folder / 'postgres.log')}")

    def _launch(self) -> bool:
        log = open(self.folder / "postgres.log", "ab")  # noqa: SIM115 (the server keeps it)
        if self._as_user:
            os.chown(log.name, self._as_user["user"], self._as_user["group"])
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": self.port,
            "unix_socket_directories": self.socket_dir,
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "16MB",
            "max_connections": self.max_connections,
            "logging_collector": "off",
        }
        options = [f"--{name}={value}" for name, value in settings.items()]
        self.process = subprocess.Popen([self.bin / "postgres", "-D", self.folder / "data", *options],
                                        stdout=log, stderr=log, stdin=subprocess.DEVNULL, **self._as_user)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            ready = subprocess.run([self.bin / "pg_isready", "-q", *self._client_args()], check=False)
            if ready.returncode == 0:
                return True
            time.sleep(0.05)
        _stop(self.process, signal.SIGQUIT)
        return False

    def _client_args(self) -> list[str]:
        return ["-h", str(self.socket_dir), "-p", str(self.port), "-U", self.USER]

    def create_database(self, name: str) -> str:
        """Another empty database on this server; its URL."""
        self._run("createdb", *self._client_args(), name)
        return self.url_for(name)

    def _run(self, tool: str, *args: object) -> None:
        result = subprocess.run([self.bin / tool, *map(str, args)], capture_output=True, text=True,
                                cwd=self.folder, check=False, **self._as_user)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip() or result.stdout}")

    def close(self) -> None:
        _stop(self.process, signal.SIGQUIT)  # immediate shutdown: the cluster is thrown away
        self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class RedisServer:
    """redis-server on a free loopback port. No persistence unless `persistent` (then an
    append-only file, fsynced at every write, survives a restart or a kill)."""

    def __init__(self, *, persistent: bool = False) -> None:
        self.binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        if self.binary is None:
            pytest.skip("redis-server not found: apt-get install redis-server")
        self.persistent = persistent
        self.folder: Path | None = None
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisServer:
        self.folder = Path(tempfile.mkdtemp(prefix="posc-redis-"))
        try:
            for _ in range(3):  # another process may take the free port first
                self.port = free_port()
                if self._launch():
                    return self
            raise RuntimeError(f"redis-server did not start:\n{_tail(self.folder / 'redis.log')}")
        except BaseException:
            self.close()
            raise

    def __exit__(self, *_: object) -> None:
        self.close()

    def _launch(self) -> bool:
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "no",
                 "--daemonize", "no", "--dir", str(self.folder), "--save", "", *persistence],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if self.ping():
                return True
            time.sleep(0.02)
        _stop(self.process, signal.SIGKILL)
        return False

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, *, kill: bool = False) -> None:
        """Stops the server (SIGTERM; SIGKILL with `kill`, as a crashed broker)."""
        _stop(self.process, signal.SIGKILL if kill else signal.SIGTERM)

    def start(self) -> None:
        """Starts it again on the same port (and, when persistent, with the same data)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._launch():  # the port may linger a moment after the stop
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not restart:\n{_tail(self.folder / 'redis.log')}")
            time.sleep(0.1)

    def restart(self, *, kill: bool = False, down_s: float = 0) -> None:
        """Stops and starts the server on the same port, down for `down_s` seconds between."""
        self.stop(kill=kill)
        time.sleep(down_s)
        self.start()

    def close(self) -> None:
        self.stop(kill=True)
        self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# One server of each kind per test process, however many modules import the fixtures below.
_shared: dict[type, list] = {}


@contextlib.contextmanager
def _shared_server(kind: type) -> Iterator:
    held = _shared.get(kind)
    if held is None:
        server = kind()  # may skip: binaries missing
        held = _shared[kind] = [server.__enter__(), 0]
    held[1] += 1
    try:
        yield held[0]
    finally:
        held[1] -= 1
        if held[1] == 0:
            del _shared[kind]
            held[0].close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (`.url`, `.create_database(name)`)."""
    with _shared_server(PostgresServer) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.url


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis server of the test's own (it may restart it), no persistence."""
    with RedisServer() as server:
        yield server
