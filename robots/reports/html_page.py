"""report.html: one self-contained page a supervisor can open anywhere: totals, a filter by
status, and a row per record with its message and a thumbnail that opens the screenshot."""

from __future__ import annotations

import base64
import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from robots.reports.rows import STATUS_ORDER, RunInfo
from robots.run_folder.evidence import thumbnail_path

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
.certification{margin:4px 0 12px 16px;color:#333}.gone{color:#8a5300;font-size:12px}
"""

SCRIPT = """
document.querySelectorAll('.totals button').forEach(b=>b.addEventListener('click',()=>{
 document.querySelectorAll('.totals button').forEach(x=>x.classList.toggle('on',x===b));
 const s=b.dataset.status;
 document.querySelectorAll('tbody tr').forEach(r=>{
  r.hidden=!(s==='all'||(s==='gone'?r.hasAttribute('data-gone'):r.dataset.status===s))});
}));
"""


def html_report(out_dir: Path, info: RunInfo, rows: list[dict[str, Any]]) -> str:
    counts = Counter(row["status"] for row in rows)
    gone = sum(1 for row in rows if not row["in_job"])
    e = html.escape
    buttons = [f'<button class="on" data-status="all">all {len(rows)}</button>']
    buttons += [
        f'<button data-status="{s}">{s.replace("_", " ")} {counts[s]}</button>'
        for s in STATUS_ORDER if counts[s]
    ]
    if gone:
        buttons.append(f'<button data-status="gone">no longer in the job file {gone}</button>')
    body = []
    for row in rows:
        fields = "<br>".join(f"{e(k)}: {e(str(v))}" for k, v in row["fields"].items() if v is not None)
        number = row["index"] if row["in_job"] else '<span class="gone">no longer in the job file</span>'
        body.append(
            f'<tr data-status="{row["status"]}"{"" if row["in_job"] else " data-gone"}><td>{number}</td>'
            f'<td class="fields">{fields}</td>'
            f'<td><span class="s s-{row["status"]}">{e(row["status"].replace("_", " "))}</span></td>'
            f'<td>{e(row["message"] or "")}</td><td>{row["attempts"]}</td>'
            f"<td>{''.join(_thumbnail(out_dir, row, shot) for shot in (row['screenshot'], *row['evidence']) if shot)}"
            "</td></tr>"
        )
    stopped = f'<p class="meta"><strong>Stopped early:</strong> {e(info.stopped)}</p>' if info.stopped else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(info.job)} — posc-robot report</title>
<style>{STYLE}</style></head><body>
<h1>{e(info.job)}{" (dry run)" if info.dry_run else ""}</h1>
<p class="meta">{e(info.kind)} for provider {e(info.provider_id)} on {e(info.portal)} ·
started {e(info.started)} · finished {e(info.finished)}</p>{stopped}{_accountability(info)}{_runs(info)}
<div class="totals" role="group" aria-label="Filter by status">{"".join(buttons)}</div>
<table><thead><tr><th>#</th><th>Record</th><th>Status</th><th>Message</th><th>Attempts</th><th>Evidence</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>{_reconciliation(out_dir)}{_follow_up(out_dir)}
<script>{SCRIPT}</script></body></html>
"""


def _runs(info: RunInfo) -> str:
    """The runs that made this folder, oldest first: a resumed job shows each of them."""
    if len(info.runs) < 2:
        return ""
    e = html.escape
    items = []
    for number, run in enumerate(info.runs, start=1):
        if run["finished"] is None:
            ending = "ended without finishing (killed, or the machine stopped)"
        elif run["stopped"]:
            ending = f"stopped {e(run['finished'])}: {e(run['stopped'])}"
        else:
            ending = f"finished {e(run['finished'])}"
        dry = " (dry run)" if run["dry_run"] else ""
        items.append(f"<li>run {number}{dry}: started {e(run['started'])}, {run['worked']} records to work, "
                     f"{run['logins']} logins; {ending}</li>")
    summary = f"<summary>{len(info.runs)} runs made this folder</summary>"
    return f'<details class="meta" open>{summary}<ol>{"".join(items)}</ol></details>'


def _thumbnail(out_dir: Path, row: dict[str, Any], shot: str) -> str:
    thumb = out_dir / thumbnail_path(shot)
    what = "confirmation" if shot == row["screenshot"] else "evidence"
    try:
        data = base64.b64encode(thumb.read_bytes()).decode()
        image = f'<img alt="{what} of record {row["index"]}" src="data:image/jpeg;base64,{data}">'
    except OSError:
        image = "screenshot"
    return f'<a href="{html.escape(shot)}" target="_blank">{image}</a>'


def _accountability(info: RunInfo) -> str:
    """Who ran it, under which registration, on which job file, with how many logins; who
    certified the Agreement and what it said."""
    e = html.escape
    bot = info.bot
    facts = [f"{e(bot.get('software', 'posc-robot'))} {e(str(bot.get('version', '')))}"]
    if bot.get("user"):
        facts.append(f"bot login {e(bot['user'])}")
    if bot.get("rpa_registration"):
        facts.append(f"RPA registration {e(bot['rpa_registration'])}")
    facts.append(f"logins {info.logins}")
    if info.job_sha256:
        facts.append(f'job SHA-256 <code>{e(info.job_sha256)}</code>')
    lines = [f'<p class="meta">{" · ".join(facts)}</p>']
    if info.live:
        live = info.live
        lines.append(f'<p class="meta">Live run confirmed {e(live["confirmed"])} at {e(live["confirmed_at"])}</p>')
    for certified in info.certification:
        lines.append(
            f'<p class="meta"><strong>Agreement certified</strong> by {e(certified["name"])}, {e(certified["title"])}, '
            f'{e(certified["how"])} at {e(certified["certified_at"])}:</p>'
            f'<blockquote class="certification">{e(certified["text"])}</blockquote>'
        )
    return "".join(lines)


def _reconciliation(out_dir: Path) -> str:
    """What the plan's 834 files said of the run's done disenrollments (`posc reconcile`)."""
    document = _read(out_dir / "reconciliation.json")
    if document is None:
        return ""
    e = html.escape
    totals = ", ".join(f"{e(status)} {count}" for status, count in document["totals"].items())
    files = ", ".join(e(f["file"]) for f in document["files"])
    rows = "".join(
        f'<tr><td>{item["record"] or ""}</td><td>{e(item["status"])}</td><td class="fields">{e(item["member_id"])}</td>'
        f'<td>{e(item["expected"] or "")}</td><td>{e(item["found"] or "")}</td><td>{e(item["file"] or "")}</td></tr>'
        for item in document["records"])
    return (f'<h2>834 reconciliation</h2><p class="meta">{e(document["reconciled"])} · files: {files} · {totals}</p>'
            '<table><thead><tr><th>#</th><th>Reconciliation</th><th>Member</th><th>Disenrolled as of</th>'
            f'<th>834 eligibility end</th><th>File</th></tr></thead><tbody>{rows}</tbody></table>')


def _follow_up(out_dir: Path) -> str:
    """Each done unlink's request status on Inquire Profile Update Status (`posc follow-up`)."""
    document = _read(out_dir / "follow-up.json")
    if document is None:
        return ""
    e = html.escape
    rows = "".join(
        f'<tr><td>{item["record"]}</td><td>{e(item["request_id"] or "")}</td><td>{e(item["status"])}</td>'
        f'<td>{e(item["checked"])}</td><td>{e(" → ".join(h["status"] for h in item["history"]))}</td></tr>'
        for item in document["requests"])
    return (f'<h2>Unlink requests: follow-up</h2><p class="meta">last checked {e(document["checked"])}</p>'
            '<table><thead><tr><th>#</th><th>Request</th><th>Status</th><th>Checked</th><th>History</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
