"""The ledger: every record's state, the one owner of its transitions. `base.py` is what every
ledger is (states, outcomes, the `Ledger` interface the engine talks to); each store is one
module beside it (`sqlite.py`: the run folder's file, the single-machine default; `postgres.py`:
one database for many jobs worked from several hosts, claims as leases, `posc status` from
`postgres_status.py`).

Imports only the vocabulary (`robots.errors`, `robots.failpoints`).
"""
