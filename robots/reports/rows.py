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


def status_of(entry: Entry) -> str:
    if entry.state in (RecordState.PENDING, RecordState.IN_PROGRESS, RecordState.SUBMITTING):
        return NOT_REACHED
    return entry.state.value


def result_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    return [
        {
            "key": e.key,
            "index": e.seq,
            "status": status_of(e),
            "message": e.message,
            "attempts": e.attempts,
            "screenshot": e.screenshot,
            "confirmation": e.confirmation,
            "trace": e.trace,
            "fields": e.fields,
            "started": e.started_at,
            "finished": e.finished_at,
        }
        for e in entries
    ]


def totals(entries: list[Entry]) -> Counter[str]:
    return Counter(status_of(e) for e in entries)


STATUS_ORDER = ("done", "already_done", "rejected", "failed", "dry_run", NOT_REACHED)
