"""The work items: one typed record per row of a job, each with a stable key.

A record is the "what" (Robocorp's work item); the flow that performs it is the "how" and
lives in `flows/`. Each job kind names its record type and the fields a job file may give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, fields
from functools import cached_property
from typing import Any, ClassVar

from robots import fields as parse
from robots.masking import mask_member_id


@dataclass(frozen=True)
class DisenrollRecord:
    """One member to disenroll from the acting plan's One Care."""

    member_id: str
    last_name: str
    first_name: str
    reason: str

    contains_phi: ClassVar[bool] = True
    key_fields: ClassVar[tuple[str, ...]] = ("member_id",)

    @property
    def key(self) -> str:
        return self.member_id

    @property
    def match_key(self) -> str:
        """A member is one piece of work, whatever else two records say."""
        return self.member_id

    @staticmethod
    def keys_of(values: Mapping[str, Any], unreadable: Mapping[str, str]) -> tuple[str, str] | None:
        """(key, match key) of a record's fields as far as they could be read, or None."""
        member = values.get("member_id")
        return (member, member) if member else None

    def describe(self) -> str:
        """How the console and logs name the record: no PHI."""
        return f"member {mask_member_id(self.member_id)}"


@dataclass(frozen=True)
class UnlinkRecord:
    """One practitioner to unlink from one service location of the acting group practice."""

    location: str
    practitioner: str
    end_date: dt.date
    npi: str | None = None

    contains_phi: ClassVar[bool] = False  # practitioner names and NPIs are public registry data
    key_fields: ClassVar[tuple[str, ...]] = ("location", "practitioner", "npi")

    @property
    def key(self) -> str:
        parts = [self.location.upper(), self.practitioner.upper()]
        if self.npi:
            parts.append(self.npi)
        return " / ".join(parts)

    @property
    def match_key(self) -> str:
        """The practitioner at the location, whatever the NPI. Without an NPI a record could be
        any practitioner listed under that name there, so it clashes with every record of the
        same match key; two records clash on the key alone only when both give their NPIs."""
        return f"{self.location.upper()} / {self.practitioner.upper()}"

    @staticmethod
    def keys_of(values: Mapping[str, Any], unreadable: Mapping[str, str]) -> tuple[str, str] | None:
        """(key, match key) of a record's fields as far as they could be read, or None. An NPI
        given but unreadable (`unreadable` names it) is still an NPI given."""
        if not values.get("location") or not values.get("practitioner"):
            return None
        match = f"{values['location'].upper()} / {values['practitioner'].upper()}"
        npi = values.get("npi") or unreadable.get("npi")
        return (f"{match} / {npi}" if npi else match), match

    def describe(self) -> str:
        return f"{self.practitioner} at {self.location}"


Record = DisenrollRecord | UnlinkRecord


@dataclass(frozen=True)
class RecordKind:
    """A job kind: its record type and how to parse each field a job file may give."""

    name: str
    record_type: type
    parsers: Mapping[str, Callable[[Any], Any]]

    # Cached: a job file asks these once a field of every record.
    @cached_property
    def required(self) -> frozenset[str]:
        return frozenset(f.name for f in fields(self.record_type) if f.default is MISSING)

    @cached_property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.parsers)

    def build(self, values: Mapping[str, Any]) -> Record:
        return self.record_type(**values)

    def to_fields(self, record: Record) -> dict[str, Any]:
        """The record as plain JSON-able fields (dates ISO), for the ledger and results."""
        out = {}
        for f in fields(record):
            value = getattr(record, f.name)
            out[f.name] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def from_fields(self, data: Mapping[str, Any]) -> Record:
        """The record back from the ledger's fields (a worker on another host has no job file)."""
        return self.build({name: self.parsers[name](value) for name, value in data.items() if value is not None})


def _practitioner(value: object) -> str:
    # Names are listed "LAST, FIRST" on the List of Servicing Providers.
    text = parse.label(value, "a practitioner name")
    if any(ch.isdigit() for ch in text):
        raise parse.FieldError("a practitioner name holds no digits")
    return text


KINDS: dict[str, RecordKind] = {
    "disenroll_one_care": RecordKind(
        name="disenroll_one_care",
        record_type=DisenrollRecord,
        parsers={
            "member_id": parse.member_id,
            "last_name": lambda v: parse.person_name(v, "a last name"),
            "first_name": lambda v: parse.person_name(v, "a first name"),
            "reason": lambda v: parse.label(v, "a disenrollment reason"),
        },
    ),
    "group_unlink": RecordKind(
        name="group_unlink",
        record_type=UnlinkRecord,
        parsers={
            "location": lambda v: parse.label(v, "a service location name"),
            "practitioner": _practitioner,
            "npi": parse.npi,
            "end_date": lambda v: parse.date(v, "an end date"),
        },
    ),
}


class Duplicates:
    """Finds records of one job that are the same work: each is submitted once, never twice."""

    def __init__(self) -> None:
        self._by_key: dict[str, int] = {}
        # match key -> (the first record with it, the first such record that gave no NPI)
        self._by_match: dict[str, tuple[int, int | None]] = {}

    def earlier(self, key: str, match: str, number: int, *, given: list[str]) -> tuple[int, str] | None:
        """The earlier record this one repeats and why, or None (and this one is remembered).
        Known by its keys only, so that a record with a field in error still has its
        duplicates told at once, not once that field is fixed."""
        if key in self._by_key:
            return self._by_key[key], f"same {', '.join(given)}"
        # Only an unlink's key and match key differ: by the NPI it gives.
        vague = key == match
        first, first_vague = self._by_match.get(match, (None, None))
        earlier = first if vague else first_vague
        if earlier is not None:
            return earlier, "same location and practitioner, and one of them gives no NPI to tell them apart"
        self._by_key[key] = number
        self._by_match[match] = (first or number, first_vague or (number if vague else None))
        return None
