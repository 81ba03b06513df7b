"""A job edited between runs into one folder, and records worked again on purpose.

The folder's report must stay complete and true for the supervisor who signs it: a record the
robot submitted or settled stays in it even when the job file no longer lists it (marked so);
a rejected record whose fields were corrected is tried again (the refusal was for other data),
an unchanged one stays rejected; and `--retry` reopens chosen records: `rejected` (all of
them), or record numbers as the report shows them (`3,7-9`). A done record is never reopened:
nothing is submitted twice.
"""

from __future__ import annotations

import re

from robots.errors import ConfigError
from robots.jobfile.job import Job
from robots.ledger.base import Entry, RecordState, SyncReport

NUMBERS = re.compile(r"\s*\d+(\s*-\s*\d+)?\s*(,\s*\d+(\s*-\s*\d+)?\s*)*")
REOPENABLE = {RecordState.REJECTED, RecordState.FAILED, RecordState.DRY_RUN}


def check_retry(spec: str) -> str:
    """The `--retry` value, checked before anything is touched."""
    if spec.strip().lower() in ("rejected", "failed") or NUMBERS.fullmatch(spec):
        return spec.strip().lower()
    raise ConfigError(f"--retry {spec!r}: give `rejected`, `failed`, or record numbers such as 3,7-9")


def retry_keys(spec: str, job: Job, entries: dict[str, Entry]) -> list[str]:
    """The keys `--retry` names; a number outside the job or a done record is a usage error."""
    if spec in ("rejected", "failed"):
        wanted = RecordState(spec)
        return [r.key for r in job.records if r.key in entries and entries[r.key].state is wanted]
    keys = []
    for number in _numbers(spec):
        if not 1 <= number <= len(job.records):
            raise ConfigError(f"--retry: the job has no record {number} (it has {len(job.records)})")
        key = job.records[number - 1].key
        state = entries[key].state if key in entries else RecordState.PENDING
        if state in (RecordState.DONE, RecordState.ALREADY_DONE):
            raise ConfigError(f"--retry: record {number} is {state.value}; posc never submits a record twice")
        keys.append(key)
    return keys


def _numbers(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def reported(entries: list[Entry], job: Job) -> tuple[list[Entry], list[Entry]]:
    """The job's records in job order, and the records no longer in it that the robot worked
    (submitted, settled, or left with a Submit in flight): both belong in the report."""
    in_job = {r.key for r in job.records}
    current = [e for e in entries if e.key in in_job]
    gone = [e for e in entries if e.key not in in_job and (e.state is not RecordState.PENDING or e.submit_started)]
    return current, gone


def describe(changes: SyncReport, retried: int) -> str | None:
    """One console line on how the job changed since the folder's last run, or None."""
    parts = []
    if changes.existed and changes.added:
        parts.append(f"{changes.added} new")
    if changes.removed:
        parts.append(f"{len(changes.removed)} no longer in the job file (what was done stays in the report)")
    if changes.corrected:
        parts.append(f"{len(changes.corrected)} rejected and since corrected (tried again)")
    if retried:
        parts.append(f"{retried} reopened with --retry")
    if not parts:
        return None
    return "the job's records changed since this folder's last run: " + "; ".join(parts)
