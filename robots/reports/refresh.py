"""report.html written again from a finished run folder (its results.json), for what was
learnt after the run: the 834 reconciliation, the unlinks' follow-up. The page then shows
those sections too; the records and their evidence are the run's, unchanged."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from robots.errors import ConfigError
from robots.reports.files import write_text
from robots.reports.html_page import html_report
from robots.reports.rows import RunInfo

RESULTS = "results.json"


def results_of(out_dir: Path) -> dict[str, Any]:
    """The run's results.json; FileNotFoundError when the folder holds no finished run."""
    return json.loads((out_dir / RESULTS).read_text(encoding="utf-8"))


def finished_run(out_dir: Path, kind: str, what: str) -> dict[str, Any]:
    """The results of a finished run of `kind` (for `what` is done with it), or ConfigError."""
    try:
        results = results_of(out_dir)
    except FileNotFoundError:
        raise ConfigError(f"{out_dir} holds no finished run (no results.json)") from None
    if results.get("kind") != kind:
        raise ConfigError(f"{out_dir} is a {results.get('kind')} run: {what}")
    return results


def refresh_report(out_dir: Path) -> Path:
    results = results_of(out_dir)
    known = {field.name for field in dataclasses.fields(RunInfo)}
    info = RunInfo(**{name: value for name, value in results.items() if name in known})
    report = out_dir / "report.html"
    write_text(report, html_report(out_dir, info, results["records"]))
    return report
