"""The Celery application both sides use: the follower sends one task a record, the workers
run them. Tasks carry a job id and a record key only: the ledger's address and every
credential stay in each host's own configuration, never in the broker.

At least once, by design: a task is acknowledged only once it has run (`acks_late`), a task
whose worker process died goes back to the queue (`reject_on_worker_lost`), and a message a
worker took but never acknowledged is delivered again after `redeliver_after_s`. The ledger
makes a second delivery harmless.
"""

from __future__ import annotations

from celery import Celery

TASK = "posc.work_record"
QUEUE = "posc"


def make_app(broker_url: str, *, redeliver_after_s: float = 300) -> Celery:
    app = Celery("posc", broker=broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": redeliver_after_s},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    return app
