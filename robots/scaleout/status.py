"""`posc status --ledger URL [JOB]`: how each job of the ledger stands: records per state, per
host (and state), the records in flight and since when, and stuck claims (a lease ran out
while its record was in progress or submitting: its worker died; the next claim takes it
over and reads the portal first)."""

from __future__ import annotations

from typing import TextIO

from robots.ledger.postgres import PostgresLedger
from robots.masking import redact


def show(ledger_url: str, wanted: str | None, out: TextIO) -> int:
    statuses = [s for s in PostgresLedger.jobs(ledger_url) if not wanted or wanted in s.job_id]
    if not statuses:
        print("no job" + (f" matching {wanted!r}" if wanted else "") + " in the ledger", file=out)
        return 1 if wanted else 0
    for status in statuses:
        states = ", ".join(f"{state} {count}" for state, count in sorted(status.states.items()))
        print(f"{status.job_id}: {status.total} records ({states}); {status.runs} runs", file=out)
        for host, by_state in sorted(status.hosts.items()):
            print(f"  host {host}: " + ", ".join(f"{s} {n}" for s, n in sorted(by_state.items())), file=out)
        for held in status.in_flight:
            print(f"  in flight: record {redact(held.key)} {held.state} on {held.holder} since {held.since}", file=out)
        for held in status.stuck:
            print(f"  STUCK: record {redact(held.key)} {held.state}, {held.holder}'s lease ran out at "
                  f"{held.lease_expires}", file=out)
    return 0
