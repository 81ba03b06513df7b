"""One job on several hosts: `posc run --ledger postgresql://... --queue redis://...` writes the
job to the PostgreSQL ledger, enqueues a Celery task a record and follows the run;
`posc worker` (a Celery worker on each host) takes the tasks, each process with its own
Chromium, portal sessions and bot credentials; `posc status` shows the ledger's jobs.

The broker delivers at least once (a worker lost mid-task means redelivery): the ledger's
leases and the portal re-check make each record's effect exactly once. The evidence a worker
captures travels through the database to the follower's output folder.

Above the engine: imports the engine, the ledger, the job files and the reports; nothing
imports it but the command line.
"""
