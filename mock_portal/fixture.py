"""The portal's fixture: the YAML that seeds its state (users, providers, members, and the
Virtual Gateway's settings).

Schema (docs/portal.md, "Fixture", describes every field; `?` marks an optional one):

    today?: 2026-11-15                   # a frozen clock
    users: [{user_id, password, providers: [provider_id, ...],
             email?,                     # the Virtual Gateway login; unique, case-insensitively
             totp_secret?,               # base32, 16+ characters; none: MFA not set up
             active?: true | false}]     # false: a deactivated account (default true)
    providers: [{provider_id, name, type, address?, city?, state?, zip?,
                 locations?: [{dba_name, address?, city?, state?, zip?,
                               servicing_providers: [{provider_id, npi, name, provider_type,
                                   effective_date, end_date?, address?, city?, state?, zip?}]}]}]
    members: [{member_id, last_name, first_name, one_care_plan,
               pending_disenrollment?: true | ISO date, enrollment_start_date?: ISO date}]
    disenrollment_reasons?: [label, ...]  # replaces the default list
    gateway?: {totp_period_s?: 30,       # seconds a verification code lasts (1..300)
               lockout_minutes?: 15, failures_to_lock?: 5}

`load` raises FixtureError naming the file, the entry and the field of the first problem.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mock_portal import npi

PROVIDER_TYPES = ("one_care_plan", "group_practice", "individual", "ltss", "dental", "orp")
DEFAULT_REASONS = (
    "Member request",
    "Loss of Medicare Part A or Part B",
    "Loss of MassHealth eligibility",
    "Moved out of the service area",
    "Incarcerated",
    "Enrolled in another plan",
    "Death",
    "Misrepresentation of information",
)
PROVIDER_ID = re.compile(r"[0-9]{9}[A-Z]")
# Enough to tell an address from a typo, not RFC 5322.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
BASE32 = re.compile(r"[A-Za-z2-7]+")
MIN_SECRET_LENGTH = 16
MEMBER_ID = re.compile(r"[0-9]{12}")
ADDRESS_FIELDS = ("address", "city", "state", "zip")

# libyaml's loader scans and parses in C; building the Python objects stays slow, hence the
# members fast lane in `_read`.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MEMBERS_KEY = re.compile(r"^members:[ \t]*$", re.MULTILINE)
_MEMBER_LINE = re.compile(r"\s*- (\{.*\})\s*")


class FixtureError(ValueError):
    """A fixture that cannot seed the portal; the message names file, entry and field."""


@dataclass(frozen=True)
class Address:
    address: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""

    def one_line(self) -> str:
        place = " ".join(part for part in (self.state, self.zip) if part)
        return ", ".join(part for part in (self.address, self.city, place) if part)


@dataclass(frozen=True)
class ServicingProvider:
    provider_id: str
    npi: str
    name: str
    provider_type: str
    effective_date: dt.date
    end_date: dt.date | None
    address: Address


@dataclass(frozen=True)
class Location:
    dba_name: str
    address: Address
    servicing_providers: tuple[ServicingProvider, ...]


@dataclass(frozen=True)
class Provider:
    provider_id: str
    name: str
    type: str
    address: Address
    locations: tuple[Location, ...]


@dataclass(frozen=True)
class Member:
    member_id: str
    last_name: str
    first_name: str
    one_care_plan: str | None
    # True (pending, effective the last day of the current month) or the effective date.
    pending_disenrollment: bool | dt.date
    enrollment_start_date: dt.date | None


@dataclass(frozen=True)
class User:
    user_id: str
    password: str
    providers: tuple[str, ...]
    email: str | None = None  # no email: the user cannot log in through the Virtual Gateway
    totp_secret: str | None = None
    active: bool = True


@dataclass(frozen=True)
class GatewaySettings:
    """The Virtual Gateway's login rules (docs/portal.md, "Virtual Gateway")."""

    totp_period_s: int = 30
    lockout_minutes: int = 15
    failures_to_lock: int = 5


@dataclass(frozen=True)
class Fixture:
    source: str
    today: dt.date | None
    users: tuple[User, ...]
    providers: tuple[Provider, ...]
    members: tuple[Member, ...]
    disenrollment_reasons: tuple[str, ...]
    gateway: GatewaySettings = GatewaySettings()


def default_path() -> Path:
    return Path(__file__).parent / "fixtures" / "default.yaml"


def load(path: str | Path | None = None) -> Fixture:
    """Read and validate a fixture file (the bundled default when `path` is None)."""
    path = Path(path) if path is not None else default_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FixtureError(f"{path}: cannot read the fixture ({error.strerror})") from None
    try:
        data = _read(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise FixtureError(f"{path}:{where} not valid YAML") from None
    try:
        return parse(data, source=str(path))
    except FixtureError as error:
        raise FixtureError(f"{path}: {error}") from None


def _read(text: str) -> Any:
    """The YAML document. A members list written last, one JSON object a line (the
    generator's layout, which is valid YAML too), is read with json: PyYAML takes seconds to
    build 10,000 mappings, json milliseconds. Any other layout is read as YAML."""
    found = _MEMBERS_KEY.search(text)
    if found:
        rows = [line for line in text[found.end():].splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
        matches = [_MEMBER_LINE.fullmatch(line) for line in rows]
        if rows and all(matches):
            try:
                members = [json.loads(match.group(1)) for match in matches if match]
            except ValueError:
                return yaml.load(text, Loader=_Loader)
            head = yaml.load(text[:found.start()], Loader=_Loader)
            if isinstance(head, dict) and "members" not in head:
                return {**head, "members": members}
    return yaml.load(text, Loader=_Loader)


def parse(data: Any, *, source: str = "<fixture>") -> Fixture:
    top = _mapping(data, "the fixture", ("today", "users", "providers", "members",
                                          "disenrollment_reasons", "gateway"))
    providers = tuple(_provider(entry, f"providers[{i}]")
                      for i, entry in enumerate(_list(top, "providers", "the fixture")))
    _unique([p.provider_id for p in providers], "providers", "provider_id")
    types = {p.provider_id: p.type for p in providers}
    users = tuple(_user(entry, f"users[{i}]", types)
                  for i, entry in enumerate(_list(top, "users", "the fixture")))
    _unique([u.user_id for u in users], "users", "user_id")
    # Typed in any case at the Virtual Gateway, so two addresses may not differ by case only.
    _unique([u.email.casefold() if u.email else "" for u in users], "users", "email",
            shown=[u.email or "" for u in users])
    members = tuple(_member(entry, f"members[{i}]", types)
                    for i, entry in enumerate(_list(top, "members", "the fixture")))
    _unique([m.member_id for m in members], "members", "member_id")
    reasons = DEFAULT_REASONS
    if top.get("disenrollment_reasons") is not None:
        labels = _list(top, "disenrollment_reasons", "the fixture")
        reasons = tuple(_text(label, f"disenrollment_reasons[{i}]") for i, label in enumerate(labels))
        if not reasons:
            raise FixtureError("disenrollment_reasons: must list at least one reason")
        _unique(list(reasons), "disenrollment_reasons", "label")
    return Fixture(source, _date(top.get("today"), "today", required=False), users, providers,
                   members, reasons, _gateway(top.get("gateway")))


def _provider(entry: Any, where: str) -> Provider:
    fields = _mapping(entry, where, ("provider_id", "name", "type", "locations", *ADDRESS_FIELDS))
    provider_id = _provider_id(fields.get("provider_id"), f"{where}.provider_id")
    kind = _text(fields.get("type"), f"{where}.type")
    if kind not in PROVIDER_TYPES:
        raise FixtureError(f"{where}.type: {kind!r} is not one of {', '.join(PROVIDER_TYPES)}")
    locations: tuple[Location, ...] = ()
    if fields.get("locations") is not None:
        if kind != "group_practice":
            raise FixtureError(f"{where}.locations: only a group_practice has locations")
        locations = tuple(_location(item, f"{where}.locations[{i}]")
                          for i, item in enumerate(_list(fields, "locations", where)))
        # No uniqueness on dba_name: two service locations may share a DBA name (at two
        # addresses), and a robot must tell them apart or refuse, never pick one.
    return Provider(provider_id, _text(fields.get("name"), f"{where}.name"), kind,
                    _address(fields, where), locations)


def _location(entry: Any, where: str) -> Location:
    fields = _mapping(entry, where, ("dba_name", "servicing_providers", *ADDRESS_FIELDS))
    servicing = tuple(_servicing(item, f"{where}.servicing_providers[{i}]")
                      for i, item in enumerate(_list(fields, "servicing_providers", where)))
    _unique([s.provider_id for s in servicing], f"{where}.servicing_providers", "provider_id")
    _unique([s.npi for s in servicing], f"{where}.servicing_providers", "npi")
    return Location(_text(fields.get("dba_name"), f"{where}.dba_name"), _address(fields, where),
                    servicing)


def _servicing(entry: Any, where: str) -> ServicingProvider:
    fields = _mapping(entry, where, ("provider_id", "npi", "name", "provider_type",
                                     "effective_date", "end_date", *ADDRESS_FIELDS))
    number = _digits_text(fields.get("npi"), f"{where}.npi")
    if not npi.is_valid(number):
        raise FixtureError(f"{where}.npi: {number!r} is not a valid NPI (10 digits, Luhn check)")
    effective = _date(fields.get("effective_date"), f"{where}.effective_date")
    end = _date(fields.get("end_date"), f"{where}.end_date", required=False)
    if end is not None and effective is not None and end < effective:
        raise FixtureError(f"{where}.end_date: is before the effective_date")
    return ServicingProvider(
        _provider_id(fields.get("provider_id"), f"{where}.provider_id"), number,
        _text(fields.get("name"), f"{where}.name"),
        _text(fields.get("provider_type"), f"{where}.provider_type"),
        effective, end, _address(fields, where))  # type: ignore[arg-type]


def _user(entry: Any, where: str, types: dict[str, str]) -> User:
    fields = _mapping(entry, where, ("user_id", "password", "providers", "email", "totp_secret",
                                     "active"))
    granted = []
    for i, value in enumerate(_list(fields, "providers", where)):
        provider_id = _provider_id(value, f"{where}.providers[{i}]")
        if provider_id not in types:
            raise FixtureError(f"{where}.providers[{i}]: no provider {provider_id} in the fixture")
        granted.append(provider_id)
    email = fields.get("email")
    if email is not None:
        email = _text(email, f"{where}.email")
        if not EMAIL.fullmatch(email):
            raise FixtureError(f"{where}.email: {email!r} is not an email address")
    secret = fields.get("totp_secret")
    if secret is not None:
        secret = _totp_secret(secret, f"{where}.totp_secret")
    active = fields.get("active", True)
    if not isinstance(active, bool):
        raise FixtureError(f"{where}.active: {active!r} must be true or false")
    return User(_text(fields.get("user_id"), f"{where}.user_id"),
                _text(fields.get("password"), f"{where}.password"), tuple(granted),
                email, secret, active)


def _totp_secret(value: Any, where: str) -> str:
    text = _text(value, where)
    problem = f"{where}: must be base32 (letters A-Z, digits 2-7), at least {MIN_SECRET_LENGTH} characters"
    if len(text) < MIN_SECRET_LENGTH or not BASE32.fullmatch(text):
        raise FixtureError(problem)
    try:  # some lengths are no whole number of bytes (17 characters, say)
        base64.b32decode(text + "=" * (-len(text) % 8), casefold=True)
    except binascii.Error:
        raise FixtureError(problem) from None
    return text


def _gateway(value: Any) -> GatewaySettings:
    if value is None:
        return GatewaySettings()
    fields = _mapping(value, "gateway", ("totp_period_s", "lockout_minutes", "failures_to_lock"))
    limits = {"totp_period_s": (1, 300), "lockout_minutes": (1, 24 * 60),
              "failures_to_lock": (1, 100)}
    settings = {}
    for key, (low, high) in limits.items():
        if key not in fields:
            continue
        number = fields[key]
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            raise FixtureError(f"gateway.{key}: {number!r} must be a whole number from {low} to {high}")
        settings[key] = number
    return GatewaySettings(**settings)


def _member(entry: Any, where: str, types: dict[str, str]) -> Member:
    fields = _mapping(entry, where, ("member_id", "last_name", "first_name", "one_care_plan",
                                     "pending_disenrollment", "enrollment_start_date"))
    member_id = _digits_text(fields.get("member_id"), f"{where}.member_id")
    if not MEMBER_ID.fullmatch(member_id):
        raise FixtureError(f"{where}.member_id: {member_id!r} must be 12 digits")
    if "one_care_plan" not in fields:
        raise FixtureError(f"{where}.one_care_plan: missing (a provider_id or null)")
    plan = fields["one_care_plan"]
    if plan is not None:
        plan = _provider_id(plan, f"{where}.one_care_plan")
        if types.get(plan) != "one_care_plan":
            raise FixtureError(f"{where}.one_care_plan: {plan} is not a one_care_plan provider")
    pending = fields.get("pending_disenrollment", False)
    if pending is None:
        pending = False
    if not isinstance(pending, bool):
        pending = _date(pending, f"{where}.pending_disenrollment")
    if pending and plan is None:
        raise FixtureError(f"{where}.pending_disenrollment: the member has no one_care_plan")
    return Member(member_id, _text(fields.get("last_name"), f"{where}.last_name"),
                  _text(fields.get("first_name"), f"{where}.first_name"), plan, pending,
                  _date(fields.get("enrollment_start_date"), f"{where}.enrollment_start_date",
                        required=False))


def _mapping(value: Any, where: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise FixtureError(f"{where}: must be a mapping")
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise FixtureError(f"{where}: unknown field {unknown[0]!r}")
    return value


def _list(fields: dict, key: str, where: str) -> list:
    value = fields.get(key)
    if value is None:
        value = []
    if not isinstance(value, list):
        raise FixtureError(f"{where}: {key} must be a list")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FixtureError(f"{where}: must be non-empty text")
    return value


def _digits_text(value: Any, where: str) -> str:
    # YAML reads unquoted IDs as integers; they are accepted as their digits.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return _text(value, where)


def _provider_id(value: Any, where: str) -> str:
    text = _text(value, where)
    if not PROVIDER_ID.fullmatch(text):
        raise FixtureError(f"{where}: {text!r} is not a provider ID (nine digits and a letter)")
    return text


def _date(value: Any, where: str, *, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise FixtureError(f"{where}: missing (an ISO date, YYYY-MM-DD)")
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FixtureError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")


def _address(fields: dict, where: str) -> Address:
    parts = {}
    for key in ADDRESS_FIELDS:
        value = fields.get(key)
        if value is None:
            continue
        value = _digits_text(value, f"{where}.{key}")
        parts[key] = value
    return Address(**parts)


def _unique(values: list[str], where: str, field: str, *,
            shown: list[str] | None = None) -> None:
    """No value twice (empty values aside); `shown` is what the message quotes, when the
    values compared are normalised (case-folded emails)."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise FixtureError(f"{where}[{i}].{field}: {(shown or values)[i]!r} appears twice")
        if value:
            seen.add(value)
