"""`posc run JOB --ledger postgresql://... --queue redis://... --out DIR`: the job's records go
into the PostgreSQL ledger, one task a record goes to the broker, and this process follows the
run until every record is settled (or the run stops), then writes the same reports as a run on
one machine into `--out`. Run the same command again to resume.

The broker may lose tasks (a Redis restarted without its data, a worker killed holding one):
a record neither settled, nor held by a live lease, nor waiting in the queue is sent again.
Sent twice, it is still worked once: the ledger's claim decides.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import signal
import time
from collections import Counter
from pathlib import Path

import redis

from robots.engine import job_edits, preflight
from robots.engine.config import RunConfig
from robots.engine.pacing import Pacing, duration
from robots.engine.progress import NullProgress, Progress
from robots.engine.runner import RunSummary, in_run_folder
from robots.jobfile.job import Job
from robots.ledger.base import FINAL, Entry, RecordState
from robots.ledger.postgres import PostgresLedger
from robots.reports.files import write_all
from robots.reports.rows import RunInfo, status_of
from robots.run_folder.run_log import log
from robots.scaleout.app import QUEUE, TASK, make_app
from robots.scaleout.host_worker import spec_of
from robots.scaleout.store import SharedStore

POLL_S = 1.0
# A record unsettled, unheld and not in the queue this long is taken for a lost task.
LOST_AFTER_S = 10.0


def job_id_of(job: Job, out_dir: Path) -> str:
    """One job in the ledger per output folder: the same command again resumes it."""
    folder = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:12]
    return f"{job.identity}:{folder}"


def run_distributed(config: RunConfig, ledger_url: str, queue_url: str, *,
                    progress: Progress | None = None) -> RunSummary:
    progress = progress or NullProgress()
    plan = preflight.prepare(config, progress, distributed=True)
    return in_run_folder(plan, config, lambda out_dir: _follow(config, plan, out_dir, ledger_url, queue_url, progress))


def _follow(config: RunConfig, plan: preflight.Plan, out_dir: Path, ledger_url: str, queue_url: str,
            progress: Progress) -> RunSummary:
    job = plan.job
    job_id = job_id_of(job, out_dir)
    ledger = PostgresLedger(ledger_url, job_id)
    store = SharedStore(ledger_url, job_id)
    app = make_app(queue_url)
    broker = redis.Redis.from_url(queue_url)
    try:
        changes = ledger.sync(job.identity, ((r.key, job.kind.to_fields(r)) for r in job.records))
        if config.retry_records:
            ledger.reopen(job_edits.retry_keys(config.retry_records, job, {e.key: e for e in ledger.read()}))
        job_keys = {r.key for r in job.records}
        todo = [key for key in ledger.workable() if key in job_keys]
        started = _now()
        run_number = ledger.begin_run(started, dry_run=config.dry_run, worked=len(todo))
        store.put_spec(spec_of(plan, config, run_started=started))
        progress.start(job.title, len(job.records), len(todo))
        if note := job_edits.describe(changes, 0):
            progress.note(note)
        log.info("job %s on several hosts (%s): %d records, %d to work", job.title, job_id, len(job.records),
                 len(todo))
        stopped = _wait(ledger, store, app, broker, job_id, ledger_url, todo, started, progress,
                        Pacing(window=config.window))
        ledger.end_run(run_number, _now(), stopped=stopped, logins=store.logins())
        store.download(out_dir)
        current, gone = job_edits.reported(ledger.read(), job)
        info = RunInfo(
            job=job.title, kind=job.kind.name, provider_id=job.provider_id, portal=plan.portal or "",
            started=started, finished=_now(), dry_run=config.dry_run, stopped=stopped, logins=store.logins(),
            job_sha256=plan.job_sha256, bot=plan.bot(), live=plan.live.as_dict() if plan.live else None,
            certification=store.certifications(), runs=[dataclasses.asdict(run) for run in ledger.runs()],
        )
        report = write_all(out_dir, info, current, no_longer_in_job=gone)
        progress.finish()
        return RunSummary(job=job.title, out_dir=out_dir, report=report,
                          totals=dict(Counter(status_of(e) for e in current)), stopped=stopped,
                          dry_run=config.dry_run, logins=store.logins())
    finally:
        ledger.close()
        store.close()
        broker.close()


def _wait(ledger: PostgresLedger, store: SharedStore, app, broker, job_id: str, ledger_url: str, todo: list[str],
          started: str, progress: Progress, pacing: Pacing) -> str | None:
    """Sends the records' tasks once the run's window is open, then waits until every record
    sent is settled by this run, or the run stopped and nothing is in flight. The window's
    closing, like Ctrl-C, stops the run: the records in hand finish, the rest stay for a resume."""
    wanted, seen = set(todo), set()
    quiet_since: dict[str, float] = {}
    sent = told = False
    with _stop_on_signals(store):
        while True:
            if not sent and not store.stopped():
                if pacing.closed() is None:
                    for key in todo:
                        app.send_task(TASK, args=[job_id, key], queue=QUEUE)
                    sent = True
                elif not told:
                    progress.note(f"waiting for the run's window {pacing.window}: it opens in "
                                  f"{duration(pacing.window.opens_in(dt.datetime.now()))}")
                    told = True
            elif sent and (closed := pacing.closed()) and not store.stopped():
                store.stop(closed)
            entries = {e.key: e for e in ledger.read() if e.key in wanted}
            for key, entry in entries.items():
                if key not in seen and _settled(entry, started):
                    seen.add(key)
                    progress.settled(f"record {entry.seq}", entry.state, entry.message or "")
            status = next((s for s in PostgresLedger.jobs(ledger_url) if s.job_id == job_id), None)
            held = {h.key for h in status.in_flight} if status else set()
            stopped = store.stopped()
            if seen == wanted or (stopped and not held):
                return stopped
            if sent and not stopped:
                waiting = [key for key in wanted - seen if key not in held]
                _send_lost(app, broker, job_id, waiting, quiet_since)
            time.sleep(POLL_S)


def _settled(entry: Entry, started: str) -> bool:
    if entry.state in FINAL:
        return True
    return entry.state in (RecordState.FAILED, RecordState.DRY_RUN) and bool(
        entry.finished_at and dt.datetime.fromisoformat(entry.finished_at) >= dt.datetime.fromisoformat(started))


def _send_lost(app, broker, job_id: str, waiting: list[str], quiet_since: dict[str, float]) -> None:
    """Sends again the tasks of records no live lease holds while the queue is empty (the broker
    lost them, or their worker died holding them): after LOST_AFTER_S of that, so that a task on
    its way from the queue to a worker is not taken for lost."""
    try:
        queued = broker.llen(QUEUE)
    except redis.RedisError:
        return  # the broker is away; its tasks are looked at again once it is back
    now = time.monotonic()
    for key in list(quiet_since):
        if key not in waiting or queued:
            del quiet_since[key]
    if queued:
        return
    for key in waiting:
        since = quiet_since.setdefault(key, now)
        if now - since >= LOST_AFTER_S:
            log.info("a task seems lost (no worker holds its record, the queue is empty): sent again")
            with contextlib.suppress(Exception):
                app.send_task(TASK, args=[job_id, key], queue=QUEUE)
            quiet_since[key] = now


@contextlib.contextmanager
def _stop_on_signals(store: SharedStore):
    def stop(signum, _frame) -> None:
        store.stop(f"interrupted by {signal.Signals(signum).name}")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
