"""The ledger: every record's state, the one owner of its transitions. `base.py` is what every
ledger is (states, outcomes, the `Ledger` interface the engine talks to); each store is one
module beside it (`sqlite.py`: the run folder's file, the single-machine default).

Imports only the vocabulary (`robots.errors`, `robots.failpoints`).
"""
