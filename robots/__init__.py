"""posc-robot's engine and its command line.

    robots/
    ├── cli.py, demo.py    the composition root: parses the command line, hands the engine the
    │                      POSC's flows (`flows.POSC`) and prints; the only place naming flows
    ├── jobfile/           reading job files: YAML and CSV into a typed, validated `Job`
    ├── engine/            running a job: runner, workers, portal sessions, browser, pacing of
    │                      retries; the `Flow` contract the flows implement
    ├── ledger/            every record's state, the one owner of its transitions
    ├── run_folder/        what a run leaves beside its reports: the lock, evidence, run.log
    ├── reports/           results.json, results.csv, report.html, junit.xml from the ledger
    ├── qa/                the QA kit: `posc check-selectors` and its panel checks
    ├── scaleout/          several hosts: Celery workers, the follower, `posc status`
    ├── followup/          after the run: the 834 reconciliation, the unlinks' follow-up
    └── errors.py, records.py, fields.py, credentials.py, one_time_codes.py, masking.py,
        failpoints.py      the vocabulary every part shares (the flows too): it imports nothing
                           of the folders above

Imports point one way, down: the composition root → qa, scaleout, followup → reports → engine → ledger,
run_folder, jobfile → the vocabulary. `flows/` sits beside the engine: it implements the
engine's `Flow` contract and imports the vocabulary; the engine never imports `flows`.
"""
