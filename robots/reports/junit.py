"""junit.xml: one test case per record, for CI dashboards (rejected = failure, failed = error,
dry run and pending = skipped)."""

from __future__ import annotations

from collections import Counter
from typing import Any
from xml.etree import ElementTree

from robots.reports.rows import NOT_REACHED, RunInfo


def junit_xml(info: RunInfo, rows: list[dict[str, Any]]) -> str:
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
