"""Server-side sessions in SQLite: who is logged in, the session's CSRF token, and the work in
progress a JSF portal keeps in the session (profile changes saved with Update, waiting for
the Agreement's Submit)."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import sqlite3
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    session_id: str
    user_id: str
    csrf_token: str

    def token_matches(self, submitted: object) -> bool:
        return isinstance(submitted, str) and hmac.compare_digest(submitted, self.csrf_token)


class Sessions:
    """Sessions live until logout, a reset, or `ttl_s` seconds after login (the
    `session_ttl_s` fault; None: no expiry)."""

    def __init__(self, db: sqlite3.Connection, *, ttl_s: float | None = None) -> None:
        self.db = db
        self.ttl_s = ttl_s

    def start(self, user_id: str) -> Session:
        session = Session(secrets.token_urlsafe(32), user_id, secrets.token_urlsafe(32))
        now = time.time()
        expires = now + self.ttl_s if self.ttl_s else None
        with self.db:
            self.db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                            (session.session_id, user_id, session.csrf_token, now, expires))
        return session

    def find(self, session_id: str | None) -> Session | None:
        """The live session with this ID; an expired one is ended on sight."""
        if not session_id:
            return None
        row = self.db.execute("SELECT * FROM sessions WHERE session_id = ?",
                              (session_id,)).fetchone()
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= time.time():
            self.end(session_id)
            return None
        return Session(row["session_id"], row["user_id"], row["csrf_token"])

    def end(self, session_id: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM session_changes WHERE session_id = ?", (session_id,))
            self.db.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))

    # --- profile changes saved with Update, per provider ---------------------------------

    def save_change(self, session: Session, provider_id: str, servicing_id: int,
                    end_date: dt.date) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO session_changes VALUES (?, ?, ?, ?, ?)",
                (session.session_id, provider_id, servicing_id, end_date.isoformat(),
                 time.time_ns()))

    def changes(self, session: Session, provider_id: str) -> dict[int, dt.date]:
        """Saved End Dates by servicing record, in the order they were saved."""
        rows = self.db.execute(
            "SELECT servicing_id, end_date FROM session_changes"
            " WHERE session_id = ? AND provider_id = ? ORDER BY saved_at",
            (session.session_id, provider_id)).fetchall()
        return {row["servicing_id"]: dt.date.fromisoformat(row["end_date"]) for row in rows}

    def drop_changes(self, session: Session, provider_id: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM session_changes WHERE session_id = ? AND provider_id = ?",
                            (session.session_id, provider_id))
