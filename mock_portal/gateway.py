"""The EOHHS Virtual Gateway in front of the POSC (`--login gateway`): its addresses, and what
it remembers in SQLite: logins waiting for their code, its own sessions, each account's
failures, lock and last code step used, and the log of every login attempt.

Each method is a few statements on the event loop's one thread, with no await in between, so
a check and the update that follows it (a code's step against the last one used) cannot
interleave with another request's.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
import time
from dataclasses import dataclass

from mock_portal.store import Store

# `--login`: through the gateway (the real portal's only way in), or the POSC's own panel.
LOGINS = ("gateway", "simple")

BASE = "/vg"
START = f"{BASE}/"
PERSONAL = f"{BASE}/personal"
LOGIN = f"{BASE}/login"
FORGOT_PASSWORD = f"{BASE}/forgot-password"
VERIFY = f"{BASE}/verify"
APPLICATIONS = f"{BASE}/applications"
LAUNCH_POSC = f"{BASE}/launch/posc"
MY_ACCOUNT = f"{BASE}/account"
LOGOUT = f"{BASE}/logout"

LOGIN_TOKEN_COOKIE = "VG_LOGIN_TOKEN"
PENDING_COOKIE = "VG_PENDING"
SESSION_COOKIE = "VG_SESSION"
# Carries "your session has ended" across the redirect to the Business Log In page, so that
# the page's address stays exactly /vg/login.
NOTICE_COOKIE = "VG_NOTICE"
SESSION_ENDED = "session_ended"

# A password accepted waits this long for its code (the real gateway's MFA page times out).
PENDING_TTL_S = 300

# The outcomes of /_mock/logins, by step: "password" (Business Log In), "code" (Multifactor
# Authentication), "simple" (the POSC's own login panel, `--login simple`).
OK = "ok"
PASSWORD_OK = "password_ok"
WRONG_PASSWORD = "wrong_password"
UNKNOWN_USER = "unknown_user"
WRONG_CODE = "wrong_code"
CODE_REUSED = "code_reused"
LOCKED = "locked"
DEACTIVATED = "deactivated"
NO_MFA = "no_mfa"


@dataclass(frozen=True)
class Pending:
    """A password accepted, waiting for its code: whose, and the email as it was typed."""

    pending_id: str
    user_id: str
    typed: str


class Gateway:
    """The gateway's state over the store's database; its rules' settings are the store's
    (the fixture's `gateway`, reloaded by a reset). VG sessions live until logout, a reset, or
    `ttl_s` seconds (the `session_ttl_s` fault, as POSC sessions)."""

    def __init__(self, store: Store, *, ttl_s: float | None = None) -> None:
        self.store = store
        self.db = store.db
        self.ttl_s = ttl_s

    # --- the log -------------------------------------------------------------------------

    def record(self, *, typed: str, user_id: str | None, step: str, outcome: str) -> None:
        """One login attempt: what was typed as the user (never the password or the code)."""
        body = {"user": typed, "user_id": user_id,
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "step": step, "outcome": outcome}
        with self.db:
            self.db.execute("INSERT INTO logins (body) VALUES (?)", (json.dumps(body),))

    def logins_json(self) -> str:
        bodies = [row[0] for row in self.db.execute("SELECT body FROM logins ORDER BY seq")]
        return "[" + ",".join(bodies) + "]"

    # --- failures, locks and used steps, per account -------------------------------------

    def _account(self, user_id: str):
        return self.db.execute("SELECT * FROM vg_accounts WHERE user_id = ?",
                               (user_id,)).fetchone()

    def locked_minutes(self, user_id: str, now: float) -> int | None:
        """The whole minutes left of the account's lock (rounded up), None when not locked."""
        row = self._account(user_id)
        if row is None or row["locked_until"] is None or row["locked_until"] <= now:
            return None
        return math.ceil((row["locked_until"] - now) / 60)

    def fail(self, user_id: str, now: float) -> bool:
        """Counts a refused password or code; True when that failure locks the account.
        A lock starts the count again, so that its end is not one failure from another."""
        settings = self.store.gateway
        row = self._account(user_id)
        failures = (row["failures"] if row else 0) + 1
        locked_until = None
        if failures >= settings.failures_to_lock:
            failures, locked_until = 0, now + settings.lockout_minutes * 60
        with self.db:
            self.db.execute(
                "INSERT INTO vg_accounts VALUES (?, ?, ?, NULL) ON CONFLICT (user_id) DO UPDATE"
                " SET failures = excluded.failures, locked_until = excluded.locked_until",
                (user_id, failures, locked_until))
        return locked_until is not None

    def last_step(self, user_id: str) -> int | None:
        row = self._account(user_id)
        return row["last_step"] if row else None

    def complete(self, user_id: str, step: int) -> None:
        """A login completed with the code of `step`: no code of that step or an earlier one
        is accepted again for this user (RFC 6238, section 5.2); failures start again."""
        with self.db:
            self.db.execute(
                "INSERT INTO vg_accounts VALUES (?, 0, NULL, ?) ON CONFLICT (user_id) DO UPDATE"
                " SET failures = 0, locked_until = NULL, last_step = excluded.last_step",
                (user_id, step))

    # --- logins waiting for their code ---------------------------------------------------

    def start_pending(self, user_id: str, typed: str) -> str:
        pending_id = secrets.token_urlsafe(32)
        with self.db:
            self.db.execute("INSERT INTO vg_pending VALUES (?, ?, ?, ?)",
                            (pending_id, user_id, typed, time.time() + PENDING_TTL_S))
        return pending_id

    def pending(self, pending_id: str | None) -> Pending | None:
        """The login waiting under this ID for its code, if it has not timed out."""
        if not pending_id:
            return None
        row = self.db.execute("SELECT * FROM vg_pending WHERE pending_id = ?",
                              (pending_id,)).fetchone()
        if row is None:
            return None
        if row["expires_at"] <= time.time():
            self.end_pending(pending_id)
            return None
        return Pending(pending_id, row["user_id"], row["typed"])

    def end_pending(self, pending_id: str | None) -> None:
        if pending_id:
            with self.db:
                self.db.execute("DELETE FROM vg_pending WHERE pending_id = ?", (pending_id,))

    # --- the gateway's own sessions ------------------------------------------------------

    def start_session(self, user_id: str) -> str:
        session_id = secrets.token_urlsafe(32)
        expires = time.time() + self.ttl_s if self.ttl_s else None
        with self.db:
            self.db.execute("INSERT INTO vg_sessions VALUES (?, ?, ?)",
                            (session_id, user_id, expires))
        return session_id

    def session_user(self, session_id: str | None) -> str | None:
        """The user of a live VG session; an expired one is ended on sight."""
        if not session_id:
            return None
        row = self.db.execute("SELECT * FROM vg_sessions WHERE vg_session_id = ?",
                              (session_id,)).fetchone()
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= time.time():
            self.end_session(session_id)
            return None
        return row["user_id"]

    def end_session(self, session_id: str | None) -> None:
        if session_id:
            with self.db:
                self.db.execute("DELETE FROM vg_sessions WHERE vg_session_id = ?", (session_id,))
