"""The portal's state in SQLite: seeded from a fixture, reset to it on demand, and the few
indexed queries the panels need (no request scans a whole table).

One connection, used from the event loop's thread only: every call is a few indexed
statements, far cheaper than rendering the page around it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import sqlite3
import tempfile
from pathlib import Path

from mock_portal import seeding
from mock_portal.fixture import ADDRESS_FIELDS, Address, Fixture, GatewaySettings

# 2: the Virtual Gateway's accounts and login state; 3: disenrollments by plan and date (the
# 834), request statuses computed from the clock (no status column), the clock's offset
SCHEMA_VERSION = "3"
PAGE_SIZE = 10
FIRST_REQUEST_ID = 4100001

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, salt BLOB NOT NULL,
    password_hash BLOB NOT NULL, email TEXT, email_key TEXT UNIQUE, totp_secret TEXT,
    active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS grants (user_id TEXT NOT NULL, provider_id TEXT NOT NULL,
    PRIMARY KEY (user_id, provider_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS providers (provider_id TEXT PRIMARY KEY, name TEXT NOT NULL,
    type TEXT NOT NULL, address TEXT, city TEXT, state TEXT, zip TEXT);
CREATE TABLE IF NOT EXISTS locations (location_id INTEGER PRIMARY KEY,
    provider_id TEXT NOT NULL, dba_name TEXT NOT NULL, address TEXT, city TEXT, state TEXT,
    zip TEXT);
CREATE INDEX IF NOT EXISTS locations_by_provider ON locations (provider_id, location_id);
CREATE TABLE IF NOT EXISTS servicing (servicing_id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL, provider_id TEXT NOT NULL, npi TEXT NOT NULL,
    name TEXT NOT NULL, provider_type TEXT NOT NULL, address TEXT, city TEXT, state TEXT,
    zip TEXT, effective_date TEXT NOT NULL, end_date TEXT, requested_end_date TEXT,
    UNIQUE (location_id, provider_id));
CREATE INDEX IF NOT EXISTS servicing_by_name ON servicing (location_id, name, provider_id);
CREATE TABLE IF NOT EXISTS members (member_id TEXT PRIMARY KEY, last_name TEXT NOT NULL,
    first_name TEXT NOT NULL, one_care_plan TEXT, enrollment_start_date TEXT,
    pending_effective_date TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS session_changes (session_id TEXT NOT NULL,
    provider_id TEXT NOT NULL, servicing_id INTEGER NOT NULL, end_date TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, provider_id, servicing_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transactions (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS update_requests (line INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL, provider_id TEXT NOT NULL, user_id TEXT NOT NULL,
    submitted_on TEXT NOT NULL, description TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS update_requests_by_id ON update_requests (request_id);
CREATE INDEX IF NOT EXISTS update_requests_by_provider ON update_requests (provider_id, line);
CREATE TABLE IF NOT EXISTS disenrollments (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id TEXT NOT NULL, member_id TEXT NOT NULL, last_name TEXT NOT NULL,
    first_name TEXT NOT NULL, reason TEXT NOT NULL, effective_date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS disenrollments_by_plan ON disenrollments (provider_id,
    effective_date);
CREATE TABLE IF NOT EXISTS vg_accounts (user_id TEXT PRIMARY KEY, failures INTEGER NOT NULL,
    locked_until REAL, last_step INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vg_pending (pending_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    typed TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vg_sessions (vg_session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,
    expires_at REAL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logins (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
"""
# Everything `reset` empties, in an order that never leaves a dangling reference.
TABLES = ("session_changes", "sessions", "vg_sessions", "vg_pending", "vg_accounts", "logins",
          "transactions", "disenrollments", "update_requests", "servicing", "locations",
          "members", "grants", "users", "providers", "meta")


def address_line(row: sqlite3.Row, *, prefix: str = "") -> str:
    """A row's address fields (`dba_address`... with prefix "dba_") on one line."""
    return Address(*(row[prefix + field] or "" for field in ADDRESS_FIELDS)).one_line()


class StoreError(Exception):
    """The database file cannot hold the portal's state."""


class Store:
    """The portal's state. `path` is kept across restarts; `fixture` seeds a new file and
    every `reset`."""

    def __init__(self, path: str | Path, fixture: Fixture) -> None:
        self._scratch: tempfile.TemporaryDirectory | None = None
        self.path = Path(path)
        self.fixture = fixture
        is_new = not self.path.exists() or self.path.stat().st_size == 0
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if not is_new:
                self._check_version()
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a mock portal database ({error})") from None
        if is_new:
            self.reset()
        self._load_settings()

    def _check_version(self) -> None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is None or row["value"] != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: not a mock portal database of this version")

    def _load_settings(self) -> None:
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        self.frozen_today = dt.date.fromisoformat(meta["today"]) if meta.get("today") else None
        self.clock_offset_days = int(meta.get("clock_offset_days", "0"))
        self.disenrollment_reasons: tuple[str, ...] = tuple(json.loads(meta["reasons"]))
        self.gateway = GatewaySettings(**json.loads(meta["gateway"]))

    @classmethod
    def temporary(cls, fixture: Fixture) -> Store:
        """A store in a scratch folder that `close` removes (no `--db`)."""
        scratch = tempfile.TemporaryDirectory(prefix="posc-mock-")
        store = cls(Path(scratch.name) / "portal.sqlite3", fixture)
        store._scratch = scratch
        return store

    def close(self) -> None:
        self.db.close()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def today(self) -> dt.date:
        """The portal's clock: the fixture's frozen `today`, else the real date, moved on by
        the days `advance` added. Every rule that depends on "today" reads it here."""
        base = self.frozen_today or dt.date.today()
        return base + dt.timedelta(days=self.clock_offset_days)

    def advance(self, days: int) -> dt.date:
        """Moves the portal's clock `days` forward (kept across restarts with `--db`; `reset`
        sets it back); returns the new today."""
        offset = self.clock_offset_days + days
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('clock_offset_days', ?)",
                            (str(offset),))
        self.clock_offset_days = offset
        return self.today()

    def reset(self) -> None:
        """Back to the fixture's state: transactions, requests, sessions and the Virtual
        Gateway's login state (failures, locks, used codes, the login log) cleared, and the
        clock back at the fixture's today."""
        fixture = self.fixture
        with self.db:
            for table in TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            seeding.seed(self.db, fixture)
        self._load_settings()

    # --- accounts and providers ----------------------------------------------------------

    def password_matches(self, user_id: str | None, password: str) -> bool:
        """None: no such user (the work is the same)."""
        row = self.db.execute("SELECT salt, password_hash FROM users WHERE user_id = ?",
                              (user_id,)).fetchone() if user_id is not None else None
        if row is None:
            seeding.password_hash(password, b"\0" * 16)  # same work either way: no user-ID oracle
            return False
        return hmac.compare_digest(seeding.password_hash(password, row["salt"]),
                                   row["password_hash"])

    def account(self, *, user_id: str | None = None, email: str | None = None
                ) -> sqlite3.Row | None:
        """A user's user_id, email, totp_secret and active flag, by user ID or by email
        (compared case-insensitively, surrounding spaces ignored)."""
        if email is not None:
            where, key = "email_key = ?", email.strip().casefold()
        else:
            where, key = "user_id = ?", user_id
        return self.db.execute("SELECT user_id, email, totp_secret, active FROM users"
                               f" WHERE {where}", (key,)).fetchone()

    def granted_providers(self, user_id: str, *types: str) -> list[sqlite3.Row]:
        """The user's providers (optionally of the given types), by provider ID."""
        rows = self.db.execute(
            "SELECT p.* FROM grants g JOIN providers p USING (provider_id)"
            " WHERE g.user_id = ? ORDER BY p.provider_id", (user_id,)).fetchall()
        return [row for row in rows if not types or row["type"] in types]

    def granted_provider(self, user_id: str, provider_id: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT p.* FROM grants g JOIN providers p USING (provider_id)"
            " WHERE g.user_id = ? AND g.provider_id = ?", (user_id, provider_id)).fetchone()

    def provider(self, provider_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM providers WHERE provider_id = ?",
                               (provider_id,)).fetchone()

    def provider_name(self, provider_id: str) -> str:
        row = self.db.execute("SELECT name FROM providers WHERE provider_id = ?",
                              (provider_id,)).fetchone()
        return row["name"] if row else provider_id

    def locations(self, provider_id: str) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM locations WHERE provider_id = ?"
                               " ORDER BY location_id", (provider_id,)).fetchall()

    def location(self, provider_id: str, location_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM locations WHERE provider_id = ? AND location_id = ?",
                               (provider_id, location_id)).fetchone()

    def servicing_count(self, location_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM servicing WHERE location_id = ?",
                               (location_id,)).fetchone()[0]

    def servicing_page(self, location_id: int, page: int, *, descending: bool
                       ) -> list[sqlite3.Row]:
        """One page of a location's servicing providers, by name."""
        order = "DESC" if descending else "ASC"
        return self.db.execute(
            "SELECT *, COALESCE(requested_end_date, end_date) AS shown_end_date FROM servicing"
            f" WHERE location_id = ? ORDER BY name {order}, provider_id {order}"
            " LIMIT ? OFFSET ?", (location_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)).fetchall()

    def servicing(self, location_id: int, provider_id: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT *, COALESCE(requested_end_date, end_date) AS shown_end_date FROM servicing"
            " WHERE location_id = ? AND provider_id = ?", (location_id, provider_id)).fetchone()

    def servicing_by_id(self, servicing_id: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT s.*, l.provider_id AS group_id, l.dba_name, l.address AS dba_address,"
            " l.city AS dba_city, l.state AS dba_state, l.zip AS dba_zip FROM servicing s"
            " JOIN locations l USING (location_id) WHERE servicing_id = ?",
            (servicing_id,)).fetchone()

    # --- members and submissions ---------------------------------------------------------

    def member(self, member_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM members WHERE member_id = ?",
                               (member_id,)).fetchone()

    def record_disenrollment(self, *, user_id: str, provider_id: str, member: sqlite3.Row,
                             reason: str, effective: dt.date) -> None:
        """Marks the member's disenrollment pending and logs the submission, in one
        transaction. A second submission is recorded too (the robot prevents duplicates).
        The plan's 834 is built from the `disenrollments` rows (indexed by plan and date)."""
        with self.db:
            self.db.execute("UPDATE members SET pending_effective_date = ? WHERE member_id = ?",
                            (effective.isoformat(), member["member_id"]))
            self.db.execute(
                "INSERT INTO disenrollments (provider_id, member_id, last_name, first_name,"
                " reason, effective_date) VALUES (?, ?, ?, ?, ?, ?)",
                (provider_id, member["member_id"], member["last_name"], member["first_name"],
                 reason, effective.isoformat()))
            self._log({"kind": "disenrollment", "user_id": user_id, "provider_id": provider_id,
                       "submitted_at": _now(), "member_id": member["member_id"],
                       "last_name": member["last_name"], "first_name": member["first_name"],
                       "reason": reason, "effective_date": effective.isoformat()})

    def record_unlinks(self, *, session_id: str, user_id: str, provider_id: str,
                       changes: list[tuple[sqlite3.Row, dt.date]]) -> int:
        """Files one update request for the session's saved changes ((servicing row with its
        dba_name, end date) pairs), logs one transaction per change and clears them from the
        session, all in one transaction. Returns the request ID."""
        with self.db:
            self.db.execute("DELETE FROM session_changes WHERE session_id = ? AND provider_id = ?",
                            (session_id, provider_id))
            last = self.db.execute("SELECT MAX(request_id) FROM update_requests").fetchone()[0]
            request_id = (last or FIRST_REQUEST_ID - 1) + 1
            submitted_on = self.today().isoformat()
            for servicing, end_date in changes:
                description = (f"Unlink {servicing['name']} from {servicing['dba_name']},"
                               f" end date {end_date:%m/%d/%Y}")
                self.db.execute(
                    "INSERT INTO update_requests (request_id, provider_id, user_id,"
                    " submitted_on, description) VALUES (?, ?, ?, ?, ?)",
                    (request_id, provider_id, user_id, submitted_on, description))
                self.db.execute("UPDATE servicing SET requested_end_date = ?"
                                " WHERE servicing_id = ?",
                                (end_date.isoformat(), servicing["servicing_id"]))
                self._log({"kind": "group_unlink", "user_id": user_id,
                           "provider_id": provider_id, "submitted_at": _now(),
                           "location": servicing["dba_name"], "practitioner": servicing["name"],
                           "practitioner_provider_id": servicing["provider_id"],
                           "npi": servicing["npi"], "end_date": end_date.isoformat(),
                           "request_id": str(request_id)})
        return request_id

    def update_requests(self, user_id: str, *, limit: int = 200) -> list[sqlite3.Row]:
        """The latest requests filed for the user's providers, newest first."""
        return self.db.execute(
            "SELECT r.* FROM grants g JOIN update_requests r USING (provider_id)"
            " WHERE g.user_id = ? ORDER BY r.line DESC LIMIT ?", (user_id, limit)).fetchall()

    def disenrollment_months(self, provider_id: str) -> list[str]:
        """The months ("YYYY-MM") in which the plan's accepted disenrollments take effect,
        latest first."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT substr(effective_date, 1, 7) FROM disenrollments"
            " WHERE provider_id = ? ORDER BY 1 DESC", (provider_id,))]

    def disenrollments(self, provider_id: str, first: dt.date, last: dt.date
                       ) -> list[sqlite3.Row]:
        """The plan's accepted disenrollments effective from `first` to `last`, in the order
        they were accepted (duplicates included)."""
        return self.db.execute(
            "SELECT * FROM disenrollments WHERE provider_id = ?"
            " AND effective_date BETWEEN ? AND ? ORDER BY seq",
            (provider_id, first.isoformat(), last.isoformat())).fetchall()

    def _log(self, transaction: dict) -> None:
        self.db.execute("INSERT INTO transactions (body) VALUES (?)", (json.dumps(transaction),))

    def transactions_json(self) -> str:
        """Every accepted submission, duplicates included, as a JSON array (the bodies are
        stored as JSON, so they are joined rather than decoded and encoded again)."""
        bodies = [row[0] for row in self.db.execute("SELECT body FROM transactions ORDER BY seq")]
        return "[" + ",".join(bodies) + "]"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
