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
    # Further screenshots of the record (what was asked, before the confirmation).
    evidence: tuple[str, ...] = ()


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
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim:
    key: str
    # An earlier attempt clicked Submit and never learnt the outcome.
    submit_started: bool


@dataclass(frozen=True)
class SyncReport:
    """How the job differs from what the folder's ledger held: records new to it, records no
    longer in the job file (kept: whatever was done stays in the report), and rejected
    records whose fields were corrected (tried again: the refusal was for other data)."""

    added: int = 0
    removed: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    existed: bool = False  # the folder held a run of this job before

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.corrected) or (self.added > 0 and self.existed)


@dataclass(frozen=True)
class RunRecord:
    """One `posc run` into the folder: when, and how it ended (None: it never said, it was
    killed)."""

    started: str
    finished: str | None
    stopped: str | None
    dry_run: bool
    logins: int
    worked: int


class Ledger(Protocol):
    def sync(self, identity: str, records: Iterable[tuple[str, dict[str, Any]]]) -> SyncReport: ...
    def reopen(self, keys: Iterable[str]) -> None: ...
    def begin_run(self, started: str, *, dry_run: bool, worked: int) -> int: ...
    def end_run(self, run: int, finished: str, *, stopped: str | None, logins: int) -> None: ...
    def runs(self) -> list[RunRecord]: ...
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
