"""The portal's releases: restyled changes ids, classes and layout but no text, role or
label; drifted changes exactly the four things docs/portal.md lists; ajax shows classic's
texts, whether a panel comes as a page or in place (its mechanics: test_mock_ajax.py)."""

from __future__ import annotations

import re

import pytest

from tests.mock.conftest import (
    AGREEMENT,
    DISENROLLMENT,
    GROUP_PRACTICE_INFO,
    LIST_OF_PROVIDERS,
    MEMBER_SEARCH,
    VG_APPLICATIONS,
    VG_LOGIN,
    VG_START,
    VG_VERIFY,
    browser_login,
    search,
)
from tests.mock.portal_client import PortalClient


@pytest.fixture(scope="module")
def releases():
    from tests.conftest import MockPortal

    with MockPortal() as classic, MockPortal(variant="restyled") as restyled, \
            MockPortal(variant="drifted") as drifted, MockPortal(variant="ajax") as ajax:
        yield {"classic": classic, "restyled": restyled, "drifted": drifted, "ajax": ajax}


def client_for(releases, name: str) -> PortalClient:
    releases[name].reset()
    client = PortalClient.of(releases[name])
    client.login()
    return client


def walk(client: PortalClient) -> dict:
    """What a person sees on each panel of both job aids (a refusal included)."""
    seen = {}
    seen["member_search"] = client.get(MEMBER_SEARCH)
    seen["refusal"] = search(client, "100000000006", "NGUYEN", "THANH")
    seen["disenrollment"] = search(client, "100000000001", "RIVERA", "ANA")
    seen["confirmation"] = client.post(DISENROLLMENT, {**seen["disenrollment"].hidden(),
                                                       "reason": "Death", "action": "submit"})
    seen["providers"] = client.get(LIST_OF_PROVIDERS)
    seen["locations"] = client.get(GROUP_PRACTICE_INFO, provider="110000001A")
    seen["detail"] = client.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="3",
                                practitioner="120000001A")
    seen["agreement"] = client.get(AGREEMENT, provider="110000001A")
    return seen


def walk_in_place(client: PortalClient) -> dict:
    """The same panels on the ajax release, each the way it comes there: in place (the
    region of a partial response) or as a page (its <main>)."""
    seen = {}
    search_form = {"provider_id": "110000000A", "action": "search"}
    seen["member_search"] = client.get(MEMBER_SEARCH).main()
    seen["refusal"] = client.partial(MEMBER_SEARCH, {
        **search_form, "member_id": "100000000006", "last_name": "NGUYEN",
        "first_name": "THANH"}).region()
    seen["disenrollment"] = client.partial(MEMBER_SEARCH, {
        **search_form, "member_id": "100000000001", "last_name": "RIVERA",
        "first_name": "ANA"}).region()
    seen["confirmation"] = client.partial(DISENROLLMENT, {
        **seen["disenrollment"].hidden(), "reason": "Death", "action": "submit"}).region()
    seen["providers"] = client.get(LIST_OF_PROVIDERS).main()
    seen["locations"] = client.get(GROUP_PRACTICE_INFO, provider="110000001A").main()
    seen["detail"] = client.partial(GROUP_PRACTICE_INFO, provider="110000001A", location="1",
                                    page="3", practitioner="120000001A").region()
    seen["agreement"] = client.get(AGREEMENT, provider="110000001A").main()
    return seen


def visible(page) -> dict:
    return {"h1": page.h1, "panels": page.panels, "labels": page.labels,
            "buttons": page.buttons, "alerts": page.alerts, "notices": page.notices,
            "headers": page.texts("th"), "options": page.texts("option"),
            "links": sorted(page.links)}


def test_restyled_member_search_shares_no_id_with_classic_yet_the_same_labels(releases):
    classic = client_for(releases, "classic").get(MEMBER_SEARCH)
    restyled = client_for(releases, "restyled").get(MEMBER_SEARCH)

    assert classic.ids and restyled.ids
    assert set(classic.ids).isdisjoint(restyled.ids)
    assert restyled.labels == classic.labels == ["Provider ID", "Member ID", "Last Name", "First Name"]
    assert restyled.buttons == classic.buttons == ["Search"]


def test_restyled_shows_every_text_role_and_label_of_classic(releases):
    classic = walk(client_for(releases, "classic"))
    restyled = walk(client_for(releases, "restyled"))

    for panel, page in classic.items():
        assert visible(restyled[panel]) == visible(page), panel
        assert set(page.ids).isdisjoint(restyled[panel].ids), panel


def test_ajax_shows_every_text_role_and_label_of_classic_as_pages_and_in_place(releases):
    classic = walk(client_for(releases, "classic"))
    ajax = walk(client_for(releases, "ajax"))
    in_place = walk_in_place(client_for(releases, "ajax"))

    for panel, page in classic.items():
        assert visible(ajax[panel]) == visible(page), panel
        assert visible(in_place[panel]) == visible(page.main()), panel


def test_restyled_uses_other_classes_and_layout(releases):
    classic = client_for(releases, "classic").get(MEMBER_SEARCH).html
    restyled = client_for(releases, "restyled").get(MEMBER_SEARCH).html

    classes = {name for found in re.findall(r'class="([^"]*)"', classic) for name in found.split()}
    restyled_classes = {name for found in re.findall(r'class="([^"]*)"', restyled)
                        for name in found.split()}
    assert classes.isdisjoint(restyled_classes - {"required"})
    assert "/static/restyled.css" in restyled
    # The menu comes after the content (it sits on the right), the form is a table.
    assert restyled.index("<main") < restyled.index('aria-label="Provider Services"')
    assert classic.index('aria-label="Provider Services"') < classic.index("<main")
    assert '<table class="rs-grid" role="presentation">' in restyled


def test_drifted_changes_exactly_the_listed_things(releases):
    classic = walk(client_for(releases, "classic"))
    drifted = walk(client_for(releases, "drifted"))
    expected = {panel: visible(page) for panel, page in classic.items()}
    # The four drifts of docs/portal.md, and nothing else.
    for panel in ("member_search", "refusal"):
        expected[panel]["labels"] = ["Provider ID", "Member ID", "Member Last Name", "First Name"]
    expected["disenrollment"]["panels"] = ["Disenroll Member"]
    expected["disenrollment"]["options"] = [
        option for option in expected["disenrollment"]["options"] if option != "Member request"]
    expected["detail"]["buttons"] = ["Cancel Item", "Remove", "Cancel Service", "Submit", "Save"]

    assert {panel: visible(page) for panel, page in drifted.items()} == expected


def test_drifted_save_keeps_the_change_like_update(releases):
    client = client_for(releases, "drifted")
    page = client.get(GROUP_PRACTICE_INFO, provider="110000001A", location="1", page="3",
                      practitioner="120000001A")

    page = client.post(GROUP_PRACTICE_INFO, {**page.hidden(), "end_date": "12/31/2099",
                                             "action": "update"})

    assert page.notices == [
        "Your changes have been saved. Select Submit to submit the update request."]


def test_drifted_refuses_the_removed_reason(releases):
    client = client_for(releases, "drifted")
    page = search(client, "100000000001", "RIVERA", "ANA")

    page = client.post(DISENROLLMENT, {**page.hidden(), "reason": "Member request",
                                       "action": "submit"})

    assert page.alerts == ["Select a Disenrollment Reason from the list."]
    assert releases["drifted"].transactions() == []


def aria(page, url: str) -> dict[str, str]:
    page.goto(url)
    return {"main": page.get_by_role("main").aria_snapshot(),
            "menu": page.get_by_role("navigation", name="Provider Services").aria_snapshot()}


@pytest.mark.parametrize("release", ["restyled", "ajax"])
def test_a_release_has_the_same_accessibility_tree_as_classic(releases, browser, release):
    """What a screen reader (and a robot going by role and label) meets, panel by panel; on
    ajax the refusal comes in place."""
    snapshots = {}
    for name in ("classic", release):
        releases[name].reset()
        page = browser.new_context().new_page()
        browser_login(page, releases[name])
        page.goto(f"{releases[name].url}{MEMBER_SEARCH}")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("alert").wait_for()
        snapshots[name] = [
            {"main": page.get_by_role("main").aria_snapshot()},
            aria(page, f"{releases[name].url}{GROUP_PRACTICE_INFO}?provider=110000001A&location=1"
                       "&page=3&practitioner=120000001A"),
        ]
        page.context.close()

    assert "Member ID is required." in snapshots["classic"][0]["main"]
    assert snapshots[release] == snapshots["classic"]


def gateway_pages(client: PortalClient) -> dict:
    """The Virtual Gateway's pages on the way in, a refusal included."""
    seen = {"start": client.get(VG_START), "login": client.get(VG_LOGIN)}
    seen["refusal"] = client.post(VG_LOGIN, {"email": "nobody@example.org", "password": "x"})
    client.vg_password("posc.demo@example.org", "Demo-Passw0rd!")
    seen["verify"] = client.get(VG_VERIFY)
    seen["wrong_code"] = client.vg_code("12345")  # five digits: never a code
    return seen


def test_the_gateway_looks_the_same_whatever_the_variant(releases):
    """The gateway is another application than the POSC: a POSC release does not restyle it."""
    seen = {}
    for name in ("classic", "restyled", "drifted", "ajax"):
        releases[name].reset()
        seen[name] = gateway_pages(PortalClient.of(releases[name]))

    for panel, page in seen["classic"].items():
        for other in ("restyled", "drifted", "ajax"):
            assert visible(seen[other][panel]) == visible(page), (other, panel)
            assert seen[other][panel].ids == page.ids, (other, panel)
            assert "/static/gateway.css" in seen[other][panel].html
    client = client_for(releases, "restyled")
    assert client.get(VG_APPLICATIONS).panels == ["My Applications"]
