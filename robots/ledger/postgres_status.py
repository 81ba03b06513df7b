"""How each job in a PostgreSQL ledger stands, for `posc status`: records per state and per
host, the records held right now (by whom, since when) and the stuck ones (a lease ran out while
the record was in progress or submitting: its holder died; the next claim takes it over)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import psycopg


@dataclass(frozen=True)
class Held:
    key: str
    state: str
    holder: str
    since: str  # when this holder claimed it
    lease_expires: str


@dataclass(frozen=True)
class JobStatus:
    job_id: str
    identity: str | None
    states: dict[str, int] = field(default_factory=dict)
    # Host (a holder's part before its first ':') -> state -> records it holds or last worked.
    hosts: dict[str, dict[str, int]] = field(default_factory=dict)
    in_flight: tuple[Held, ...] = ()
    stuck: tuple[Held, ...] = ()
    runs: int = 0

    @property
    def total(self) -> int:
        return sum(self.states.values())


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def job_statuses(db: psycopg.Connection) -> list[JobStatus]:
    """Every job, in the order they were created; one consistent snapshot."""
    with db.transaction():
        db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        jobs = db.execute("SELECT job_id, identity FROM posc_jobs ORDER BY created_at, job_id").fetchall()
        states = db.execute("SELECT job_id, state, count(*) FROM posc_records GROUP BY 1, 2").fetchall()
        hosts = db.execute(
            "SELECT job_id, split_part(claimed_by, ':', 1), state, count(*) FROM posc_records "
            "WHERE claimed_by IS NOT NULL GROUP BY 1, 2, 3"
        ).fetchall()
        held = db.execute(
            "SELECT job_id, key, state, claimed_by, claimed_at, lease_expires, lease_expires < now() "
            "FROM posc_records WHERE lease_expires IS NOT NULL AND state IN ('in_progress', 'submitting') "
            "ORDER BY job_id, claimed_at, seq"
        ).fetchall()
        runs = dict(db.execute("SELECT job_id, count(*) FROM posc_runs GROUP BY 1").fetchall())
    by_job: dict[str, dict] = {job_id: {"states": {}, "hosts": {}, "in_flight": [], "stuck": []}
                               for job_id, _ in jobs}
    for job_id, state, count in states:
        by_job[job_id]["states"][state] = count
    for job_id, host, state, count in hosts:
        by_job[job_id]["hosts"].setdefault(host, {})[state] = count
    for job_id, key, state, holder, since, expires, expired in held:
        by_job[job_id]["stuck" if expired else "in_flight"].append(
            Held(key, state, holder, _iso(since), _iso(expires)))
    return [
        JobStatus(job_id, identity, states=by_job[job_id]["states"], hosts=by_job[job_id]["hosts"],
                  in_flight=tuple(by_job[job_id]["in_flight"]), stuck=tuple(by_job[job_id]["stuck"]),
                  runs=runs.get(job_id, 0))
        for job_id, identity in jobs
    ]
