"""The run folder (`--out`): created owner-only and locked for one run at a time (`folder.py`),
the evidence saved into it (`evidence.py`: screenshots, thumbnails, traces) and its `run.log`
(`run_log.py`, PHI masked).

Imports only the vocabulary.
"""
