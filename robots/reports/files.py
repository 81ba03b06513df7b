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


def write_all(out_dir: Path, info: RunInfo, entries: list[Entry]) -> Path:
    """Writes the four reports; returns the path of report.html."""
    rows = result_rows(entries)
    _write(out_dir / "results.json", json.dumps(
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
            "totals": dict(totals(entries)),
            "records": rows,
        },
        indent=2,
    ))
    _write_csv(out_dir / "results.csv", rows)
    _write(out_dir / "junit.xml", junit_xml(info, rows))
    report = out_dir / "report.html"
    _write(report, html_report(out_dir, info, rows))
    return report


def _write(path: Path, text: str) -> None:
    # Written aside and renamed: a crash never leaves half a report; owner-only (PHI).
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        failpoint("during-report-write")
    os.replace(partial, path)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    field_names = sorted({name for row in rows for name in row["fields"]})
    header = ["key", "index", "status", "message", "attempts", "screenshot", "confirmation", *field_names]
    lines: list[list[Any]] = [header]
    for row in rows:
        lines.append([
            row["key"], row["index"], row["status"], row["message"] or "", row["attempts"],
            row["screenshot"] or "",
            json.dumps(row["confirmation"]) if row["confirmation"] else "",
            *(row["fields"].get(name, "") or "" for name in field_names),
        ])
    buffer = StringIO()
    csv.writer(buffer).writerows(lines)
    _write(path, buffer.getvalue())
