"""A run's results as rows: one per record, in job order, with the status a report shows.
Every fact comes from the ledger's entries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from robots.ledger.base import Entry, RecordState

# Records the run did not reach (it stopped early) are reported as pending.
NOT_REACHED = "pending"


@dataclass(frozen=True)
class RunInfo:
    job: str
    kind: str
    provider_id: str
    portal: str
    started: str
    finished: str
    dry_run: bool
    stopped: str | None = None
    # Logins this run made (the Virtual Gateway's terms: as few as a careful person's).
    logins: int = 0
    job_sha256: str = ""
    # Who ran it: software, version, the bot's login and its MassHealth RPA registration.
    bot: dict[str, Any] = field(default_factory=dict)
    live: dict[str, Any] | None = None
    # Who certified the unlink's Agreement, when, how, and the text as the panel showed it.
    certification: list[dict[str, Any]] = field(default_factory=list)
    # Every run that made the folder: started, finished (None: killed), why it stopped.
    runs: list[dict[str, Any]] = field(default_factory=list)


def status_of(entry: Entry) -> str:
    if entry.state in (RecordState.PENDING, RecordState.IN_PROGRESS, RecordState.SUBMITTING):
        return NOT_REACHED
    return entry.state.value


# A record no longer in the job file whose Submit may have reached the portal: only the job
# can settle it (the portal is read against its fields).
IN_FLIGHT_GONE = ("no longer in the job file; its Submit may have reached the portal: "
                  "put it back in the job to settle it")


def result_rows(entries: list[Entry], *, no_longer_in_job: list[Entry] = ()) -> list[dict[str, Any]]:
    """The job's records in job order, then the records no longer in the job file that the
    robot worked (marked `in_job: false`)."""
    rows = [_row(e, in_job=True) for e in entries]
    for entry in sorted(no_longer_in_job, key=lambda e: e.seq):
        row = _row(entry, in_job=False)
        if row["status"] == NOT_REACHED:
            row["message"] = IN_FLIGHT_GONE
        rows.append(row)
    return rows


def _row(e: Entry, *, in_job: bool) -> dict[str, Any]:
    return {
        "key": e.key,
        "index": e.seq if in_job else None,
        "status": status_of(e),
        "message": e.message,
        "attempts": e.attempts,
        "screenshot": e.screenshot,
        "evidence": list(e.evidence),
        "confirmation": e.confirmation,
        "trace": e.trace,
        "fields": e.fields,
        "started": e.started_at,
        "finished": e.finished_at,
        "in_job": in_job,
    }


def totals(rows: list[dict[str, Any]]) -> Counter[str]:
    """Statuses of the job's records (a record no longer in the job counts apart)."""
    counts = Counter(row["status"] for row in rows if row["in_job"])
    if gone := sum(1 for row in rows if not row["in_job"]):
        counts["no_longer_in_job"] = gone
    return counts


STATUS_ORDER = ("done", "already_done", "rejected", "failed", "dry_run", NOT_REACHED)
