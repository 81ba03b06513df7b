"""MassHealth's RPA policy: only loopback portals without an explicit, confirmed live mode."""

from __future__ import annotations

import pytest

from robots.engine.live_mode import check, is_loopback
from robots.errors import ConfigError


@pytest.mark.parametrize("url", ["http://127.0.0.1:8700", "http://localhost:1/x", "http://[::1]:80", "http://127.9.9.9"])
def test_loopback_portals_need_no_switch(url):
    assert is_loopback(url)
    check(url, live=False, record_count=3, confirm=None)


@pytest.mark.parametrize("url", ["https://www.masshealth-posc.example", "http://10.0.0.5:8700", "http://0.0.0.0:80"])
def test_other_portals_are_refused_without_live(url):
    with pytest.raises(ConfigError, match="--live"):
        check(url, live=False, record_count=3, confirm=lambda q: True)


SHA = "3f2a9c0d1e4b5a69" * 4


def test_live_mode_asks_naming_the_portal_the_registration_the_record_count_and_the_job():
    asked = []
    live = check("https://posc.example", live=True, record_count=250, confirm=lambda q: asked.append(q) or True,
                 registration="RPA-2026-0042", job_sha256=SHA)
    assert "250 records" in asked[0] and "https://posc.example" in asked[0]
    assert "RPA-2026-0042" in asked[0] and SHA[:12] in asked[0]
    assert live.as_dict()["confirmed"] == "at the terminal" and live.as_dict()["rpa_registration"] == "RPA-2026-0042"


def test_live_mode_without_a_yes_runs_nothing():
    with pytest.raises(ConfigError, match="not confirmed"):
        check("https://posc.example", live=True, record_count=1, confirm=lambda q: False, registration="RPA-1")


def test_live_mode_needs_the_bots_registration():
    with pytest.raises(ConfigError, match="RPA registration"):
        check("https://posc.example", live=True, record_count=1, confirm=lambda q: True, registration=None)


@pytest.mark.parametrize("confirmed", [SHA[:12], SHA, "posc.example:7", "POSC.EXAMPLE:7"])
def test_a_run_nobody_watches_is_confirmed_ahead_by_naming_the_job_or_the_portal_and_count(confirmed):
    live = check("https://posc.example/x", live=True, record_count=7, confirm=None, registration="RPA-1",
                 job_sha256=SHA, confirmed=confirmed)
    assert live.as_dict()["confirmed"] == f"--confirm-live {confirmed}"


@pytest.mark.parametrize("confirmed", ["0" * 12, "posc.example:8", "other.example:7", "yes"])
def test_a_confirmation_that_names_another_job_or_portal_is_refused(confirmed):
    with pytest.raises(ConfigError, match="does not name this run"):
        check("https://posc.example/x", live=True, record_count=7, confirm=lambda q: True, registration="RPA-1",
              job_sha256=SHA, confirmed=confirmed)
