"""Visual regression: each panel of both job aids, screenshotted alone with its dynamic parts
(dates, times, request IDs, the user ID) masked, against its baseline in `baselines/`.

A change leaves `<name>-expected.png`, `-actual.png`, `-diff.png` and a side-by-side
`index.html` under `test-results/visual/` (pytest-playwright's `--output`). Accept the new
look with `pytest tests/portal -m visual --update-baselines` (`make baselines`). The baselines
are the bundled mock's: against another portal (`--base-url`) these tests skip.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from robots.credentials import Credentials
from tests.portal import finding, visual, walk
from tests.portal.conftest import TIMEOUT_MS, given_url
from tests.portal.finding import panel

BASELINES = Path(__file__).with_name("baselines")
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# name of the baseline: the panel's title
PANELS = {
    "login": "Business Log In",
    "member_search": "Member Search",
    "disenrollment": "Disenrollment",
    "disenrollment_confirmation": "Disenrollment Confirmation",
    "list_of_providers": "List of Providers",
    "steps": "Steps",
    "list_of_locations": "List of Locations",
    "list_of_servicing_providers": "List of Servicing Providers",
    "service_provider_detail": "Service Provider Detail",
    "date_detail": "Date Detail",
    "agreement": "Agreement",
    "processing": "Processing",
}
NEXT_YEAR_END = "12/31/2099"

pytestmark = [pytest.mark.visual, pytest.mark.mock_only]


def dynamic_parts(page: Page) -> list[Locator]:
    """What differs from one run to the next, found by text and label: masked."""
    return [
        page.get_by_text(DATE),
        page.get_by_text(TIME),
        page.get_by_text(re.compile(r"Request ID")),
        page.get_by_text(re.compile(r"^\s*Welcome\b")),
        page.get_by_role("textbox", name=re.compile(r"\bDate\b")),
    ]


class Camera:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.shots: dict[str, bytes] = {}

    def shoot(self, *names: str) -> None:
        for name in names:
            expect(finding.title(self.page, PANELS[name]), PANELS[name]).to_be_visible()
            region = panel(self.page, PANELS[name])
            self.shots[name] = region.screenshot(
                mask=dynamic_parts(self.page), animations="disabled", caret="hide", scale="css")


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest, browser: Browser, portal_data: dict,
                credentials: Credentials) -> dict[str, bytes]:
    """Both job aids walked once on a fresh mock, every panel photographed on the way."""
    if given_url(request.config):
        pytest.skip("the baselines are the bundled mock's")
    mock = request.getfixturevalue("mock_portal_process")
    mock.reset()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    camera = Camera(page)
    try:
        _walk_disenrollment(page, camera, mock.url, credentials, portal_data["disenroll"])
        _walk_group_unlink(page, camera, portal_data["group_unlink"])
    finally:
        context.close()
    return camera.shots


def _walk_disenrollment(page: Page, camera: Camera, url: str, credentials, data: dict) -> None:
    walk.open_login(page, url)
    camera.shoot("login")
    walk.log_in(page, url, credentials)
    walk.open_member_search(page)
    camera.shoot("member_search")
    walk.search_member(page, data["member"])
    camera.shoot("disenrollment")
    walk.choose_reason(page, data["reason"])
    finding.control(page, "disenrollment", "submit").click()
    camera.shoot("disenrollment_confirmation")


def _walk_group_unlink(page: Page, camera: Camera, data: dict) -> None:
    walk.open_list_of_providers(page)
    camera.shoot("list_of_providers")
    walk.choose_provider(page, data["provider"]["name"])
    camera.shoot("steps")
    finding.control(panel(page, "Steps"), "steps", "group_practice_info").click()
    camera.shoot("list_of_locations")
    walk.open_location(page, data["location"])
    camera.shoot("list_of_servicing_providers")
    walk.choose_practitioner(page, data["practitioner"]["name"], data["pages"])
    camera.shoot("service_provider_detail", "date_detail")
    walk.save_end_date(page, NEXT_YEAR_END)
    finding.control(page, "list_of_servicing_providers", "submit").click()
    camera.shoot("agreement")
    finding.control(page, "agreement", "certify").check()
    finding.control(panel(page, "Agreement"), "agreement", "submit").click()
    camera.shoot("processing")


@pytest.mark.parametrize("name", list(PANELS))
def test_panel_looks_as_its_baseline(name: str, screenshots: dict[str, bytes], pytestconfig: pytest.Config):
    actual = screenshots[name]
    baseline = BASELINES / f"{name}.png"
    if pytestconfig.getoption("--update-baselines", default=False):
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(actual)
        return
    assert baseline.is_file(), f"no baseline for {name}: accept the current look with `make baselines`"
    expected = baseline.read_bytes()

    comparison = visual.compare(name, expected, actual)

    if comparison.changed():
        out = Path(pytestconfig.getoption("--output")) / "visual"
        index = visual.write_change(out, comparison, expected, actual)
        pytest.fail(f"{comparison.describe()}; see {index} (accept with `make baselines`)")
