"""A job must never make the robot click something other than what it names: a name that
matches two rows, or a location that matches two locations, is refused, never guessed."""

from __future__ import annotations

import yaml

from tests.conftest import MockPortal
from tests.flows.conftest import results, run_job, write_job
from tests.resilience import fixture_builder as fb
from tests.resilience.conftest import END_DATE


def test_a_location_name_shared_by_two_locations_is_refused_not_guessed(tmp_path, bot_credentials):
    fixture = fb.write_fixture(tmp_path, members=1, practitioners=3)
    data = yaml.safe_load(fixture.read_text())
    locations = data["providers"][1]["locations"]
    locations.append({**locations[0], "address": "9 ELM STREET", "servicing_providers": [
        dict(locations[0]["servicing_providers"][0], provider_id="599999999A", npi=fb.valid_npi(999))
    ]})
    fixture.write_text(yaml.safe_dump(data, sort_keys=False))
    with MockPortal(fixture=fixture) as portal:
        job = write_job(tmp_path, "group_unlink", fb.GROUP, fb.unlink_records(1, END_DATE))

        run_job(job, portal.url, tmp_path / "out")

        [row] = results(tmp_path / "out")
        assert row["status"] == "rejected"
        assert "2 service locations are named" in row["message"] and "refusing to guess" in row["message"]
        assert portal.transactions() == []


def test_a_practitioner_listed_twice_at_a_location_is_refused_even_with_an_npi(tmp_path, bot_credentials):
    fixture = fb.write_fixture(tmp_path, members=1, practitioners=12)
    data = yaml.safe_load(fixture.read_text())
    providers = data["providers"][1]["locations"][0]["servicing_providers"]
    # The twin sorts onto another page than the first of the name: the whole list is read.
    providers.append(dict(providers[0], provider_id="599999999A", npi=fb.valid_npi(999), name=providers[11]["name"]))
    fixture.write_text(yaml.safe_dump(data, sort_keys=False))
    with MockPortal(fixture=fixture) as portal:
        job = write_job(tmp_path, "group_unlink", fb.GROUP, [
            {"location": fb.LOCATION, "practitioner": providers[11]["name"], "npi": providers[11]["npi"],
             "end_date": END_DATE},
        ])

        run_job(job, portal.url, tmp_path / "out")

        [row] = results(tmp_path / "out")
        assert row["status"] == "rejected"
        assert "is listed 2 times" in row["message"] and "refusing to guess" in row["message"]
        assert portal.transactions() == []
