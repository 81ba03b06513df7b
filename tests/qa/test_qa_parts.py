"""The QA kit's parts on their own: the data file, the selectors' `optional:` lists, the
counting of a panel's keys, the report's formats and the visual comparison."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageDraw
from playwright.async_api import async_playwright

from flows.panels import Panel, selectors_dir
from robots.engine.browser import launch_options
from robots.errors import ConfigError
from robots.qa import data as qa_data
from robots.qa import report as selector_report
from robots.qa.panel_check import Checker, CheckSettings
from robots.qa.results import CheckReport, ControlResult, PanelResult
from tests.portal import visual

PORTAL_DATA = Path(__file__).parents[1] / "portal" / "portal-data.yaml"


def test_every_optional_key_is_a_control_of_its_panel():
    for path in sorted(selectors_dir().glob("*.yaml")):
        panel = Panel.load(path.stem)
        assert set(panel.data.get("optional") or ()) <= set(panel.controls), path.name


def test_the_default_data_mirrors_the_portal_suites_data():
    default = yaml.safe_load(qa_data.DEFAULT_YAML)
    suite = yaml.safe_load(PORTAL_DATA.read_text())

    for section, keys in {"disenroll": ("plan_provider_id", "member", "reason", "reasons"),
                          "group_unlink": ("provider", "location", "practitioner")}.items():
        for key in keys:
            assert default[section][key] == suite[section][key], f"{section}.{key}"
    loaded = qa_data.load(PORTAL_DATA)
    assert loaded.reasons == ("Member request", "Moved out of the service area", "Loss of MassHealth eligibility",
                              "Death")
    assert (loaded.unlink.practitioner, loaded.unlink.npi) == ("SMITH, JOHN", "1234567893")


def test_a_data_file_may_leave_a_workflow_out_but_not_a_field(tmp_path):
    only_unlink = tmp_path / "unlink.yaml"
    only_unlink.write_text("group_unlink:\n  provider: {provider_id: 110000001A}\n  location: MAIN STREET CLINIC\n"
                           "  practitioner: {name: 'SMITH, JOHN'}\n  end_date: 2030-06-30\n")
    loaded = qa_data.load(only_unlink)
    assert loaded.member is None and loaded.unlink.end_date.isoformat() == "2030-06-30"

    broken = tmp_path / "broken.yaml"
    broken.write_text("group_unlink:\n  provider: {provider_id: 110000001A}\n  practitioner: {name: X}\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: group_unlink.location: .*empty"):
        qa_data.load(broken)


PAGE = """<!DOCTYPE html><html lang=en><title>t</title><main>
<h2>Member Search</h2>
<label for=a>Provider ID</label><input id=a>
<label for=b>Member ID</label><input id=b>
<label for=c>Member Last Name</label><input id=c>
<button>Search</button><button>Search</button>
<img src="data:,">
</main></html>"""


def _check_page(html: str, stem: str, out: Path) -> PanelResult:
    async def check() -> PanelResult:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options())
            try:
                page = await browser.new_page()
                await page.set_content(html)
                report = CheckReport(portal="about:blank", mock=False, data="-", started="-")
                checker = Checker(page, report, out, CheckSettings(grace_ms=50, accessibility=True))
                return await checker.check(stem)
            finally:
                await browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, check()).result(timeout=60)


def test_each_key_is_counted_found_missing_or_ambiguous_and_the_panel_scanned_and_screenshotted(tmp_path):
    result = _check_page(PAGE, "member_search", tmp_path)

    shown = {c.key: (c.status, c.count) for c in result.controls}
    assert shown == {
        "title": ("found", 1), "provider_id": ("found", 1), "member_id": ("found", 1),
        "last_name": ("missing", 0), "first_name": ("missing", 0), "search": ("ambiguous", 2),
    }
    assert (tmp_path / result.screenshot).read_bytes().startswith(b"\x89PNG")
    assert result.accessibility["by_impact"] == {"critical": 1}  # the image without a text alternative
    assert [rule["id"] for rule in result.accessibility["rules"]] == ["image-alt"]


def _report() -> CheckReport:
    report = CheckReport(portal="http://127.0.0.1:1", mock=False, data="d.yaml", started="t0", finished="t1")
    search = PanelResult("Member Search", "member_search.yaml", "visited", screenshot="screenshots/member_search.png")
    search.record(ControlResult("title", "found", 1))
    search.record(ControlResult("last_name", "missing", 0, detail="near match 'Member Last Name' stood in"))
    search.record(ControlResult("search", "ambiguous", 2))
    notice = PanelResult("Disenrollment", "disenrollment.yaml", "visited")
    notice.record(ControlResult("pending_notice", "optional_absent", 0, optional=True))
    confirmation = PanelResult("Disenrollment Confirmation", "disenrollment_confirmation.yaml", "not_visited",
                               "would change the portal's state")
    agreement = PanelResult("Agreement", "agreement.yaml", "not_reached", "panel 'X': control 'update' not found")
    report.panels += [search, notice, confirmation, agreement]
    return report


def test_the_report_counts_missing_ambiguous_and_not_reached_as_failures_only():
    report = _report()

    assert report.exit_code == 1
    assert {(p.name, c.key if c else None) for p, c in report.failures} == {
        ("Member Search", "last_name"), ("Member Search", "search"), ("Agreement", None)}
    table = selector_report.table(report)
    assert "MISSING (0) — near match 'Member Last Name' stood in" in table
    assert "AMBIGUOUS (2)" in table and "optional, absent" in table
    assert "not visited (would change the portal's state)" in table
    assert "FAILED: 3 problem(s)" in table
    suite = selector_report.junit(report).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "3", "2")


def _png(draw=None, size=(120, 80)) -> bytes:
    image = Image.new("RGB", size, (250, 250, 250))
    if draw:
        draw(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_visual_noise_under_the_threshold_passes_and_a_change_leaves_a_side_by_side_page(tmp_path):
    baseline = _png()
    assert not visual.compare("same", baseline, baseline).changed()
    assert not visual.compare("noise", baseline, _png(lambda d: d.rectangle((0, 0, 119, 79), fill=(240, 240, 240)))
                              ).changed()
    assert visual.compare("wider", baseline, _png(size=(121, 80))).changed()

    moved = _png(lambda d: d.rectangle((10, 10, 29, 19), fill=(0, 0, 200)))
    comparison = visual.compare("steps", baseline, moved)

    assert comparison.changed() and comparison.changed_pixels == 200
    index = visual.write_change(tmp_path, comparison, baseline, moved)
    assert {p.name for p in tmp_path.iterdir()} == {
        "index.html", "steps.txt", "steps-expected.png", "steps-actual.png", "steps-diff.png"}
    page = index.read_text()
    assert 'src="steps-expected.png"' in page and 'src="steps-diff.png"' in page and "200 pixels" in page
    assert Image.open(tmp_path / "steps-diff.png").getpixel((15, 15)) == (230, 0, 0)
