"""The bot's authenticator: one-time verification codes (TOTP, RFC 6238) for the Virtual
Gateway's multifactor authentication, each time step used at most once.

A gateway takes a code once per user (RFC 6238 §5.2): two workers logging in within one
30-second step need two steps, and so do two runs one after the other. So every code comes
from a step later than any step used before, by this run's workers or by an earlier run on
this machine: the last step used is kept in a small file outside the run folder (it holds
no secret), and a login that finds its step taken waits for the next one. Hosts that share a
run can share the record too (`shared`): then no two hosts of one bot send the same code.
"""

from __future__ import annotations

import asyncio
import binascii
import fcntl
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pyotp

from robots.errors import ConfigError


class _Authenticator(pyotp.TOTP):
    # RFC 4226 asks for at least 128 bits and allows 80 (16 base32 characters); an authenticator
    # app takes what the gateway gave, and so does the robot.
    min_secret_length_bits = 80


def authenticator(key: str) -> pyotp.TOTP:
    """The authenticator of a base32 account key or an `otpauth://totp/...` address. The
    key itself is never quoted in an error."""
    key = key.strip()
    try:
        if key.lower().startswith("otpauth://"):
            parsed = pyotp.parse_uri(key)
            if not isinstance(parsed, pyotp.TOTP):
                raise ValueError("not a TOTP address")
            totp = _Authenticator(parsed.secret, digits=parsed.digits, digest=parsed.digest,
                                  interval=parsed.interval)
        else:
            totp = _Authenticator(key.replace(" ", "").upper())
        totp.byte_secret()  # decodes it, and checks its length, now rather than at a login
    except (ValueError, binascii.Error, TypeError):
        raise ConfigError(
            "POSC_TOTP_SECRET is neither a base32 account key (16 characters or more) nor an otpauth://totp/ "
            "address (the key MyMassGov shows when an authenticator app is set up)"
        ) from None
    return totp


def state_dir() -> Path:
    """`POSC_STATE_DIR`, else `$XDG_STATE_HOME/posc-robot`, else `~/.local/state/posc-robot`."""
    if configured := os.environ.get("POSC_STATE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "posc-robot"


class OneTimeCodes:
    """Codes for one user's authenticator, shared by a run's workers. `next()` waits, when
    it must, for a step no login has used yet."""

    def __init__(
        self,
        user: str,
        key: str,
        *,
        folder: Path | None = None,
        clock: Callable[[], float] = time.time,
        shared: Callable[[str, int], bool] | None = None,
    ) -> None:
        self._totp = authenticator(key)
        self.period = self._totp.interval
        # Names the account without naming the user: the record holds no PHI and no secret.
        self.account = f"authenticator-{hashlib.sha256(user.strip().lower().encode()).hexdigest()[:16]}-{self.period}s"
        self._file = (folder or state_dir()) / f"{self.account}.step"
        self._shared = shared
        self._clock = clock
        self._lock: asyncio.Lock | None = None

    async def next(self, *, on_wait: Callable[[float], None] | None = None) -> str:
        """A code of a step no login has used; `on_wait(seconds)` is told of a wait first."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            while not isinstance(found := self.take(), str):
                if on_wait is not None:
                    on_wait(found)
                await asyncio.sleep(found)
            return found

    def take(self) -> str | float:
        """The code of the current step if no login used it yet, else the seconds until the
        next step begins (then take again)."""
        now = self._clock()
        step = int(now // self.period)
        if self._claim(step):
            return self._totp.generate_otp(step)
        return max(0.05, float((step + 1) * self.period - now))

    def _claim(self, step: int) -> bool:
        """Takes `step` unless it (or a later one) was used before: by another host sharing
        the record (`shared(account, step)` claims it there), or by a process of this one."""
        if self._shared is not None and not self._shared(self.account, step):
            return False
        self._file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self._file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            text = os.read(fd, 64).decode(errors="replace").strip()
            last = int(text) if text.isdigit() else -1
            if step <= last:
                return False
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, str(step).encode())
            os.fsync(fd)
            return True
        finally:
            os.close(fd)
