"""The run's reports, written from the ledger into the run folder: results.json, results.csv,
report.html and junit.xml. Each file is written aside and renamed, owner-only."""

from __future__ import annotations

import csv
import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

from robots.failpoints import failpoint
from robots.ledger.base import Entry
from robots.reports.html_page import html_report
from robots.reports.junit import junit_xml
from robots.reports.rows import RunInfo, result_rows, totals


def write_all(out_dir: Path, info: RunInfo, entries: list[Entry], *, no_longer_in_job: list[Entry] = ()) -> Path:
    """Writes the four reports; returns the path of report.html."""
    rows = result_rows(entries, no_longer_in_job=no_longer_in_job)
    write_text(out_dir / "results.json", json.dumps(
        {
            "job": info.job,
            "kind": info.kind,
            "provider_id": info.provider_id,
            "portal": info.portal,
            "dry_run": info.dry_run,
            "started": info.started,
            "finished": info.finished,
            "stopped": info.stopped,
            "logins": info.logins,
            "job_sha256": info.job_sha256,
            "bot": info.bot,
            "live": info.live,
            "certification": info.certification,
            "runs": info.runs,
            "totals": dict(totals(rows)),
            "records": rows,
        },
        indent=2,
    ))
    _write_csv(out_dir / "results.csv", rows)
    write_text(out_dir / "junit.xml", junit_xml(info, rows))
    report = out_dir / "report.html"
    write_text(report, html_report(out_dir, info, rows))
    return report


def write_text(path: Path, text: str) -> None:
    # Written aside and renamed: a crash never leaves half a report; owner-only (PHI).
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        failpoint("during-report-write")
    os.replace(partial, path)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """One line a record, for a spreadsheet: the outcome first, then the job's own columns in the
    job's order, then what the confirmation panel said, one column a fact."""
    fields = list(dict.fromkeys(name for row in rows for name in row["fields"]))
    confirmation = list(dict.fromkeys(name for row in rows for name in (row["confirmation"] or {})))
    header = ["#", "status", "message", "attempts", *fields, *(f"confirmation {name}" for name in confirmation),
              "screenshot", "further evidence", "in job file", "key"]
    lines: list[list[Any]] = [header]
    for row in rows:
        said = row["confirmation"] or {}
        lines.append([
            row["index"] if row["index"] is not None else "", row["status"], row["message"] or "", row["attempts"],
            *(_cell(row["fields"].get(name)) for name in fields),
            *(_cell(said.get(name)) for name in confirmation),
            row["screenshot"] or "", " ".join(row["evidence"]), "yes" if row["in_job"] else "no", row["key"],
        ])
    buffer = StringIO()
    csv.writer(buffer).writerows(lines)
    write_text(path, buffer.getvalue())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
