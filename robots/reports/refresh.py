"""report.html written again from a finished run folder (its results.json), for what was
learnt after the run: the 834 reconciliation, the unlinks' follow-up. The page then shows
those sections too; the records and their evidence are the run's, unchanged."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from robots.reports.files import write_text
from robots.reports.html_page import html_report
from robots.reports.rows import RunInfo

RESULTS = "results.json"


def results_of(out_dir: Path) -> dict[str, Any]:
    """The run's results.json; FileNotFoundError when the folder holds no finished run."""
    return json.loads((out_dir / RESULTS).read_text(encoding="utf-8"))


def refresh_report(out_dir: Path) -> Path:
    results = results_of(out_dir)
    known = {field.name for field in dataclasses.fields(RunInfo)}
    info = RunInfo(**{name: value for name, value in results.items() if name in known})
    report = out_dir / "report.html"
    write_text(report, html_report(out_dir, info, results["records"]))
    return report
