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


def test_live_mode_asks_naming_the_portal_and_the_record_count():
    asked = []
    check("https://posc.example", live=True, record_count=250, confirm=lambda q: asked.append(q) or True)
    assert "250 records" in asked[0] and "https://posc.example" in asked[0]


def test_live_mode_without_a_yes_runs_nothing():
    with pytest.raises(ConfigError, match="not confirmed"):
        check("https://posc.example", live=True, record_count=1, confirm=lambda q: False)
