"""`posc worker --ledger URL --queue URL [--workers N]`: a Celery worker on this host. Each of
its N processes starts its own Chromium, logs in once with this host's bot credentials
(POSC_USER, POSC_PASSWORD, POSC_TOTP_SECRET, or the keyring), and works the records the
broker hands it, under the ledger's leases."""

from __future__ import annotations

import os
import socket

from robots.engine.flow import PortalFlows
from robots.scaleout.app import QUEUE, TASK, make_app
from robots.scaleout.host_worker import Done, HostWorker


def serve(ledger_url: str, queue_url: str, flows: PortalFlows, *, processes: int = 1, lease_s: float = 60,
          redeliver_after_s: float = 300) -> int:
    app = make_app(queue_url, redeliver_after_s=redeliver_after_s)
    worker: list[HostWorker] = []  # made in each worker process, after the fork: its own Chromium

    @app.task(name=TASK, bind=True, max_retries=None)
    def work_record(task, job_id: str, key: str) -> str:
        if not worker:
            worker.append(HostWorker(ledger_url, flows, lease_s=lease_s))
        done = worker[0].work(job_id, key)
        if done is Done.HELD:  # another live process holds it: its lease will say how it ended
            raise task.retry(countdown=lease_s / 2)
        return done.value

    name = f"posc-{os.getpid()}@{socket.gethostname()}"
    app.worker_main(["worker", f"--concurrency={processes}", "--pool=prefork", "--loglevel=INFO", "-Q", QUEUE,
                     "--without-gossip", "--without-mingle", "-n", name])
    return 0
