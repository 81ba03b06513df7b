"""A Celery worker process's side of a job: its own Chromium, its own portal session (logged in
once with this host's bot credentials), and the engine's `Worker` walking each record it is
handed, exactly as on one machine.

A task names a job and a record. The record is worked only if this process can claim it in
the ledger (a lease, renewed while it works): a record another live process holds is left to
it and the task is tried again later; a record whose holder died is taken over when its lease
runs out, and a Submit that may have been sent is settled by reading the portal first. The
screenshots and traces go to the database, for the follower's folder.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import tempfile
import threading
from enum import Enum
from pathlib import Path
from typing import Any

from robots.credentials import Credentials
from robots.credentials import resolve as resolve_credentials
from robots.engine.breaker import Breaker
from robots.engine.browser import BrowserHost, launch_options, playwright_apart
from robots.engine.certification import Certification
from robots.engine.config import RunConfig
from robots.engine.flow import PortalFlows
from robots.engine.login_budget import LoginBudget
from robots.engine.progress import NullProgress
from robots.engine.work_queue import LocalQueue
from robots.engine.worker import Crew, Worker
from robots.jobfile.job import Certifier
from robots.ledger.base import FINAL, RecordState
from robots.ledger.postgres import PostgresLedger
from robots.one_time_codes import OneTimeCodes
from robots.records import KINDS
from robots.run_folder.evidence import Evidence, thumbnail_path
from robots.scaleout.store import SharedStore

log = logging.getLogger("posc.worker")


class Done(Enum):
    WORKED = "worked"  # claimed here and settled (or released: the run stopped)
    FINISHED = "finished"  # nothing to do: final, or settled by this run already
    HELD = "held"  # another live process holds it: try again later
    STOPPED = "stopped"  # the run was stopped: take no more of its records


class HostWorker:
    """One per worker process: an event loop of its own in a thread, Chromium started in it."""

    def __init__(self, ledger_url: str, flows: PortalFlows, *, lease_s: float = 60) -> None:
        self.ledger_url = ledger_url
        self.flows = flows
        self.lease_s = lease_s
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="posc-worker-loop", daemon=True).start()
        self._host: BrowserHost | None = None
        self._jobs: dict[str, _JobSide] = {}
        self._credentials: Credentials | None = None

    def work(self, job_id: str, key: str) -> Done:
        return asyncio.run_coroutine_threadsafe(self._work(job_id, key), self.loop).result()

    async def _work(self, job_id: str, key: str) -> Done:
        side = await self._job(job_id)
        if side.store.stopped():
            return Done.STOPPED
        entry = next((e for e in side.ledger.read() if e.key == key), None)
        if entry is None or entry.state in FINAL or side.settled_this_run(entry):
            return Done.FINISHED
        if side.pace_interval_s:  # the run's pace holds across every host: start slots from the database
            await asyncio.sleep(side.store.take_start(side.pace_interval_s))
            if side.store.stopped():
                return Done.STOPPED
        renewing = asyncio.create_task(self._renew(side, key))
        try:
            await side.worker.work(key)  # claims it (a lease), or leaves it to a live holder
        finally:
            renewing.cancel()
            await asyncio.gather(renewing, return_exceptions=True)
        entry = next(e for e in side.ledger.read() if e.key == key)
        if entry.state in FINAL or side.settled_this_run(entry):
            side.after(key)
            return Done.WORKED
        side.after(key)  # the logins, and why the run stopped, if it did
        return Done.STOPPED if side.store.stopped() else Done.HELD

    async def _renew(self, side: _JobSide, key: str) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            side.ledger.renew(key, lease_s=self.lease_s)

    async def _job(self, job_id: str) -> _JobSide:
        if job_id not in self._jobs:
            if self._host is None:
                self._playwright_manager = playwright_apart()
                playwright = await self._playwright_manager.__aenter__()
                self._host = BrowserHost(playwright, launch_options())
            if self._credentials is None:
                self._credentials = resolve_credentials(bundled_mock=False)
            self._jobs[job_id] = _JobSide(self.ledger_url, job_id, self.flows, self._host, self._credentials,
                                          self.lease_s)
        return self._jobs[job_id]


class _JobSide:
    """What this process keeps of one job: its ledger, the shared store, and a Crew and Worker
    built from the job's spec (the records come back from the ledger's fields)."""

    def __init__(self, url: str, job_id: str, flows: PortalFlows, host: BrowserHost, credentials: Credentials,
                 lease_s: float) -> None:
        self.store = SharedStore(url, job_id)
        self.ledger = PostgresLedger(url, job_id, lease_s=lease_s)
        spec = self.store.spec()
        self.run_started = spec["run_started"]
        self.pace_interval_s = 60.0 / spec["pace_per_min"] if spec.get("pace_per_min") else None
        kind = KINDS[spec["kind"]]
        self.folder = Path(tempfile.mkdtemp(prefix="posc-evidence-"))
        records = {e.key: (e.seq, kind.from_fields(e.fields)) for e in self.ledger.read()}
        config = RunConfig(job_path=Path(spec["job_file"]), dry_run=spec["dry_run"], login_gap_s=spec["login_gap_s"],
                           certify=spec.get("certify"))
        codes = None
        if credentials.authenticator:  # every host of this bot takes its codes' steps from the database
            codes = OneTimeCodes(credentials.user, credentials.authenticator, shared=self.store.claim_step)
        certification = None
        if spec.get("certified_by") and not spec["dry_run"]:
            certification = Certification(Certifier(**spec["certified_by"]), certify=spec.get("certify"), ask=None)
        self.certification = certification
        self.crew = Crew(
            config=config, portal_url=spec["portal"], provider_id=spec["provider_id"],
            flow=flows.flow_for(spec["kind"]), log_in=flows.log_in, records=records, ledger=self.ledger,
            evidence=Evidence(self.folder, self.ledger.evidence_key()), host=host, credentials=credentials,
            progress=_LoggingProgress(), queue=LocalQueue([]), breaker=Breaker(config.breaker_threshold),
            logins=LoginBudget(spec["portal"], gap_s=config.login_gap_s, codes=codes), certification=certification,
        )
        self.worker = Worker(1, self.crew)
        self._logins = 0

    def settled_this_run(self, entry: Any) -> bool:
        """A record that failed (or was dry-run) in this run is not worked again by it."""
        return entry.state in (RecordState.FAILED, RecordState.DRY_RUN) and bool(
            entry.finished_at and _instant(entry.finished_at) >= _instant(self.run_started))

    def after(self, key: str) -> None:
        """What hosts share once a record is settled: its evidence, the logins, a certification
        and why the run stopped."""
        entry = next(e for e in self.ledger.read() if e.key == key)
        files = [path for path in (entry.screenshot, entry.trace, *entry.evidence) if path]
        files += [thumbnail_path(path) for path in (entry.screenshot, *entry.evidence) if path]
        self.store.upload(self.folder, files)
        for _ in range(self.crew.logins.logins - self._logins):
            self.store.count_login()
        self._logins = self.crew.logins.logins
        if self.certification is not None:
            for certified in self.certification.records:
                self.store.add_certification(certified.as_dict())
        if self.crew.stop_reason:
            self.store.stop(self.crew.stop_reason)


class _LoggingProgress(NullProgress):
    def settled(self, label: str, state: RecordState, message: str) -> None:
        log.info("%s: %s: %s", label, state.value, message)

    def note(self, text: str) -> None:
        log.info("%s", text)


def _instant(stamp: str) -> float:
    return dt.datetime.fromisoformat(stamp).timestamp()


def spec_of(plan: Any, config: RunConfig, *, run_started: str) -> dict[str, Any]:
    """What a worker on any host needs of a job to work its records."""
    certified_by = dataclasses.asdict(plan.job.certified_by) if plan.job.certified_by else None
    return {
        "kind": plan.job.kind.name, "provider_id": plan.job.provider_id, "portal": plan.portal,
        "dry_run": config.dry_run, "login_gap_s": config.login_gap_s, "certify": config.certify,
        "certified_by": certified_by, "job_file": str(plan.job.path), "run_started": run_started,
        "pace_per_min": config.pace_per_min,
    }
