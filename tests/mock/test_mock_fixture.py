"""The fixture: the bundled default holds the records the robot's examples rely on, and a bad
fixture is refused with the file, the entry and the field."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
import yaml

from mock_portal import fixture, generator, npi

CCA, TUFTS, UHC = "110000000A", "110000005A", "110000006A"


@pytest.fixture(scope="module")
def default() -> fixture.Fixture:
    return fixture.load()


def by_id(default):
    return {p.provider_id: p for p in default.providers}


def test_default_has_no_frozen_clock_and_the_default_reasons(default):
    assert default.today is None
    assert default.disenrollment_reasons[0] == "Member request"
    assert len(default.disenrollment_reasons) == 8


def test_default_users_and_their_grants(default):
    users = {u.user_id: (u.password, u.providers) for u in default.users}
    demo_providers = (CCA, "110000001A", "110000002A", "110000003A", "110000004A", "110000007A")
    assert users == {
        "posc.demo": ("Demo-Passw0rd!", demo_providers),
        "posc.bot2": ("Bot2-Passw0rd!", demo_providers),
        "tufts.bot": ("Tufts-Passw0rd!", (TUFTS,)),
        "multi.plan": ("Multi-Passw0rd!", (CCA, UHC)),
    }


def test_default_users_log_in_through_the_gateway(default):
    users = {u.user_id: u for u in default.users}
    assert (users["posc.demo"].email, users["posc.demo"].totp_secret) == (
        "posc.demo@example.org", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert (users["posc.bot2"].email, users["posc.bot2"].totp_secret) == (
        "posc.bot2@example.org", "KRSXG5CTMVRXEZLUKN2XAZLSKNSWC4DP")
    assert all(u.email and u.totp_secret and u.active for u in default.users)
    assert default.gateway == fixture.GatewaySettings(totp_period_s=30, lockout_minutes=15,
                                                      failures_to_lock=5)  # the defaults


def test_default_providers(default):
    assert {pid: (p.name, p.type) for pid, p in by_id(default).items()} == {
        CCA: ("COMMONWEALTH CARE ALLIANCE ONE CARE", "one_care_plan"),
        TUFTS: ("TUFTS HEALTH ONE CARE", "one_care_plan"),
        UHC: ("UNITEDHEALTHCARE CONNECTED FOR ONE CARE", "one_care_plan"),
        "110000001A": ("BAY STATE FAMILY MEDICINE GROUP", "group_practice"),
        "110000002A": ("COMMONWEALTH HOME CARE SERVICES", "ltss"),
        "110000003A": ("BRIGHT SMILES DENTAL", "dental"),
        "110000004A": ("PAT LEE ORDERING PRACTITIONER", "orp"),
        "110000007A": ("JORDAN KELLY MD", "individual"),
    }


def test_default_group_practice_locations(default):
    group = by_id(default)["110000001A"]
    sizes = {loc.dba_name: len(loc.servicing_providers) for loc in group.locations}
    assert sizes == {"MAIN STREET CLINIC": 28, "HARBOR HEALTH CENTER": 5, "WESTSIDE PEDIATRICS": 4}
    main = group.locations[0].servicing_providers
    names = sorted(s.name for s in main)
    assert names[0] == "ABBOTT, JANE"
    assert 20 <= names.index("YOUNG, ROBERT") < 30  # page 3 at 10 a page
    [smith] = [s for s in main if s.name == "SMITH, JOHN"]
    assert (smith.npi, smith.effective_date, smith.end_date) == (
        "1234567893", dt.date(2019, 1, 1), None)
    assert len([s for s in main if s.end_date and s.end_date < dt.date.today()]) == 3


def test_default_npis_and_provider_ids_are_valid_and_distinct(default):
    servicing = [s for p in default.providers for loc in p.locations for s in loc.servicing_providers]
    assert all(npi.is_valid(s.npi) for s in servicing)
    assert len({s.npi for s in servicing}) == len(servicing)
    assert len({s.provider_id for s in servicing}) == len(servicing)
    assert not {s.provider_id for s in servicing} & set(by_id(default))


def test_default_named_members(default):
    members = {m.member_id: m for m in default.members}
    named = {mid: (m.last_name, m.first_name, m.one_care_plan) for mid, m in members.items()
             if int(mid) <= 100000000008}
    assert named == {
        "100000000001": ("RIVERA", "ANA", CCA),
        "100000000002": ("O'BRIEN", "SEAN", CCA),
        "100000000003": ("SMITH-JONES", "MARY", CCA),
        "100000000004": ("WASHINGTON JR", "GEORGE", CCA),
        "100000000005": ("DE LA CRUZ", "MARIA", CCA),
        "100000000006": ("NGUYEN", "THANH", None),
        "100000000007": ("MURPHY", "KATE", TUFTS),
        "100000000008": ("CHEN", "WEI", CCA),
    }
    assert members["100000000008"].pending_disenrollment is True
    assert [m for m in members.values() if m.pending_disenrollment] == [members["100000000008"]]
    assert all(members[f"1000000000{n:02d}"].one_care_plan == CCA for n in range(9, 31))


def test_default_has_enough_members_with_hard_cases_and_mixed_plans(default):
    members = default.members
    assert len(members) >= 220
    plans = Counter(m.one_care_plan for m in members if int(m.member_id) > 100000000030)
    assert plans[CCA] > plans[TUFTS] > plans[UHC] > 0 and plans[None] > 0
    last_names = [m.last_name for m in members]
    assert any("'" in name for name in last_names)
    assert any("-" in name for name in last_names)
    assert any(name.endswith((" JR", " SR", " III")) for name in last_names)
    assert any(" " in name for name in last_names if not name.endswith((" JR", " SR", " III")))
    assert any(" " in m.first_name or "-" in m.first_name for m in members)


def write(tmp_path, data) -> str:
    path = tmp_path / "fixture.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


GOOD = {
    "users": [{"user_id": "u", "password": "p", "providers": ["110000000A"]}],
    "providers": [
        {"provider_id": "110000000A", "name": "PLAN", "type": "one_care_plan"},
        {"provider_id": "110000001A", "name": "GROUP", "type": "group_practice", "locations": [
            {"dba_name": "CLINIC", "servicing_providers": [
                {"provider_id": "120000001A", "npi": "1234567893", "name": "SMITH, JOHN",
                 "provider_type": "Physician", "effective_date": "2019-01-01",
                 "end_date": None}]}]}],
    "members": [{"member_id": "100000000001", "last_name": "A", "first_name": "B",
                 "one_care_plan": "110000000A"}],
}


def test_a_good_small_fixture_loads(tmp_path):
    loaded = fixture.load(write(tmp_path, GOOD))
    assert loaded.members[0].pending_disenrollment is False
    assert loaded.providers[1].locations[0].servicing_providers[0].effective_date == dt.date(2019, 1, 1)
    # Without the gateway's fields: no email, no MFA, active; the gateway's default rules.
    assert (loaded.users[0].email, loaded.users[0].totp_secret, loaded.users[0].active) == (
        None, None, True)
    assert loaded.gateway == fixture.GatewaySettings(30, 15, 5)


def test_the_gateways_fields_load(tmp_path):
    data = changed(("users", 0), {**GOOD["users"][0], "email": "U@Example.org",
                                  "totp_secret": "jbswy3dpehpk3pxp", "active": False})
    data["gateway"] = {"totp_period_s": 60, "lockout_minutes": 1, "failures_to_lock": 3}

    loaded = fixture.load(write(tmp_path, data))

    assert (loaded.users[0].email, loaded.users[0].totp_secret, loaded.users[0].active) == (
        "U@Example.org", "jbswy3dpehpk3pxp", False)
    assert loaded.gateway == fixture.GatewaySettings(60, 1, 3)


def changed(path: str, value):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    return data


SERVICING = ("providers", 1, "locations", 0, "servicing_providers", 0)


@pytest.mark.parametrize(("data", "says"), [
    ({**GOOD, "extra": 1}, "the fixture: unknown field 'extra'"),
    ({**GOOD, "today": "tomorrow"}, "today: 'tomorrow' is not an ISO date"),
    (changed(("members", 0, "member_id"), "123"), "members[0].member_id: '123' must be 12 digits"),
    (changed(("members", 0, "one_care_plan"), "110000001A"),
     "members[0].one_care_plan: 110000001A is not a one_care_plan provider"),
    (changed(("members", 0, "last_name"), ""), "members[0].last_name: must be non-empty text"),
    (changed(("members", 0, "pending_disenrollment"), "soon"),
     "members[0].pending_disenrollment: 'soon' is not an ISO date"),
    ({**GOOD, "members": GOOD["members"] * 2}, "members[1].member_id: '100000000001' appears twice"),
    (changed(("users", 0, "providers"), ["999999999Z"]),
     "users[0].providers[0]: no provider 999999999Z in the fixture"),
    (changed(("providers", 0, "type"), "hospital"), "providers[0].type: 'hospital' is not one of"),
    (changed(("providers", 0, "provider_id"), "11000000A"), "is not a provider ID"),
    (changed(("providers", 0, "locations"), []), "providers[0].locations: only a group_practice"),
    (changed((*SERVICING, "npi"), "1234567890"),
     "servicing_providers[0].npi: '1234567890' is not a valid NPI"),
    (changed((*SERVICING, "end_date"), "2018-12-31"),
     "servicing_providers[0].end_date: is before the effective_date"),
    (changed((*SERVICING, "effective_date"), None), "servicing_providers[0].effective_date: missing"),
    ({**GOOD, "disenrollment_reasons": []}, "disenrollment_reasons: must list at least one reason"),
    ({**GOOD, "members": "everyone"}, "the fixture: members must be a list"),
    ([1, 2], "the fixture: must be a mapping"),
    # The Virtual Gateway's fields
    (changed(("users", 0, "email"), "not-an-address"),
     "users[0].email: 'not-an-address' is not an email address"),
    (changed(("users", 0, "email"), ""), "users[0].email: must be non-empty text"),
    ({**GOOD, "users": [{**GOOD["users"][0], "email": "u@example.org"},
                        {**GOOD["users"][0], "user_id": "v", "email": "U@EXAMPLE.ORG"}]},
     "users[1].email: 'U@EXAMPLE.ORG' appears twice"),
    (changed(("users", 0, "totp_secret"), "JBSWY3DPEHPK3PX1"),
     "users[0].totp_secret: must be base32 (letters A-Z, digits 2-7), at least 16 characters"),
    (changed(("users", 0, "totp_secret"), "JBSWY3DPEHPK3PX"), "users[0].totp_secret: must be base32"),
    (changed(("users", 0, "totp_secret"), "JBSWY3DPEHPK3PXPJ"), "users[0].totp_secret: must be base32"),
    (changed(("users", 0, "totp_secret"), 12345678901234567), "users[0].totp_secret: must be non-empty"),
    (changed(("users", 0, "active"), "no"), "users[0].active: 'no' must be true or false"),
    (changed(("users", 0, "mfa"), True), "users[0]: unknown field 'mfa'"),
    ({**GOOD, "gateway": {"totp_period": 30}}, "gateway: unknown field 'totp_period'"),
    ({**GOOD, "gateway": {"totp_period_s": 0}}, "gateway.totp_period_s: 0 must be a whole number from 1 to 300"),
    ({**GOOD, "gateway": {"totp_period_s": 301}}, "gateway.totp_period_s: 301 must be"),
    ({**GOOD, "gateway": {"totp_period_s": "30"}}, "gateway.totp_period_s: '30' must be"),
    ({**GOOD, "gateway": {"totp_period_s": True}}, "gateway.totp_period_s: True must be"),
    ({**GOOD, "gateway": {"lockout_minutes": 0}}, "gateway.lockout_minutes: 0 must be"),
    ({**GOOD, "gateway": {"failures_to_lock": 2.5}}, "gateway.failures_to_lock: 2.5 must be"),
    ({**GOOD, "gateway": [30]}, "gateway: must be a mapping"),
])
def test_bad_fixture_names_the_entry_and_field(tmp_path, data, says):
    path = write(tmp_path, data)

    with pytest.raises(fixture.FixtureError) as refused:
        fixture.load(path)

    assert str(refused.value).startswith(f"{path}: ")
    assert says in str(refused.value)


def test_unreadable_or_invalid_yaml_is_refused(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("users: [\n")
    with pytest.raises(fixture.FixtureError, match="broken.yaml: line .* not valid YAML"):
        fixture.load(broken)
    with pytest.raises(fixture.FixtureError, match="cannot read the fixture"):
        fixture.load(tmp_path / "missing.yaml")


def test_a_ten_thousand_member_fixture_loads_in_well_under_a_few_seconds(tmp_path):
    path = tmp_path / "big.yaml"
    generator.main(["--members", "10000", "--out", str(path)])

    started = time.perf_counter()
    loaded = fixture.load(path)
    elapsed = time.perf_counter() - started

    assert len(loaded.members) == 10000
    assert elapsed < 2.0


def test_the_members_fast_lane_reads_what_yaml_reads(tmp_path):
    text = fixture.default_path().read_text()
    assert fixture._read(text) == yaml.safe_load(text)
    # A members list in another layout (here: a comment after an entry) is read as YAML.
    other = text.replace('"ANA", "one_care_plan": "110000000A"',
                         '"ANA", "one_care_plan": "110000000A"} # the demo member\n  - {"x": 1')
    path = tmp_path / "other.yaml"
    path.write_text(other)
    with pytest.raises(fixture.FixtureError, match=r"members\[1\]: unknown field 'x'"):
        fixture.load(path)


def test_two_service_locations_may_share_a_dba_name(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    group = data["providers"][1]
    twin = {**group["locations"][0], "address": "9 ELM STREET"}
    twin["servicing_providers"] = [dict(twin["servicing_providers"][0], provider_id="120000002A", npi="1245319599")]
    group["locations"].append(twin)

    loaded = fixture.load(write(tmp_path, data))

    assert [loc.dba_name for loc in loaded.providers[1].locations] == ["CLINIC", "CLINIC"]
