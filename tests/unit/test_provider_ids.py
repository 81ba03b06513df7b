from __future__ import annotations

import pytest

from flows.provider_ids import provider_id_pattern, provider_matches


@pytest.mark.parametrize("shown", ["110000000A", "110000000 A", "110000000", "CCA (110000000A)", " 110000000A\n"])
def test_the_ways_a_portal_shows_the_same_provider_id(shown):
    assert provider_matches(shown, "110000000A")


@pytest.mark.parametrize("shown", ["110000000B", "1110000000A", "110000001A", "", "110000000A 110000000B"])
def test_another_provider_id_does_not_match(shown):
    assert not provider_matches(shown, "110000000A")


@pytest.mark.parametrize("cell", ["110000000A", "110000000 A", "110000000", "CCA (110000000A)"])
def test_a_list_cell_naming_the_provider_matches(cell):
    assert provider_id_pattern("110000000A").search(cell)


@pytest.mark.parametrize("cell", ["110000000B", "110000000 B", "1110000000A", "110000000AB"])
def test_a_list_cell_naming_another_location_does_not(cell):
    assert not provider_id_pattern("110000000A").search(cell)
