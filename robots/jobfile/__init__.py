"""Reading job files: the YAML job (`job.py`), its records from `records:` or a CSV file
(`rows.py`, `csv_rows.py`), strict YAML (`yaml_strict.py`), and every problem found, named by
file, line, record and field (`problems.py`, `text_file.py`).

Nothing here touches a browser, the network, the ledger or the engine; it imports only the
vocabulary (`robots.errors`, `robots.records`, `robots.fields`, `robots.masking`).
"""
