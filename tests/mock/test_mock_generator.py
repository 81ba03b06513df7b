"""The fixture generator: deterministic, and the bundled default is its output."""

from __future__ import annotations

import subprocess
import sys

from mock_portal import fixture, generator


def test_the_bundled_default_is_exactly_the_generators_output(tmp_path):
    out = tmp_path / "default.yaml"

    generator.main(["--members", "240", "--seed", "1", "--out", str(out)])

    regenerated = out.read_text().replace(str(out), "mock_portal/fixtures/default.yaml")
    assert regenerated == fixture.default_path().read_text()


def test_same_arguments_write_the_same_bytes_and_another_seed_other_members(tmp_path):
    paths = [tmp_path / name for name in ("a.yaml", "b.yaml", "c.yaml")]
    for path, seed in zip(paths, ("5", "5", "6"), strict=True):
        generator.main(["--members", "300", "--seed", seed, "--out", str(path)])

    a, b, c = (fixture.load(path) for path in paths)
    assert paths[0].read_bytes().replace(b"a.yaml", b"") == paths[1].read_bytes().replace(b"b.yaml", b"")
    assert a.members != c.members
    assert [m.member_id for m in a.members[:8]] == [m.member_id for m in c.members[:8]]


def test_members_counts_the_named_ones(tmp_path):
    out = tmp_path / "small.yaml"

    generator.main(["--members", "30", "--out", str(out)])

    assert [m.member_id for m in fixture.load(out).members][-1] == "100000000030"


def test_too_few_members_is_a_usage_error(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "mock_portal.generator", "--members", "5", "--out",
         str(tmp_path / "x.yaml")], capture_output=True, text=True, timeout=30)

    assert finished.returncode == 2
    assert "--members must be at least 30" in finished.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_practitioners_adds_a_large_location_of_distinct_valid_practitioners(tmp_path):
    out = tmp_path / "bench.yaml"

    generator.main(["--members", "30", "--practitioners", "300", "--out", str(out)])

    group = next(p for p in fixture.load(out).providers if p.type == "group_practice")
    big = group.locations[-1]
    assert big.dba_name == "STATE STREET MEDICAL ASSOCIATES"
    assert len({s.name for s in big.servicing_providers}) == 300
    everyone = [s for loc in group.locations for s in loc.servicing_providers]
    assert len({s.npi for s in everyone}) == len({s.provider_id for s in everyone}) == len(everyone)
    assert "--practitioners 300" in out.read_text().splitlines()[1]
