"""The run's output folder: created owner-only (it holds PHI), and locked so that a second
`posc run` on the same folder refuses instead of working the same records."""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from robots.errors import ConfigError, RunLocked

LOCK_FILE = ".lock"


def prepare(out_dir: Path) -> Path:
    out_dir = out_dir.expanduser()
    try:
        out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create the output folder {out_dir}: {error.strerror}") from None
    if not out_dir.is_dir():
        raise ConfigError(f"the output folder {out_dir} is not a folder")
    os.chmod(out_dir, 0o700)
    return out_dir


class FolderLock:
    """An exclusive lock held for the life of the run (released by the OS even on SIGKILL)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "unknown process"
            os.close(fd)
            raise RunLocked(self.path.parent, holder) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
