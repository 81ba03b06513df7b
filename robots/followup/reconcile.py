"""`posc reconcile RUN_DIR FILE.834...`: each `done` disenrollment of the run against the plan's
834 files. Per record: `confirmed` (terminated as of the date the portal's confirmation said),
`date differs` (terminated, another date), `not in the file yet`; and each termination of the
files that the run did not make: `not ours`. Written beside the run's results
(reconciliation.json, reconciliation.csv) and as a section of its report; the run's own
results are not changed. Exit 0 only when every done record is confirmed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from robots.fields import us_date
from robots.followup.x12_834 import File834, X12Error, read_834
from robots.reports.files import write_text
from robots.reports.refresh import finished_run

CONFIRMED, DATE_DIFFERS, NOT_YET, NOT_OURS = "confirmed", "date differs", "not in the file yet", "not ours"
JSON, CSV = "reconciliation.json", "reconciliation.csv"


@dataclass(frozen=True)
class Finding:
    status: str
    member_id: str
    record: int | None  # the record's number in the run, None for a termination not ours
    expected: str | None  # MM/DD/YYYY, as the portal's confirmation said
    found: str | None  # MM/DD/YYYY, as the 834 says
    file: str | None


def reconcile(out_dir: Path, files: list[Path]) -> list[Finding]:
    """Reads the run and the files, writes the findings beside the results; raises ConfigError
    for a folder that holds no disenrollment run, X12Error for a file that is not a sound 834."""
    results = finished_run(out_dir, "disenroll_one_care", "only disenrollments are reconciled with an 834")
    read = [read_834(path) for path in files]
    for file in read:
        if file.plan_id != results["provider_id"]:
            raise X12Error(f"{file.path}: this 834 is for plan {file.plan_id}; the run acted for "
                           f"{results['provider_id']}")
    findings = match(results["records"], read)
    _write(out_dir, read, findings)
    return findings


def match(records: list[dict[str, Any]], files: list[File834]) -> list[Finding]:
    terminated: dict[str, tuple[dt.date | None, str]] = {}
    for file in files:
        for termination in file.terminations:
            terminated.setdefault(termination.member_id, (termination.end_date, str(file.path.name)))
    findings = []
    ours = set()
    for row in records:
        if row["status"] != "done" or not row.get("in_job", True):
            continue
        member = row["fields"]["member_id"]
        ours.add(member)
        expected = (row.get("confirmation") or {}).get("effective_date")
        if member not in terminated:
            findings.append(Finding(NOT_YET, member, row["index"], expected, None, None))
            continue
        ended, file = terminated[member]
        found = us_date(ended) if ended else None
        status = CONFIRMED if found and found == expected else DATE_DIFFERS
        findings.append(Finding(status, member, row["index"], expected, found, file))
    for member, (ended, file) in sorted(terminated.items()):
        if member not in ours:
            findings.append(Finding(NOT_OURS, member, None, None, us_date(ended) if ended else None, file))
    return findings


def _write(out_dir: Path, files: list[File834], findings: list[Finding]) -> None:
    document = {
        "reconciled": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "files": [{"file": f.path.name, "plan": f.plan_id, "created": f.created, "terminations": len(f.terminations)}
                  for f in files],
        "totals": dict(Counter(finding.status for finding in findings)),
        "records": [asdict(finding) for finding in findings],
    }
    write_text(out_dir / JSON, json.dumps(document, indent=2))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["#", "status", "member_id", "expected end", "834 end", "file"])
    for finding in findings:
        writer.writerow([finding.record or "", finding.status, finding.member_id, finding.expected or "",
                         finding.found or "", finding.file or ""])
    write_text(out_dir / CSV, buffer.getvalue())
