"""Writes a portal fixture: the fixed records the robot's examples and tests rely on, plus as
many realistic synthetic members as asked for.

    python -m mock_portal.generator --members 240 --seed 1 --out mock_portal/fixtures/default.yaml

The bundled default fixture is exactly that command's output; a larger one
(`--members 10000 --practitioners 2000`) feeds the benchmark. The same arguments always
write the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

import yaml

from mock_portal import npi

DEFAULT_MEMBERS = 240
DEFAULT_SEED = 1
CCA, TUFTS, UHC = "110000000A", "110000005A", "110000006A"
GROUP = "110000001A"

DEMO_PROVIDERS = [CCA, GROUP, "110000002A", "110000003A", "110000004A", "110000007A"]
# Every user logs in through the Virtual Gateway: email, password, then the code of an
# authenticator app holding totp_secret. posc.bot2 acts for the same providers as posc.demo,
# so that two robots can be registered at once.
USERS = [
    {"user_id": "posc.demo", "email": "posc.demo@example.org", "password": "Demo-Passw0rd!",
     "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "providers": DEMO_PROVIDERS},
    {"user_id": "posc.bot2", "email": "posc.bot2@example.org", "password": "Bot2-Passw0rd!",
     "totp_secret": "KRSXG5CTMVRXEZLUKN2XAZLSKNSWC4DP", "providers": list(DEMO_PROVIDERS)},
    {"user_id": "tufts.bot", "email": "tufts.bot@example.org", "password": "Tufts-Passw0rd!",
     "totp_secret": "OR2WM5DTFZRG65BAORXXI4BANNSXSIJB", "providers": [TUFTS]},
    {"user_id": "multi.plan", "email": "multi.plan@example.org", "password": "Multi-Passw0rd!",
     "totp_secret": "NV2WY5DJFZYGYYLOEB2G65DQEBVWK6JB", "providers": [CCA, UHC]},
]

# (provider_id, name, type, address, city, zip)
PROVIDERS = [
    (CCA, "COMMONWEALTH CARE ALLIANCE ONE CARE", "one_care_plan", "30 WINTER STREET", "BOSTON", "02108"),
    (GROUP, "BAY STATE FAMILY MEDICINE GROUP", "group_practice", "100 MAIN STREET", "SPRINGFIELD", "01103"),
    ("110000002A", "COMMONWEALTH HOME CARE SERVICES", "ltss", "12 MERRIMACK STREET", "LOWELL", "01852"),
    ("110000003A", "BRIGHT SMILES DENTAL", "dental", "1250 HANCOCK STREET", "QUINCY", "02169"),
    ("110000004A", "PAT LEE ORDERING PRACTITIONER", "orp", "55 FRESH POND PARKWAY", "CAMBRIDGE", "02138"),
    (TUFTS, "TUFTS HEALTH ONE CARE", "one_care_plan", "705 MOUNT AUBURN STREET", "WATERTOWN", "02472"),
    (UHC, "UNITEDHEALTHCARE CONNECTED FOR ONE CARE", "one_care_plan", "1 FEDERAL STREET", "BOSTON", "02110"),
    ("110000007A", "JORDAN KELLY MD", "individual", "8 ESSEX STREET", "SALEM", "01970"),
]

# (dba_name, address, city, zip, servicing providers beyond the fixed ones)
LOCATIONS = [
    ("MAIN STREET CLINIC", "100 MAIN STREET", "SPRINGFIELD", "01103", 22),
    ("HARBOR HEALTH CENTER", "25 HARBOR WAY", "NEW BEDFORD", "02740", 5),
    ("WESTSIDE PEDIATRICS", "480 WEST STREET", "WORCESTER", "01609", 4),
]

# Where `--practitioners N` puts its N more servicing providers (none in the default).
BIG_LOCATION = ("STATE STREET MEDICAL ASSOCIATES", "1 STATE STREET", "BOSTON", "02109")

# MAIN STREET CLINIC's named practitioners: (name, effective, end, npi or None for generated).
# ABBOTT, JANE sorts first and YOUNG, ROBERT last (page 3 of 10 a page); three links ended.
NAMED_PRACTITIONERS = [
    ("SMITH, JOHN", dt.date(2019, 1, 1), None, "1234567893"),
    ("ABBOTT, JANE", dt.date(2017, 5, 1), None, None),
    ("YOUNG, ROBERT", dt.date(2020, 9, 1), None, None),
    ("GRANT, HELEN", dt.date(2016, 3, 1), dt.date(2021, 12, 31), None),
    ("PATEL, ANIL", dt.date(2018, 7, 1), dt.date(2022, 6, 30), None),
    ("FOSTER, DANIEL", dt.date(2015, 2, 1), dt.date(2023, 3, 31), None),
]
PRACTITIONER_TYPES = ["Physician", "Physician", "Physician", "Nurse Practitioner",
                      "Physician Assistant", "Licensed Independent Clinical Social Worker",
                      "Psychologist"]

# (member_id suffix, last_name, first_name, plan, pending)
NAMED_MEMBERS = [
    (1, "RIVERA", "ANA", CCA, False),
    (2, "O'BRIEN", "SEAN", CCA, False),
    (3, "SMITH-JONES", "MARY", CCA, False),
    (4, "WASHINGTON JR", "GEORGE", CCA, False),
    (5, "DE LA CRUZ", "MARIA", CCA, False),
    (6, "NGUYEN", "THANH", None, False),
    (7, "MURPHY", "KATE", TUFTS, False),
    (8, "CHEN", "WEI", CCA, True),
]
PLAIN_CCA_THROUGH = 30

# Sorted between ABBOTT and YOUNG on purpose, so the named practitioners keep their pages.
LAST_NAMES = [
    "ADAMS", "ALVAREZ", "BAKER", "BARNES", "BELL", "BROOKS", "BROWN", "CAMPBELL", "CARTER",
    "CASTILLO", "CLARK", "COLLINS", "COOK", "COOPER", "CRUZ", "DAVIS", "DIAZ", "EDWARDS",
    "EVANS", "FLORES", "GARCIA", "GOMEZ", "GONZALEZ", "GREEN", "HALL", "HARRIS", "HERNANDEZ",
    "HILL", "HUGHES", "JACKSON", "JOHNSON", "JONES", "KELLY", "KIM", "KING", "LE", "LEE",
    "LEWIS", "LOPEZ", "MARTIN", "MARTINEZ", "MENDES", "MILLER", "MITCHELL", "MOORE",
    "MORALES", "MORGAN", "NELSON", "ORTIZ", "PARKER", "PEREZ", "PHAM", "PHILLIPS", "PIERRE",
    "RAMIREZ", "REED", "REYES", "RICHARDSON", "ROBINSON", "RODRIGUEZ", "ROGERS", "ROSS",
    "SANCHEZ", "SANTOS", "SCOTT", "SILVA", "STEWART", "SULLIVAN", "TAYLOR", "THOMAS",
    "THOMPSON", "TORRES", "TRAN", "TURNER", "WALKER", "WARD", "WHITE", "WILLIAMS", "WILSON",
    "WOOD", "WRIGHT",
]
FIRST_NAMES = [
    "AHMED", "ALEXANDER", "ALICE", "AMY", "ANGELA", "ANTHONY", "BARBARA", "BRIAN", "CARLOS",
    "CAROL", "CATHERINE", "CHRISTOPHER", "DAVID", "DEBORAH", "DENISE", "DONNA", "EDWARD",
    "ELENA", "ELIZABETH", "FRANCISCO", "FRANK", "GLORIA", "HAROLD", "HELEN", "JAMES", "JANET",
    "JOSE", "JOSEPH", "JUAN", "KAREN", "KEVIN", "LAURA", "LINDA", "LUIS", "MARGARET", "MARIE",
    "MARK", "MICHAEL", "NANCY", "PATRICIA", "PAUL", "PETER", "RICHARD", "ROSA", "RUTH",
    "SANDRA", "STEVEN", "SUSAN", "THERESA", "THOMAS", "VICTOR", "WALTER", "WILLIAM", "YOLANDA",
]
# The names a careless robot gets wrong: apostrophes, hyphens, suffixes, spaces.
HARD_LAST_NAMES = [
    "O'NEIL", "O'CONNOR", "D'ANGELO", "GARCIA-LOPEZ", "NASSER-HADDAD", "JOHNSON JR",
    "BROWN SR", "MILLER III", "VAN DER BERG", "DE LEON", "DOS SANTOS", "ST. CLAIR",
    "MC DONALD", "LA ROSA",
]
HARD_FIRST_NAMES = ["MARY ANN", "JEAN-PAUL", "ANNE-MARIE", "JO ELLEN", "D'ANDRE", "LUZ MARIA"]
# Mostly the two big plans, some UnitedHealthcare, some not in One Care at all.
PLAN_WEIGHTS = [(CCA, 55), (TUFTS, 25), (UHC, 10), (None, 10)]

HEADER = """\
# A mock POSC fixture, generated: do not edit by hand; run
#   {command}
# (mock_portal/fixtures/default.yaml is the bundled default.)
#
# Schema: docs/portal.md ("Fixture"). Optional fields used here:
#   users[].email, users[].totp_secret: the Virtual Gateway login (Business Log In, then the
#       6-digit code of an authenticator app holding the base32 secret); without an email a
#       user logs in only with `--login simple`.
#   members[].pending_disenrollment: true (effective the last day of the current month) or
#       an ISO date: the member shows "A disenrollment for this member is pending, ...".
#   members[].enrollment_start_date: ISO date shown as the Enrollment Start Date.
#   address, city, state, zip: optional on providers, locations and servicing providers.
# No `today`: the portal's clock is the real date. No `gateway`: the Virtual Gateway's default
# rules (codes of 30 seconds; 5 failures in a row lock an account for 15 minutes).
"""


def build(members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED,
          practitioners: int = 0) -> dict:
    """The fixture as data (the shape `mock_portal.fixture.parse` reads)."""
    if members < PLAIN_CCA_THROUGH:
        raise ValueError(f"--members must be at least {PLAIN_CCA_THROUGH} (the named members)")
    rng = random.Random(seed)
    return {
        "users": USERS,
        "providers": [_provider(row, rng, practitioners) for row in PROVIDERS],
        "members": _members(members, rng),
    }


def _provider(row: tuple, rng: random.Random, practitioners: int) -> dict:
    provider_id, name, kind, address, city, zip_code = row
    entry = {"provider_id": provider_id, "name": name, "type": kind,
             "address": address, "city": city, "state": "MA", "zip": zip_code}
    if kind == "group_practice":
        entry["locations"] = _locations(rng, practitioners)
    return entry


def _practitioner_names(rng: random.Random) -> list[str]:
    """Every "LAST, FIRST" once in a seeded order, then with middle initials: as many
    distinct names as any location needs."""
    plain = [f"{last}, {first}" for last in LAST_NAMES for first in FIRST_NAMES]
    rng.shuffle(plain)
    return plain + [f"{name} {initial}." for initial in "ABCDEFGHJKLMNPRSTW" for name in plain]


def _locations(rng: random.Random, practitioners: int) -> list[dict]:
    npis = {"1234567893"}
    next_id = iter(range(1, 10**7))
    names = iter(_practitioner_names(rng))
    locations = []
    rows = [*LOCATIONS, (*BIG_LOCATION, practitioners)] if practitioners else LOCATIONS
    for index, (dba_name, address, city, zip_code, extra) in enumerate(rows):
        place = {"address": address, "city": city, "state": "MA", "zip": zip_code}
        named = NAMED_PRACTITIONERS if index == 0 else []
        taken = {name for name, *_ in named}
        people = list(named)
        while len(people) < len(named) + extra:
            name = next(names)
            if name not in taken:
                taken.add(name)
                people.append((name, dt.date(rng.randint(2012, 2023), rng.randint(1, 12), 1), None, None))
        servicing = []
        for name, effective, end, fixed_npi in people:
            number = fixed_npi or _new_npi(rng, npis)
            servicing.append({
                "provider_id": f"12{next(next_id):07d}A", "npi": number, "name": name,
                "provider_type": "Physician" if fixed_npi else rng.choice(PRACTITIONER_TYPES),
                "effective_date": effective, "end_date": end, **place})
        locations.append({"dba_name": dba_name, **place, "servicing_providers": servicing})
    return locations


def _new_npi(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = npi.complete(f"1{rng.randrange(10**8):08d}")
        if number not in taken:
            taken.add(number)
            return number


def _members(count: int, rng: random.Random) -> list[dict]:
    rows = []
    for suffix, last, first, plan, pending in NAMED_MEMBERS:
        rows.append(_member(suffix, last, first, plan, rng, pending=pending))
    for suffix in range(len(NAMED_MEMBERS) + 1, PLAIN_CCA_THROUGH + 1):
        rows.append(_member(suffix, rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), CCA, rng))
    plans = [plan for plan, _ in PLAN_WEIGHTS]
    weights = [weight for _, weight in PLAN_WEIGHTS]
    for suffix in range(PLAIN_CCA_THROUGH + 1, count + 1):
        last = rng.choice(HARD_LAST_NAMES) if rng.random() < 0.15 else rng.choice(LAST_NAMES)
        first = rng.choice(HARD_FIRST_NAMES) if rng.random() < 0.08 else rng.choice(FIRST_NAMES)
        rows.append(_member(suffix, last, first, rng.choices(plans, weights)[0], rng))
    return rows


def _member(suffix: int, last: str, first: str, plan: str | None, rng: random.Random,
            *, pending: bool = False) -> dict:
    row: dict = {"member_id": f"{100000000000 + suffix}", "last_name": last,
                 "first_name": first, "one_care_plan": plan}
    if plan is not None:
        row["enrollment_start_date"] = dt.date(rng.randint(2016, 2024), rng.randint(1, 12), 1)
    if pending:
        row["pending_disenrollment"] = True
    return row


def render(data: dict, *, command: str) -> str:
    """YAML text: users and providers in block style; members last, one a line, each a JSON
    object (valid YAML too), so a 10,000-member file stays readable and loads fast."""
    head = yaml.safe_dump({"users": data["users"], "providers": data["providers"]},
                          sort_keys=False, default_flow_style=False, width=100)
    lines = [HEADER.format(command=command), head, "members:"]
    lines += [f"  - {json.dumps(row, default=dt.date.isoformat)}" for row in data["members"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_portal.generator",
                                     description="Write a mock POSC fixture.")
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS,
                        help=f"total members, at least {PLAIN_CCA_THROUGH} (default {DEFAULT_MEMBERS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--practitioners", type=int, default=0,
                        help="servicing providers of one more, large location (default 0)")
    parser.add_argument("--out", required=True, help="the fixture file to write")
    args = parser.parse_args(argv)
    if args.members < PLAIN_CCA_THROUGH:
        parser.error(f"--members must be at least {PLAIN_CCA_THROUGH} (the named members)")
    if args.practitioners < 0:
        parser.error("--practitioners must not be negative")
    data = build(args.members, args.seed, args.practitioners)
    command = f"python -m mock_portal.generator --members {args.members} --seed {args.seed}"
    if args.practitioners:
        command += f" --practitioners {args.practitioners}"
    text = render(data, command=f"{command} --out {args.out}")
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
