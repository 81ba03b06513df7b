"""The ledger in SQLite: one file in the run's output folder (`ledger.sqlite`), the
single-machine default. Each transition is one SQLite transaction, committed before the robot
acts on it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from robots.errors import ConfigError
from robots.failpoints import failpoint
from robots.ledger.base import FINAL, WORKABLE, Claim, Entry, Outcome, RecordState, RunRecord, SyncReport

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    key            TEXT PRIMARY KEY,
    seq            INTEGER NOT NULL,
    fields         TEXT NOT NULL,
    state          TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    submit_started INTEGER NOT NULL DEFAULT 0,
    message        TEXT,
    confirmation   TEXT,
    screenshot     TEXT,
    trace          TEXT,
    evidence       TEXT,
    started_at     TEXT,
    finished_at    TEXT,
    updated_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_state ON records (state, seq);
CREATE TABLE IF NOT EXISTS runs (
    run        INTEGER PRIMARY KEY AUTOINCREMENT,
    started    TEXT NOT NULL,
    finished   TEXT,
    stopped    TEXT,
    dry_run    INTEGER NOT NULL,
    logins     INTEGER NOT NULL DEFAULT 0,
    worked     INTEGER NOT NULL
);
"""
# What a corrected rejection forgets: the refusal was for other data.
FORGET_OUTCOME = ("message = NULL, confirmation = NULL, screenshot = NULL, trace = NULL, evidence = NULL, "
                  "finished_at = NULL")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class SqliteLedger:
    FILE_NAME = "ledger.sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # One connection, used from the runner's event loop only. Autocommit: each method
        # below is a single statement or an explicit transaction.
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(records)")}
            if "evidence" not in columns:  # a ledger written before records kept more than one screenshot
                self._db.execute("ALTER TABLE records ADD COLUMN evidence TEXT")
        except sqlite3.DatabaseError as error:
            raise ConfigError(
                f"{self.path} is not a posc ledger or is damaged ({error}); choose another --out"
            ) from None
        # A crash mid-record leaves it in_progress: it goes back to the queue. A record that
        # was submitting stays so (and keeps submit_started): it must be verified first.
        self._db.execute(
            "UPDATE records SET state = ?, updated_at = ? WHERE state = ?",
            (RecordState.PENDING, _now(), RecordState.IN_PROGRESS),
        )

    @classmethod
    def in_folder(cls, out_dir: Path) -> SqliteLedger:
        return cls(out_dir / cls.FILE_NAME)

    def sync(self, identity: str, records: Iterable[tuple[str, dict[str, Any]]]) -> SyncReport:
        """Adds the job's records; a record not yet final takes the job's current fields, and a
        rejected record whose fields the job corrected is worked again."""
        now = _now()
        job = [(key, json.dumps(fields)) for key, fields in records]
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE name = 'job'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta (name, value) VALUES ('job', ?)", (identity,))
            elif row[0] != identity:
                raise ConfigError(
                    f"{self.path.parent} holds the run of another job ({row[0]}), not {identity}; "
                    "choose another --out"
                )
            held = set(key for (key,) in self._db.execute("SELECT key FROM records"))
            rejected = dict(self._db.execute("SELECT key, fields FROM records WHERE state = ?",
                                             (RecordState.REJECTED,)))
            corrected = [(fields, key) for key, fields in job if key in rejected and rejected[key] != fields]
            self._db.executemany(
                f"UPDATE records SET state = '{RecordState.PENDING}', fields = ?, {FORGET_OUTCOME} WHERE key = ?",
                corrected,
            )
            # Results follow the job's order, so every record takes its new place. Only a record
            # not yet finished, and with no Submit in flight, takes the job's edited fields: a
            # record that may have been submitted is verified against what was submitted.
            self._db.executemany(
                """INSERT INTO records (key, seq, fields, state, updated_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET seq = excluded.seq,
                       fields = CASE WHEN records.state IN (?, ?, ?) OR records.submit_started
                                     THEN records.fields ELSE excluded.fields END""",
                (
                    (key, seq, fields, RecordState.PENDING, now, *sorted(FINAL))
                    for seq, (key, fields) in enumerate(job, start=1)
                ),
            )
        in_job = {key for key, _ in job}
        return SyncReport(
            added=len(in_job - held),
            removed=tuple(sorted(held - in_job)),
            corrected=tuple(key for _, key in corrected),
            existed=bool(held),
        )

    def reopen(self, keys: Iterable[str]) -> None:
        """Rejected (or dry-run, or failed) records worked again on purpose (`--retry`). Never a
        done record: nothing is submitted twice."""
        self._db.executemany(
            f"UPDATE records SET state = ?, {FORGET_OUTCOME}, updated_at = ? WHERE key = ? AND state IN (?, ?, ?)",
            ((RecordState.PENDING, _now(), key, RecordState.REJECTED, RecordState.DRY_RUN, RecordState.FAILED)
             for key in keys),
        )

    def begin_run(self, started: str, *, dry_run: bool, worked: int) -> int:
        cursor = self._db.execute("INSERT INTO runs (started, dry_run, worked) VALUES (?, ?, ?)",
                                  (started, int(dry_run), worked))
        return int(cursor.lastrowid)

    def end_run(self, run: int, finished: str, *, stopped: str | None, logins: int) -> None:
        self._db.execute("UPDATE runs SET finished = ?, stopped = ?, logins = ? WHERE run = ?",
                         (finished, stopped, logins, run))

    def runs(self) -> list[RunRecord]:
        rows = self._db.execute("SELECT started, finished, stopped, dry_run, logins, worked FROM runs ORDER BY run")
        return [RunRecord(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) for row in rows]

    def workable(self) -> list[str]:
        placeholders = ", ".join("?" * len(WORKABLE))
        rows = self._db.execute(
            f"SELECT key FROM records WHERE state IN ({placeholders}) ORDER BY seq",
            tuple(WORKABLE),
        )
        return [key for (key,) in rows]

    def claim(self, key: str) -> Claim | None:
        placeholders = ", ".join("?" * len(WORKABLE))
        row = self._db.execute(
            f"""UPDATE records SET state = ?, updated_at = ?, started_at = COALESCE(started_at, ?)
                WHERE key = ? AND state IN ({placeholders}) RETURNING submit_started""",
            (RecordState.IN_PROGRESS, _now(), _now(), key, *WORKABLE),
        ).fetchone()
        return Claim(key, bool(row[0])) if row else None

    def start_attempt(self, key: str) -> int:
        (attempts,) = self._db.execute(
            "UPDATE records SET attempts = attempts + 1, updated_at = ? WHERE key = ? RETURNING attempts",
            (_now(), key),
        ).fetchone()
        return attempts

    def submit_started(self, key: str) -> bool:
        row = self._db.execute("SELECT submit_started FROM records WHERE key = ?", (key,)).fetchone()
        return bool(row and row[0])

    def mark_submitting(self, key: str) -> None:
        self._db.execute(
            "UPDATE records SET state = ?, submit_started = 1, updated_at = ? WHERE key = ?",
            (RecordState.SUBMITTING, _now(), key),
        )
        failpoint("after-mark-submitting")

    def settle(self, key: str, outcome: Outcome) -> None:
        with self._transaction():
            self._db.execute(
                """UPDATE records SET state = ?, message = ?, confirmation = ?, screenshot = ?,
                   trace = ?, evidence = ?, finished_at = ?, updated_at = ? WHERE key = ?""",
                (
                    outcome.state,
                    outcome.message,
                    json.dumps(outcome.confirmation) if outcome.confirmation is not None else None,
                    outcome.screenshot,
                    outcome.trace,
                    json.dumps(list(outcome.evidence)) if outcome.evidence else None,
                    _now(),
                    _now(),
                    key,
                ),
            )
            failpoint("during-settle")

    def release(self, key: str) -> None:
        """Back to the queue untouched (the run stopped before this record was settled)."""
        self._db.execute(
            "UPDATE records SET state = CASE WHEN submit_started THEN ? ELSE ? END, updated_at = ? "
            "WHERE key = ? AND state IN (?, ?)",
            (RecordState.SUBMITTING, RecordState.PENDING, _now(), key, RecordState.IN_PROGRESS, RecordState.SUBMITTING),
        )

    def read(self) -> list[Entry]:
        rows = self._db.execute(
            """SELECT key, seq, state, attempts, submit_started, message, confirmation, screenshot,
                      trace, fields, started_at, finished_at, evidence FROM records ORDER BY seq"""
        )
        return [
            Entry(
                key=row[0],
                seq=row[1],
                state=RecordState(row[2]),
                attempts=row[3],
                submit_started=bool(row[4]),
                message=row[5],
                confirmation=json.loads(row[6]) if row[6] else None,
                screenshot=row[7],
                trace=row[8],
                fields=json.loads(row[9]),
                started_at=row[10],
                finished_at=row[11],
                evidence=tuple(json.loads(row[12])) if row[12] else (),
            )
            for row in rows
        ]

    def evidence_key(self) -> bytes:
        """A secret of this run folder's, for naming evidence files (see `Evidence`)."""
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE name = 'evidence_key'").fetchone()
            if row is None:
                row = (secrets.token_hex(16),)
                self._db.execute("INSERT INTO meta (name, value) VALUES ('evidence_key', ?)", row)
        return bytes.fromhex(row[0])

    def close(self) -> None:
        self._db.close()

    def _transaction(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def finished_keys(out_dir: Path) -> set[str]:
    """The keys a folder's ledger holds as finished, read without writing (an absent or
    unreadable ledger holds none): for checks made before a run takes the folder."""
    path = out_dir / SqliteLedger.FILE_NAME
    if not path.exists():
        return set()
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            rows = db.execute(f"SELECT key FROM records WHERE state IN ({', '.join('?' * len(FINAL))})", tuple(FINAL))
            return {key for (key,) in rows}
    except sqlite3.DatabaseError:
        return set()
