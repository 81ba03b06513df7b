"""The run's reports, written from the ledger: results.json, results.csv, report.html (one
self-contained file a supervisor can open) and junit.xml. Formatting only: every fact comes
from the ledger entries, in job order."""

from __future__ import annotations

import base64
import csv
import html
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from robots.evidence import thumbnail_path
from robots.failpoints import failpoint
from robots.ledger import Entry, RecordState

# Records the run did not reach (it stopped early) are reported as pending.
NOT_REACHED = "pending"


@dataclass(frozen=True)
class RunInfo:
    job: str
    kind: str
    provider_id: str
    portal: str
    started: str
    finished: str
    dry_run: bool
    stopped: str | None = None


def status_of(entry: Entry) -> str:
    if entry.state in (RecordState.PENDING, RecordState.IN_PROGRESS, RecordState.SUBMITTING):
        return NOT_REACHED
    return entry.state.value


def result_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    return [
        {
            "key": e.key,
            "index": e.seq,
            "status": status_of(e),
            "message": e.message,
            "attempts": e.attempts,
            "screenshot": e.screenshot,
            "confirmation": e.confirmation,
            "trace": e.trace,
            "fields": e.fields,
            "started": e.started_at,
            "finished": e.finished_at,
        }
        for e in entries
    ]


def totals(entries: list[Entry]) -> Counter[str]:
    return Counter(status_of(e) for e in entries)


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
            "totals": dict(totals(entries)),
            "records": rows,
        },
        indent=2,
    ))
    _write_csv(out_dir / "results.csv", rows)
    _write(out_dir / "junit.xml", _junit(info, rows))
    report = out_dir / "report.html"
    _write(report, _html(out_dir, info, rows))
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
    from io import StringIO

    buffer = StringIO()
    csv.writer(buffer).writerows(lines)
    _write(path, buffer.getvalue())


def _junit(info: RunInfo, rows: list[dict[str, Any]]) -> str:
    counts = Counter(row["status"] for row in rows)
    suite = ElementTree.Element(
        "testsuite",
        name=info.job,
        tests=str(len(rows)),
        failures=str(counts["rejected"]),
        errors=str(counts["failed"]),
        skipped=str(counts["dry_run"] + counts[NOT_REACHED]),
        timestamp=info.started,
    )
    for row in rows:
        name = f"record {row['index']}: {row['key']}"
        case = ElementTree.SubElement(suite, "testcase", classname=info.kind, name=name)
        message = row["message"] or ""
        if row["status"] == "rejected":
            ElementTree.SubElement(case, "failure", type="rejected", message=message)
        elif row["status"] == "failed":
            ElementTree.SubElement(case, "error", type="failed", message=message)
        elif row["status"] in ("dry_run", NOT_REACHED):
            ElementTree.SubElement(case, "skipped", message=message or row["status"])
        if row["screenshot"]:
            ElementTree.SubElement(case, "system-out").text = f"[[ATTACHMENT|{row['screenshot']}]]"
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"


STATUS_ORDER = ("done", "already_done", "rejected", "failed", "dry_run", NOT_REACHED)

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px}.meta{color:#555;margin-bottom:16px}
.totals{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px}
.totals button{border:1px solid #ccc;background:#f7f7f7;border-radius:6px;padding:6px 10px;cursor:pointer}
.totals button.on{background:#234;color:#fff}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e4e4e4;padding:6px;text-align:left;vertical-align:top}
th{background:#fafafa;position:sticky;top:0}
.s{font-weight:600;border-radius:4px;padding:1px 6px;white-space:nowrap}
.s-done{background:#e3f5e6;color:#14632a}.s-already_done{background:#e6eef9;color:#1d4f91}
.s-rejected{background:#fff1d6;color:#8a5300}.s-failed{background:#fde2e1;color:#a11a12}
.s-dry_run,.s-pending{background:#eee;color:#444}
img{max-width:160px;border:1px solid #ccc}.fields{font-family:monospace;font-size:12px}
"""

SCRIPT = """
document.querySelectorAll('.totals button').forEach(b=>b.addEventListener('click',()=>{
 document.querySelectorAll('.totals button').forEach(x=>x.classList.toggle('on',x===b));
 const s=b.dataset.status;
 document.querySelectorAll('tbody tr').forEach(r=>{r.hidden=!(s==='all'||r.dataset.status===s)});
}));
"""


def _html(out_dir: Path, info: RunInfo, rows: list[dict[str, Any]]) -> str:
    counts = Counter(row["status"] for row in rows)
    e = html.escape
    buttons = [f'<button class="on" data-status="all">all {len(rows)}</button>']
    buttons += [
        f'<button data-status="{s}">{s.replace("_", " ")} {counts[s]}</button>'
        for s in STATUS_ORDER if counts[s]
    ]
    body = []
    for row in rows:
        fields = "<br>".join(f"{e(k)}: {e(str(v))}" for k, v in row["fields"].items() if v is not None)
        body.append(
            f'<tr data-status="{row["status"]}"><td>{row["index"]}</td><td class="fields">{fields}</td>'
            f'<td><span class="s s-{row["status"]}">{e(row["status"].replace("_", " "))}</span></td>'
            f'<td>{e(row["message"] or "")}</td><td>{row["attempts"]}</td>'
            f"<td>{_thumbnail(out_dir, row)}</td></tr>"
        )
    stopped = f'<p class="meta"><strong>Stopped early:</strong> {e(info.stopped)}</p>' if info.stopped else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(info.job)} — posc-robot report</title>
<style>{STYLE}</style></head><body>
<h1>{e(info.job)}{" (dry run)" if info.dry_run else ""}</h1>
<p class="meta">{e(info.kind)} for provider {e(info.provider_id)} on {e(info.portal)} ·
started {e(info.started)} · finished {e(info.finished)}</p>{stopped}
<div class="totals" role="group" aria-label="Filter by status">{"".join(buttons)}</div>
<table><thead><tr><th>#</th><th>Record</th><th>Status</th><th>Message</th><th>Attempts</th><th>Evidence</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>
<script>{SCRIPT}</script></body></html>
"""


def _thumbnail(out_dir: Path, row: dict[str, Any]) -> str:
    shot = row["screenshot"]
    if not shot:
        return ""
    thumb = out_dir / thumbnail_path(shot)
    try:
        data = base64.b64encode(thumb.read_bytes()).decode()
        image = f'<img alt="confirmation of record {row["index"]}" src="data:image/jpeg;base64,{data}">'
    except OSError:
        image = "screenshot"
    return f'<a href="{html.escape(shot)}" target="_blank">{image}</a>'
