"""What every ledger is: the states of a record, how a record ended (`Outcome`), what a
report reads (`Entry`), and the `Ledger` interface the engine talks to.

    pending ──claim──▶ in_progress ──mark_submitting──▶ submitting ──settle──▶ done
       ▲                   │                                │        already_done
       └─────release───────┘◀──────────release──────────────┘        rejected, failed, dry_run

A ledger learns of a Submit *before* the click, so after any crash a record whose Submit may
have reached the portal is known (`submit_started`) and is settled by reading the portal, never
by clicking Submit again blindly. `done`, `already_done` and `rejected` are final: a resume
never touches them. `failed` and `dry_run` records are worked again by the next run.
"""


from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class RecordState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SUBMITTING = "submitting"
    DONE = "done"
    ALREADY_DONE = "already_done"
    REJECTED = "rejected"
    FAILED = "failed"
    DRY_RUN = "dry_run"


FINAL = frozenset({RecordState.DONE, RecordState.ALREADY_DONE, RecordState.REJECTED})
SUCCESS = frozenset({RecordState.DONE, RecordState.ALREADY_DONE})
WORKABLE = frozenset(
    {RecordState.PENDING, RecordState.IN_PROGRESS, RecordState.SUBMITTING, RecordState.FAILED, RecordState.DRY_RUN}
)


@dataclass(frozen=True)
class Outcome:
    """How a record ended: one of the five result statuses and the facts behind it."""

    state: RecordState
    message: str
    confirmation: dict[str, Any] | None = None
    screenshot: str | None = None
    trace: str | None = None


@dataclass(frozen=True)
class Entry:
    key: str
    seq: int
    state: RecordState
    attempts: int
    submit_started: bool
    message: str | None
    confirmation: dict[str, Any] | None
    screenshot: str | None
    trace: str | None
    fields: dict[str, Any]
    started_at: str | None
    finished_at: str | None


@dataclass(frozen=True)
class Claim:
    key: str
    # An earlier attempt clicked Submit and never learnt the outcome.
    submit_started: bool


class Ledger(Protocol):
    def sync(self, identity: str, records: Iterable[tuple[str, dict[str, Any]]]) -> None: ...
    def workable(self) -> list[str]: ...
    def claim(self, key: str) -> Claim | None: ...
    def start_attempt(self, key: str) -> int: ...
    def submit_started(self, key: str) -> bool: ...
    def mark_submitting(self, key: str) -> None: ...
    def settle(self, key: str, outcome: Outcome) -> None: ...
    def release(self, key: str) -> None: ...
    def read(self) -> list[Entry]: ...
    def evidence_key(self) -> bytes: ...
    def close(self) -> None: ...
