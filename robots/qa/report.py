"""`posc check-selectors`' outputs: the console table, `selectors.json` and
`selectors.junit.xml` (one test case per panel key; CI tools show it as tests)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from robots.qa.results import NOT_REACHED, NOT_VISITED, OPTIONAL_ABSENT, CheckReport, PanelResult

JSON_FILE = "selectors.json"
JUNIT_FILE = "selectors.junit.xml"


def write_all(report: CheckReport, out_dir: Path) -> list[Path]:
    json_path = out_dir / JSON_FILE
    json_path.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
    junit_path = out_dir / JUNIT_FILE
    ET.ElementTree(junit(report)).write(junit_path, encoding="utf-8", xml_declaration=True)
    return [json_path, junit_path]


def table(report: CheckReport) -> str:
    """The console view: one line a key, one line for a panel not visited or not reached."""
    rows = [("Panel", "Key", "Result")]
    for panel in report.panels:
        if panel.status in (NOT_VISITED, NOT_REACHED) or not panel.controls:
            rows.append((panel.name, "—", f"{panel.shown()} ({panel.detail})" if panel.detail else panel.shown()))
        for control in panel.controls:
            result = control.shown() + (f" — {control.detail}" if control.detail else "")
            rows.append((panel.name, control.key, result))
    widths = [max(len(row[i]) for row in rows) for i in (0, 1)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    lines.insert(1, f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 6}")
    lines += ["", *_accessibility_lines(report), "", summary(report)]
    return "\n".join(lines)


def summary(report: CheckReport) -> str:
    totals = report.totals()
    failures = report.failures
    counts = (f"{totals['found']} found, {totals[OPTIONAL_ABSENT]} optional absent, "
              f"{totals['missing']} missing, {totals['ambiguous']} ambiguous")
    reached = sum(1 for p in report.panels if p.status == NOT_REACHED)
    verdict = "OK" if not failures else f"FAILED: {len(failures)} problem(s)"
    return f"{verdict} — {len(report.panels)} panels, {counts}, {reached} not reached"


def _accessibility_lines(report: CheckReport) -> list[str]:
    lines = ["Accessibility (axe-core; information only, never a failure):"]
    for panel in report.panels:
        scan = panel.accessibility
        if scan is None:
            continue
        if "skipped" in scan or "error" in scan:
            lines.append(f"  {panel.name}: scan {'skipped' if 'skipped' in scan else 'failed'}: "
                         f"{scan.get('skipped') or scan.get('error')}")
            continue
        impacts = ", ".join(f"{impact} {n}" for impact, n in scan["by_impact"].items())
        rules = ", ".join(rule["id"] for rule in scan["rules"])
        lines.append(f"  {panel.name}: {scan['violations']} violation(s)"
                     + (f" ({impacts}): {rules}" if scan["violations"] else ""))
    return lines if len(lines) > 1 else ["Accessibility: not scanned"]


def junit(report: CheckReport) -> ET.Element:
    cases = [case for panel in report.panels for case in _cases(panel)]
    suite = ET.Element("testsuite", {
        "name": "posc check-selectors",
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "skipped": str(sum(1 for c in cases if c.find("skipped") is not None)),
        "timestamp": report.started,
    })
    ET.SubElement(ET.SubElement(suite, "properties"), "property", {"name": "portal", "value": report.portal})
    suite.extend(cases)
    root = ET.Element("testsuites")
    root.append(suite)
    return root


def _cases(panel: PanelResult) -> list[ET.Element]:
    classname = f"selectors.{panel.file or panel.name}"
    if panel.status in (NOT_VISITED, NOT_REACHED):
        case = ET.Element("testcase", {"classname": classname, "name": panel.name})
        tag = "skipped" if panel.status == NOT_VISITED else "failure"
        ET.SubElement(case, tag, {"message": f"{panel.shown()}: {panel.detail}"})
        return [case]
    cases = []
    for control in panel.controls:
        case = ET.Element("testcase", {"classname": classname, "name": f"{panel.name} / {control.key}"})
        if control.failed:
            failure = ET.SubElement(case, "failure", {"message": f"{panel.name} / {control.key}: {control.shown()}"})
            failure.text = control.detail + (f"\nscreenshot: {panel.screenshot}" if panel.screenshot else "")
        elif control.status == OPTIONAL_ABSENT:
            ET.SubElement(case, "skipped", {"message": "optional, absent in this state"})
        cases.append(case)
    return cases
