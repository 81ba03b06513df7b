"""`run(config)`: a job from file to reports.

job YAML → validated job → ledger (SQLite, in the output folder) → N workers, each a
logged-in browser context → flows → ledger → reports. A second run into the same folder
resumes: finished records are never touched again, and a run with nothing left to do starts
neither a browser nor a portal.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import os
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from robots.credentials import Credentials
from robots.credentials import resolve as resolve_credentials
from robots.engine import job_edits, preflight
from robots.engine.breaker import Breaker
from robots.engine.browser import BrowserHost, launch_options, playwright_apart
from robots.engine.config import RunConfig
from robots.engine.flow import PortalFlows
from robots.engine.login_budget import LoginBudget
from robots.engine.pacing import Pace, Pacing
from robots.engine.portal_process import portal_or_bundled_mock
from robots.engine.preflight import Plan
from robots.engine.print_report import print_report
from robots.engine.progress import NullProgress, Progress
from robots.engine.work_queue import LocalQueue
from robots.engine.worker import Crew, Worker
from robots.jobfile.job import Job
from robots.ledger.sqlite import SqliteLedger
from robots.one_time_codes import OneTimeCodes
from robots.reports import manifest
from robots.reports.files import write_all
from robots.reports.rows import RunInfo, status_of
from robots.run_folder import folder as run_folder
from robots.run_folder.evidence import Evidence
from robots.run_folder.run_log import log, logging_to

SUCCESS = {"done", "already_done"}


@dataclass(frozen=True)
class RunSummary:
    job: str
    out_dir: Path
    report: Path
    totals: dict[str, int]
    stopped: str | None
    dry_run: bool
    logins: int = 0

    @property
    def exit_code(self) -> int:
        """0 when every record ended done or already done; else 1 (a dry run included: its
        records ended `dry_run`, not done)."""
        return 0 if all(status in SUCCESS for status, n in self.totals.items() if n) else 1


def run(config: RunConfig, *, flows: PortalFlows, progress: Progress | None = None) -> RunSummary:
    """Runs (or resumes) one job with the portal's `flows`. Raises JobFileErrors or ConfigError
    before touching anything."""
    progress = progress or NullProgress()
    plan = preflight.prepare(config, progress)
    return in_run_folder(plan, config, lambda out_dir: _run_locked(config, flows, plan, out_dir, progress))


def in_run_folder(plan: Plan, config: RunConfig, work: Callable[[Path], RunSummary]) -> RunSummary:
    """`work(out_dir)` in the run folder: owner-only (it holds PHI), locked, logged to run.log;
    then the printed report, and last, once the ledger and the log are closed, the manifest of
    the folder as this run leaves it."""
    out_dir = run_folder.prepare(plan.out_dir)
    previous_umask = os.umask(0o077)
    try:
        with run_folder.FolderLock(out_dir):
            with logging_to(out_dir):
                summary = work(out_dir)
                if config.pdf:
                    print_pdf_quietly(summary.report, config)
            manifest.write(out_dir, job_sha256=plan.job_sha256)
            return summary
    finally:
        os.umask(previous_umask)


def _run_locked(config: RunConfig, flows: PortalFlows, plan: Plan, out_dir: Path, progress: Progress) -> RunSummary:
    job = plan.job
    ledger = SqliteLedger.in_folder(out_dir)
    try:
        changes = ledger.sync(job.identity, ((r.key, job.kind.to_fields(r)) for r in job.records))
        retried = _reopen(config, job, ledger)
        job_keys = {r.key for r in job.records}
        todo = [key for key in ledger.workable() if key in job_keys]
        started = _now()
        run_number = ledger.begin_run(started, dry_run=config.dry_run, worked=len(todo))
        outcome = WorkOutcome()
        portal_shown = plan.portal or "the bundled mock portal"
        progress.start(job.title, len(job.records), len(todo))
        if note := job_edits.describe(changes, retried):
            progress.note(note)
            log.info("%s", note)
        log.info("job %s: %d records, %d to work, %d workers", job.title, len(job.records), len(todo), config.workers)
        try:
            if todo:
                credentials = plan.credentials or resolve_credentials(bundled_mock=plan.portal is None)
                with portal_or_bundled_mock(plan.portal) as url:
                    portal_shown = url
                    outcome = asyncio.run(_work(config, flows, plan, url, out_dir, ledger, todo, credentials, progress))
        finally:
            ledger.end_run(run_number, _now(), stopped=outcome.stopped, logins=outcome.logins)
        current, gone = job_edits.reported(ledger.read(), job)
        info = RunInfo(
            job=job.title,
            kind=job.kind.name,
            provider_id=job.provider_id,
            portal=portal_shown,
            started=started,
            finished=_now(),
            dry_run=config.dry_run,
            stopped=outcome.stopped,
            logins=outcome.logins,
            job_sha256=plan.job_sha256,
            bot=plan.bot(),
            live=plan.live.as_dict() if plan.live else None,
            certification=[c.as_dict() for c in plan.certification.records] if plan.certification else [],
            runs=[dataclasses.asdict(run) for run in ledger.runs()],
        )
        report = write_all(out_dir, info, current, no_longer_in_job=gone)
        log.info("finished%s; report %s", f" early ({outcome.stopped})" if outcome.stopped else "", report)
        progress.finish()
        return RunSummary(
            job=job.title,
            out_dir=out_dir,
            report=report,
            totals=dict(Counter(status_of(e) for e in current)),
            stopped=outcome.stopped,
            dry_run=config.dry_run,
            logins=outcome.logins,
        )
    finally:
        ledger.close()


def print_pdf_quietly(report: Path, config: RunConfig) -> None:
    """The printed report is a copy for filing: a run whose records are settled never fails
    for want of it (report.html says all)."""
    try:
        print_report(report, browser_path=config.browser_path)
    except Exception as error:
        log.warning("report.pdf not written: %s", type(error).__name__)


def _reopen(config: RunConfig, job: Job, ledger: SqliteLedger) -> int:
    if not config.retry_records:
        return 0
    keys = job_edits.retry_keys(config.retry_records, job, {e.key: e for e in ledger.read()})
    ledger.reopen(keys)
    return len(keys)


@dataclass(frozen=True)
class WorkOutcome:
    stopped: str | None = None
    logins: int = 0


async def _work(
    config: RunConfig,
    flows: PortalFlows,
    plan: Plan,
    portal_url: str,
    out_dir: Path,
    ledger: SqliteLedger,
    todo: list[str],
    credentials: Credentials,
    progress: Progress,
) -> WorkOutcome:
    job = plan.job
    records = {r.key: (seq, r) for seq, r in enumerate(job.records, start=1)}
    pacing = Pacing(pace=Pace(config.pace_per_min) if config.pace_per_min else None, window=config.window)
    await pacing.wait_for_window(progress.note)
    codes = OneTimeCodes(credentials.user, credentials.authenticator) if credentials.authenticator else None
    logins = LoginBudget(portal_url, gap_s=config.login_gap_s, codes=codes, note=progress.note)
    async with playwright_apart() as playwright:
        host = BrowserHost(
            playwright,
            launch_options(config.browser_path, headed=config.headed, slow_mo_ms=config.slow_mo_ms),
        )
        crew = Crew(
            config=config,
            portal_url=portal_url,
            provider_id=job.provider_id,
            flow=flows.flow_for(job.kind.name),
            log_in=flows.log_in,
            records=records,
            ledger=ledger,
            evidence=Evidence(out_dir, ledger.evidence_key()),
            host=host,
            credentials=credentials,
            progress=progress,
            queue=LocalQueue(todo),
            breaker=Breaker(config.breaker_threshold),
            logins=logins,
            pacing=pacing,
            certification=plan.certification,
        )
        with _stop_on_signals(crew):
            try:
                workers = [Worker(n, crew) for n in range(1, max(1, min(config.workers, len(todo))) + 1)]
                await asyncio.gather(*(worker.run() for worker in workers))
            finally:
                await host.close()
        return WorkOutcome(crew.stop_reason, logins.logins)


@contextlib.contextmanager
def _stop_on_signals(crew: Crew):
    """Ctrl-C or SIGTERM: finish the records in hand, take no more, write the reports."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, crew.stop_run, f"interrupted by {sig.name}")
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread: the caller handles signals
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
