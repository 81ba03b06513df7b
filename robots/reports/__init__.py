"""The run's reports, written from the ledger's entries: one row per record in job order
(`rows.py`), results.json and results.csv (`files.py`), report.html (`html_page.py`) and
junit.xml (`junit.py`). Formatting only: every fact comes from the ledger.

Imports the ledger's types, the run folder's evidence names and the vocabulary; never the
engine or the flows.
"""
