"""The records `posc check-selectors` walks with (`--data FILE`), and its default: the bundled
mock's demo records.

The format is the portal QA suite's (`tests/portal/portal-data.yaml`): one file serves both,
and only the keys below are read. The default lives here, in code, so an installed robot has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from robots import fields
from robots.errors import ConfigError
from robots.jobfile.yaml_strict import YamlProblem
from robots.jobfile.yaml_strict import load as load_yaml
from robots.records import DisenrollRecord, UnlinkRecord

# Mirrors tests/portal/portal-data.yaml (a test keeps the two equal).
DEFAULT_YAML = """\
disenroll:
  plan_provider_id: "110000000A"          # the One Care plan the user acts for
  member: {member_id: "100000000001", last_name: RIVERA, first_name: ANA}  # a current member
  reason: Death                           # the reason chosen for the mock's one Submit
  reasons:                                # every reason the job files name: each must be offered
    - Member request
    - Moved out of the service area
    - Loss of MassHealth eligibility
group_unlink:
  provider: {provider_id: "110000001A", name: BAY STATE FAMILY MEDICINE GROUP}
  location: MAIN STREET CLINIC
  practitioner: {name: "SMITH, JOHN", provider_id: "120000001A", npi: "1234567893",
                 effective_date: "01/01/2019"}
"""


@dataclass(frozen=True)
class CheckData:
    """None for a workflow the file leaves out: its panels are reported as not visited."""

    source: str
    plan_provider_id: str | None
    member: DisenrollRecord | None
    reasons: tuple[str, ...]
    group_provider_id: str | None
    unlink: UnlinkRecord | None


def load(path: Path | None) -> CheckData:
    """Reads `path` (default: the demo records). Problems raise ConfigError (exit 2)."""
    if path is None:
        return _parse(DEFAULT_YAML, "the default data (the bundled mock's demo records)")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the data file {path}: {error.strerror}") from None
    return _parse(text, str(path))


def _parse(text: str, source: str) -> CheckData:
    try:
        document, _ = load_yaml(text)
    except YamlProblem as problem:
        line = f" line {problem.line}:" if problem.line else ""
        raise ConfigError(f"{source}:{line} {problem.message}") from None
    if not isinstance(document, Mapping) or not ({"disenroll", "group_unlink"} & set(document)):
        raise ConfigError(f"{source}: needs a `disenroll` or a `group_unlink` section (see docs/qa.md)")
    for name in ("disenroll", "group_unlink"):
        if document.get(name) is not None and not isinstance(document[name], Mapping):
            raise ConfigError(f"{source}: {name} must be a mapping (see docs/qa.md)")
    reader = _Reader(source)
    plan = member = unlink = group = None
    reasons: tuple[str, ...] = ()
    if (section := document.get("disenroll")) is not None:
        plan = reader.value(section, "disenroll.plan_provider_id", fields.provider_id)
        chosen = reader.value(section, "disenroll.reason", fields.label)
        person = reader.mapping(section, "disenroll.member")
        member = DisenrollRecord(
            member_id=reader.value(person, "disenroll.member.member_id", fields.member_id),
            last_name=reader.value(person, "disenroll.member.last_name", fields.person_name),
            first_name=reader.value(person, "disenroll.member.first_name", fields.person_name),
            reason=chosen,
        )
        listed = section.get("reasons") or []
        if not isinstance(listed, list):
            raise ConfigError(f"{source}: disenroll.reasons must be a list of Disenrollment Reason labels")
        reasons = tuple(dict.fromkeys(
            [reader.convert(item, f"disenroll.reasons[{n}]", fields.label) for n, item in enumerate(listed)]
            + [chosen]
        ))
    if (section := document.get("group_unlink")) is not None:
        provider = reader.mapping(section, "group_unlink.provider")
        group = reader.value(provider, "group_unlink.provider.provider_id", fields.provider_id)
        practitioner = reader.mapping(section, "group_unlink.practitioner")
        npi = practitioner.get("npi")
        end = section.get("end_date")
        unlink = UnlinkRecord(
            location=reader.value(section, "group_unlink.location", fields.label),
            practitioner=reader.value(practitioner, "group_unlink.practitioner.name", fields.label),
            npi=reader.convert(npi, "group_unlink.practitioner.npi", fields.npi) if npi else None,
            end_date=reader.convert(end, "group_unlink.end_date", fields.date) if end else _next_year_end(),
        )
    return CheckData(source, plan, member, reasons, group, unlink)


def _next_year_end() -> dt.date:
    """An End Date any portal accepts (not before today), typed only where nothing is kept
    unless the mock is the portal."""
    return dt.date(dt.date.today().year + 1, 12, 31)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def mapping(self, section: Mapping, where: str) -> Mapping:
        value = section.get(where.rsplit(".", 1)[1])
        if not isinstance(value, Mapping):
            raise ConfigError(f"{self.source}: {where} is missing (a mapping is expected)")
        return value

    def value(self, section: Mapping, where: str, parse):
        return self.convert(section.get(where.rsplit(".", 1)[1]), where, parse)

    def convert(self, value: object, where: str, parse):
        try:
            return parse(value)
        except fields.FieldError as error:
            raise ConfigError(f"{self.source}: {where}: {error}") from None
