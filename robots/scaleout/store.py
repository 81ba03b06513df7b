"""What hosts share besides the ledger, in the same PostgreSQL database: each job's spec (what
a worker needs to work its records: the kind, the provider, the portal, the run's options),
whether the run was stopped and why, who certified the Agreement, the evidence files workers
capture (screenshots, traces), on their way to the follower's output folder, and the last
authenticator step each bot account's logins used (the gateway takes a code once)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg

SCHEMA = """
CREATE TABLE IF NOT EXISTS posc_job_specs (
    job_id        TEXT PRIMARY KEY,
    spec          TEXT NOT NULL,
    stopped       TEXT,
    certification TEXT NOT NULL DEFAULT '[]',
    logins        INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE posc_job_specs ADD COLUMN IF NOT EXISTS next_start TIMESTAMPTZ;
CREATE TABLE IF NOT EXISTS posc_evidence (
    job_id  TEXT NOT NULL,
    path    TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (job_id, path)
);
CREATE TABLE IF NOT EXISTS posc_authenticator_steps (
    account   TEXT PRIMARY KEY,
    last_step BIGINT NOT NULL
);
"""
SCHEMA_LOCK = 0x706F7364


class SharedStore:
    def __init__(self, url: str, job_id: str) -> None:
        self.job_id = job_id
        self._db = psycopg.connect(url, autocommit=True)
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            self._db.execute(SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- the job's spec and the run's state ------------------------------------------------

    def put_spec(self, spec: dict[str, Any]) -> None:
        """A new run of the job: its spec, and no stop yet."""
        self._db.execute(
            """INSERT INTO posc_job_specs (job_id, spec) VALUES (%s, %s)
               ON CONFLICT (job_id) DO UPDATE SET spec = excluded.spec, stopped = NULL""",
            (self.job_id, json.dumps(spec)),
        )

    def spec(self) -> dict[str, Any]:
        row = self._db.execute("SELECT spec FROM posc_job_specs WHERE job_id = %s", (self.job_id,)).fetchone()
        if row is None:
            raise LookupError(f"no job {self.job_id} in the ledger")
        return json.loads(row[0])

    def stop(self, reason: str) -> None:
        """The run stops: workers take no more of its records (the first reason stays)."""
        self._db.execute("UPDATE posc_job_specs SET stopped = COALESCE(stopped, %s) WHERE job_id = %s",
                         (reason, self.job_id))

    def stopped(self) -> str | None:
        row = self._db.execute("SELECT stopped FROM posc_job_specs WHERE job_id = %s", (self.job_id,)).fetchone()
        return row[0] if row else None

    def add_certification(self, certified: dict[str, Any]) -> None:
        """One certification a text: several hosts certifying the same text record it once."""
        with self._db.transaction():
            row = self._db.execute("SELECT certification FROM posc_job_specs WHERE job_id = %s FOR UPDATE",
                                   (self.job_id,)).fetchone()
            known = json.loads(row[0]) if row else []
            if all(entry["text"] != certified["text"] for entry in known):
                known.append(certified)
                self._db.execute("UPDATE posc_job_specs SET certification = %s WHERE job_id = %s",
                                 (json.dumps(known), self.job_id))

    def certifications(self) -> list[dict[str, Any]]:
        row = self._db.execute("SELECT certification FROM posc_job_specs WHERE job_id = %s",
                               (self.job_id,)).fetchone()
        return json.loads(row[0]) if row else []

    def count_login(self) -> None:
        self._db.execute("UPDATE posc_job_specs SET logins = logins + 1 WHERE job_id = %s", (self.job_id,))

    def logins(self) -> int:
        row = self._db.execute("SELECT logins FROM posc_job_specs WHERE job_id = %s", (self.job_id,)).fetchone()
        return row[0] if row else 0

    def take_start(self, interval_s: float) -> float:
        """The job's next start slot under its pace (slots `interval_s` apart, whichever host
        asks): the seconds to wait for it, 0 when it is now."""
        row = self._db.execute(
            """UPDATE posc_job_specs
               SET next_start = GREATEST(COALESCE(next_start, now()), now()) + make_interval(secs => %s)
               WHERE job_id = %s
               RETURNING GREATEST(0, EXTRACT(EPOCH FROM next_start - now()) - %s)""",
            (interval_s, self.job_id, interval_s),
        ).fetchone()
        return float(row[0]) if row else 0.0

    def claim_step(self, account: str, step: int) -> bool:
        """Takes an authenticator step for a login of `account` (any job, any host) unless
        that step, or a later one, was taken before."""
        row = self._db.execute(
            """INSERT INTO posc_authenticator_steps (account, last_step) VALUES (%s, %s)
               ON CONFLICT (account) DO UPDATE SET last_step = excluded.last_step
               WHERE posc_authenticator_steps.last_step < excluded.last_step
               RETURNING last_step""",
            (account, step),
        ).fetchone()
        return row is not None

    # --- evidence ---------------------------------------------------------------------------

    def upload(self, folder: Path, relative_paths: list[str]) -> None:
        for relative in relative_paths:
            path = folder / relative
            if path.is_file():
                self._db.execute(
                    """INSERT INTO posc_evidence (job_id, path, content) VALUES (%s, %s, %s)
                       ON CONFLICT (job_id, path) DO UPDATE SET content = excluded.content""",
                    (self.job_id, relative, path.read_bytes()),
                )

    def download(self, out_dir: Path) -> int:
        """Writes every evidence file of the job into `out_dir` (owner-only); returns how many."""
        count = 0
        for relative, content in self._db.execute(
                "SELECT path, content FROM posc_evidence WHERE job_id = %s", (self.job_id,)):
            target = (out_dir / relative).resolve()
            if out_dir.resolve() not in target.parents:  # a path from the database stays in the folder
                continue
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.write_bytes(bytes(content))
            target.chmod(0o600)
            count += 1
        return count
