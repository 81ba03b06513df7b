"""The ledger in PostgreSQL: one database holds many jobs (every row keyed by `job_id`), worked
from several hosts at once. Same states and rules as `sqlite.py`; what several hosts add is
the lease: a claim holds a record for `lease_s` seconds (`renew` extends it), and only its
holder may move it on. A holder that died lets its lease run out; the record is then claimable
again (and a `submitting` one comes back with `submit_started`: read the portal first).

A holder whose record was taken over cannot write it: `mark_submitting`, `start_attempt` and
`settle` raise `LeaseLost` (so no Submit is clicked and no outcome overwrites the new
holder's); `renew` and `release` return False. Each transition is one transaction, committed
before the method returns. Times are the database's clock, the same for every host."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
from collections.abc import Iterable
from typing import Any

import psycopg

from robots.errors import ConfigError
from robots.failpoints import failpoint
from robots.ledger.base import FINAL, WORKABLE, Claim, Entry, Outcome, RecordState, RunRecord, SyncReport
from robots.ledger.postgres_status import JobStatus, job_statuses

SCHEMA = """
CREATE TABLE IF NOT EXISTS posc_jobs (
    job_id       TEXT PRIMARY KEY,
    identity     TEXT,
    evidence_key TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS posc_records (
    job_id         TEXT NOT NULL REFERENCES posc_jobs ON DELETE CASCADE,
    key            TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    fields         TEXT NOT NULL,
    state          TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    submit_started BOOLEAN NOT NULL DEFAULT false,
    message        TEXT,
    confirmation   TEXT,
    screenshot     TEXT,
    trace          TEXT,
    evidence       TEXT,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_by     TEXT,         -- the holder, or the last one (who worked it)
    claimed_at     TIMESTAMPTZ,
    lease_expires  TIMESTAMPTZ,  -- NULL: not held
    PRIMARY KEY (job_id, key)
);
CREATE INDEX IF NOT EXISTS posc_records_by_state ON posc_records (job_id, state, seq);
CREATE TABLE IF NOT EXISTS posc_runs (
    job_id   TEXT NOT NULL REFERENCES posc_jobs ON DELETE CASCADE,
    run      INTEGER NOT NULL,
    started  TEXT NOT NULL,
    finished TEXT,
    stopped  TEXT,
    dry_run  BOOLEAN NOT NULL,
    logins   INTEGER NOT NULL DEFAULT 0,
    worked   INTEGER NOT NULL,
    began_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, run)
);
"""
SCHEMA_LOCK = 0x706F7363  # the advisory lock several processes creating the schema at once take
FORGET_OUTCOME = ("message = NULL, confirmation = NULL, screenshot = NULL, trace = NULL, evidence = NULL, "
                  "finished_at = NULL")
LEASE = "now() + make_interval(secs => %(lease_s)s)"
HELD_BY = "claimed_by = %(holder)s AND lease_expires IS NOT NULL AND state IN ('in_progress', 'submitting')"
CLAIMED = (f"state = 'in_progress', claimed_by = %(holder)s, claimed_at = now(), lease_expires = {LEASE}, "
           "started_at = COALESCE(started_at, now()), updated_at = now()")
FINAL_STATES = sorted(str(state) for state in FINAL)
WORKABLE_STATES = sorted(str(state) for state in WORKABLE)


class LeaseLost(RuntimeError):
    """The record is no longer this holder's: its lease ran out and another holder took it (or
    it was settled or released already). Stop working it; never click its Submit."""


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds") if moment else None


class PostgresLedger:
    DEFAULT_LEASE_S = 600.0  # long: the single-host engine claims without renewing

    def __init__(self, url: str, job_id: str, *, holder: str | None = None,
                 lease_s: float = DEFAULT_LEASE_S) -> None:
        self.job_id = job_id
        self.holder = holder or default_holder()
        self.lease_s = lease_s
        self._db = connect(url)
        with self._db.transaction():
            self._db.execute("INSERT INTO posc_jobs (job_id) VALUES (%s) ON CONFLICT DO NOTHING", (job_id,))
            # A holder that died mid-record: once its lease ran out, the record is back in the
            # queue. A record that was submitting stays so (and keeps submit_started).
            self._db.execute(
                "UPDATE posc_records SET state = 'pending', lease_expires = NULL, updated_at = now() "
                "WHERE job_id = %s AND state = 'in_progress' AND lease_expires < now()", (job_id,))

    @classmethod
    def jobs(cls, url: str) -> list[JobStatus]:
        """Every job in the database and how it stands (`posc status`)."""
        with connect(url) as db:
            return job_statuses(db)

    def sync(self, identity: str, records: Iterable[tuple[str, dict[str, Any]]]) -> SyncReport:
        """Adds the job's records; a record not yet final takes the job's current fields, and a
        rejected record whose fields the job corrected is worked again."""
        job = [(key, json.dumps(fields)) for key, fields in records]
        with self._db.transaction():
            (held_identity,) = self._one("SELECT identity FROM posc_jobs WHERE job_id = %(job)s FOR NO KEY UPDATE")
            if held_identity is None:
                self._run("UPDATE posc_jobs SET identity = %(identity)s WHERE job_id = %(job)s", identity=identity)
            elif held_identity != identity:
                raise ConfigError(f"ledger job {self.job_id!r} holds the run of another job ({held_identity}), "
                                  f"not {identity}; choose another --out")
            rows = self._run("SELECT key, state, fields FROM posc_records WHERE job_id = %(job)s").fetchall()
            held = {key for key, _, _ in rows}
            rejected = {key: fields for key, state, fields in rows if state == RecordState.REJECTED}
            corrected = [key for key, fields in job if key in rejected and rejected[key] != fields]
            # Results follow the job's order. Only a record not finished, with no Submit in
            # flight and not held by a live lease takes the job's edited fields.
            self._run(
                """INSERT INTO posc_records (job_id, key, seq, fields, state)
                    SELECT %(job)s, key, seq, fields, 'pending'
                    FROM unnest(%(keys)s::text[], %(fields)s::text[]) WITH ORDINALITY AS j (key, fields, seq)
                    ON CONFLICT (job_id, key) DO UPDATE SET seq = excluded.seq,
                        state = CASE WHEN posc_records.key = ANY(%(corrected)s) THEN 'pending'
                                     ELSE posc_records.state END,
                        fields = CASE WHEN posc_records.key = ANY(%(corrected)s) THEN excluded.fields
                                      WHEN posc_records.state = ANY(%(final)s) OR posc_records.submit_started
                                           OR posc_records.lease_expires >= now() THEN posc_records.fields
                                      ELSE excluded.fields END""",
                keys=[key for key, _ in job], fields=[fields for _, fields in job], corrected=corrected,
                final=FINAL_STATES,
            )
            if corrected:
                self._run(f"UPDATE posc_records SET {FORGET_OUTCOME}, updated_at = now() "
                          "WHERE job_id = %(job)s AND key = ANY(%(corrected)s)", corrected=corrected)
        in_job = {key for key, _ in job}
        return SyncReport(added=len(in_job - held), removed=tuple(sorted(held - in_job)),
                          corrected=tuple(corrected), existed=bool(held))

    def reopen(self, keys: Iterable[str]) -> None:
        """Rejected (or dry-run, or failed) records worked again on purpose (`--retry`). Never a
        done record: nothing is submitted twice."""
        self._run(f"UPDATE posc_records SET state = 'pending', {FORGET_OUTCOME}, updated_at = now() "
                  "WHERE job_id = %(job)s AND key = ANY(%(keys)s) AND state IN ('rejected', 'dry_run', 'failed')",
                  keys=list(keys))

    def begin_run(self, started: str, *, dry_run: bool, worked: int) -> int:
        with self._db.transaction():  # numbered per job; the job's row serializes concurrent runs
            self._run("SELECT 1 FROM posc_jobs WHERE job_id = %(job)s FOR NO KEY UPDATE")
            (run,) = self._run(
                "INSERT INTO posc_runs (job_id, run, started, dry_run, worked) SELECT %(job)s, "
                "COALESCE(max(run), 0) + 1, %(started)s, %(dry_run)s, %(worked)s FROM posc_runs "
                "WHERE job_id = %(job)s RETURNING run", started=started, dry_run=dry_run, worked=worked).fetchone()
        return run

    def end_run(self, run: int, finished: str, *, stopped: str | None, logins: int) -> None:
        self._run("UPDATE posc_runs SET finished = %(finished)s, stopped = %(stopped)s, logins = %(logins)s "
                  "WHERE job_id = %(job)s AND run = %(run)s", run=run, finished=finished, stopped=stopped,
                  logins=logins)

    def runs(self) -> list[RunRecord]:
        rows = self._run("SELECT started, finished, stopped, dry_run, logins, worked FROM posc_runs "
                         "WHERE job_id = %(job)s ORDER BY run")
        return [RunRecord(*row) for row in rows]

    def workable(self) -> list[str]:
        rows = self._run("SELECT key FROM posc_records WHERE job_id = %(job)s AND state = ANY(%(workable)s) "
                         "ORDER BY seq", workable=WORKABLE_STATES)
        return [key for (key,) in rows]

    def claim(self, key: str, *, holder: str | None = None, lease_s: float | None = None) -> Claim | None:
        """The record for `holder` (this ledger's by default) for `lease_s` seconds, if it is
        workable and no other holder's lease on it is live; else None."""
        row = self._run(
            f"UPDATE posc_records SET {CLAIMED} WHERE job_id = %(job)s AND key = %(key)s "
            "AND state = ANY(%(workable)s) "
            "AND (lease_expires IS NULL OR lease_expires < now() OR claimed_by = %(holder)s) "
            "RETURNING submit_started",
            key=key, workable=WORKABLE_STATES, **self._lease(holder, lease_s)).fetchone()
        return Claim(key, row[0]) if row else None

    def next_workable(self, holder: str | None = None, lease_s: float | None = None) -> Claim | None:
        """Claims the first workable record in job order that no live lease holds (and no other
        transaction is claiming), or None. A failed (or dry-run) record is handed out again only
        by a run begun (`begin_run`) after it ended: never twice in one run."""
        row = self._run(
            f"""UPDATE posc_records SET {CLAIMED} WHERE (job_id, key) = (
                    SELECT job_id, key FROM posc_records WHERE job_id = %(job)s AND state = ANY(%(workable)s)
                       AND (lease_expires IS NULL OR lease_expires < now())
                       AND (state NOT IN ('failed', 'dry_run') OR finished_at < (
                            SELECT COALESCE(max(began_at), '-infinity') FROM posc_runs WHERE job_id = %(job)s))
                     ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING key, submit_started""",
            workable=WORKABLE_STATES, **self._lease(holder, lease_s)).fetchone()
        return Claim(row[0], row[1]) if row else None

    def renew(self, key: str, holder: str | None = None, lease_s: float | None = None) -> bool:
        """Extends the holder's lease; False when the record is no longer the holder's."""
        return self._held(f"UPDATE posc_records SET lease_expires = {LEASE}", key, holder, lease_s) is not None

    def start_attempt(self, key: str, *, holder: str | None = None) -> int:
        return self._held_or_raise("UPDATE posc_records SET attempts = attempts + 1, updated_at = now()", key,
                                   holder, returning="attempts")

    def submit_started(self, key: str) -> bool:
        row = self._run("SELECT submit_started FROM posc_records WHERE job_id = %(job)s AND key = %(key)s",
                        key=key).fetchone()
        return bool(row and row[0])

    def mark_submitting(self, key: str, *, holder: str | None = None) -> None:
        self._held_or_raise("UPDATE posc_records SET state = 'submitting', submit_started = true, "
                            "updated_at = now()", key, holder)
        failpoint("after-mark-submitting")

    def settle(self, key: str, outcome: Outcome, *, holder: str | None = None) -> None:
        with self._db.transaction():
            self._held_or_raise(
                "UPDATE posc_records SET state = %(state)s, message = %(message)s, confirmation = %(confirmation)s, "
                "screenshot = %(screenshot)s, trace = %(trace)s, evidence = %(evidence)s, finished_at = now(), "
                "updated_at = now(), lease_expires = NULL", key, holder,
                state=str(outcome.state), message=outcome.message, screenshot=outcome.screenshot,
                trace=outcome.trace,
                confirmation=json.dumps(outcome.confirmation) if outcome.confirmation is not None else None,
                evidence=json.dumps(list(outcome.evidence)) if outcome.evidence else None,
            )
            failpoint("during-settle")

    def release(self, key: str, *, holder: str | None = None) -> bool:
        """Back to the queue untouched (the run stopped before this record was settled). False:
        the record was not the holder's to give back."""
        return self._held(
            "UPDATE posc_records SET state = CASE WHEN submit_started THEN 'submitting' ELSE 'pending' END, "
            "lease_expires = NULL, updated_at = now()", key, holder) is not None

    def read(self) -> list[Entry]:
        rows = self._run(
            """SELECT key, seq, state, attempts, submit_started, message, confirmation, screenshot, trace, fields,
                      started_at, finished_at, evidence FROM posc_records WHERE job_id = %(job)s ORDER BY seq""")
        return [
            Entry(key=row[0], seq=row[1], state=RecordState(row[2]), attempts=row[3], submit_started=row[4],
                  message=row[5], confirmation=json.loads(row[6]) if row[6] else None, screenshot=row[7],
                  trace=row[8], fields=json.loads(row[9]), started_at=_iso(row[10]), finished_at=_iso(row[11]),
                  evidence=tuple(json.loads(row[12])) if row[12] else ())
            for row in rows
        ]

    def evidence_key(self) -> bytes:
        """A secret of this job's, for naming evidence files (see `Evidence`)."""
        (key,) = self._one("UPDATE posc_jobs SET evidence_key = COALESCE(evidence_key, %(new)s) "
                           "WHERE job_id = %(job)s RETURNING evidence_key", new=secrets.token_hex(16))
        return bytes.fromhex(key)

    def close(self) -> None:
        self._db.close()

    def _lease(self, holder: str | None, lease_s: float | None) -> dict[str, Any]:
        return {"holder": holder or self.holder, "lease_s": self.lease_s if lease_s is None else lease_s}

    def _held(self, update: str, key: str, holder: str | None, lease_s: float | None = None, *,
              returning: str = "key", **values: Any) -> tuple | None:
        return self._run(f"{update} WHERE job_id = %(job)s AND key = %(key)s AND {HELD_BY} RETURNING {returning}",
                         key=key, **self._lease(holder, lease_s), **values).fetchone()

    def _held_or_raise(self, update: str, key: str, holder: str | None, **values: Any) -> Any:
        row = self._held(update, key, holder, **values)
        if row is None:
            raise LeaseLost(f"record {key!r} of job {self.job_id!r} is not held by {holder or self.holder}: "
                            "its lease was taken over, or it was settled or released")
        return row[0]

    def _run(self, sql: str, **values: Any) -> psycopg.Cursor:
        return self._db.execute(sql, {"job": self.job_id, **values})

    def _one(self, sql: str, **values: Any) -> tuple:
        return self._run(sql, **values).fetchone()


def connect(url: str) -> psycopg.Connection:
    """An autocommit connection to the ledger database, its schema created if missing."""
    try:
        db = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise ConfigError(f"cannot reach the ledger database: {str(error).strip()}") from None
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        db.execute(SCHEMA)
    return db
