"""The mock-only endpoints: no login, no token, never faulted."""

from __future__ import annotations

import json
import urllib.request

from mock_portal import menu
from tests.mock.conftest import MEMBER_SEARCH, SESSION_ENDED, disenroll, search


def fetch(url: str, method: str = "GET") -> tuple[int, object]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def test_health(mock_portal):
    assert fetch(f"{mock_portal.url}/_mock/health") == (200, {"ok": True})


def test_transactions_start_empty_and_list_duplicates(demo, mock_portal):
    assert fetch(f"{mock_portal.url}/_mock/transactions") == (200, [])

    disenroll(demo, "100000000001", "RIVERA", "ANA")
    disenroll(demo, "100000000001", "RIVERA", "ANA")

    _, sent = fetch(f"{mock_portal.url}/_mock/transactions")
    assert [t["member_id"] for t in sent] == ["100000000001", "100000000001"]
    assert list(sent[0]) == ["kind", "user_id", "provider_id", "submitted_at", "member_id",
                             "last_name", "first_name", "reason", "effective_date"]


def test_reset_restores_the_fixture_and_ends_every_session(demo, mock_portal):
    disenroll(demo, "100000000001", "RIVERA", "ANA")

    assert fetch(f"{mock_portal.url}/_mock/reset", "POST") == (200, {"ok": True})

    assert fetch(f"{mock_portal.url}/_mock/transactions")[1] == []
    assert demo.get(menu.HOME).notices == [SESSION_ENDED]
    demo.login()
    assert search(demo, "100000000001", "RIVERA", "ANA").notices == []
    assert search(demo, "100000000008", "CHEN", "WEI").notices[0].startswith(
        "A disenrollment for this member is pending")


def test_inspection_needs_no_login(mock_portal):
    status, _ = fetch(f"{mock_portal.url}/_mock/transactions")
    assert status == 200


def test_member_search_page_is_unaffected_by_inspection(demo, mock_portal):
    fetch(f"{mock_portal.url}/_mock/transactions")
    assert demo.get(MEMBER_SEARCH).panels == ["Member Search"]
