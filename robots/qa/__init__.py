"""The QA kit: `posc check-selectors` (`check_selectors.py`) walks both job aids with the
flows' own steps (`walk.py`, the QA's composition root: it names the flows) and checks every
selector of every panel (`panel_check.py`, `results.py`, `report.py`), with an accessibility
summary (`accessibility.py`) and the records to walk with (`data.py`).

Above the engine and the flows: it may import both; nothing imports it but the command line.
"""
