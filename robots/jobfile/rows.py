"""Rows: a job's records as read (from `records:` or a CSV file), before their fields are
parsed; and the records built from them, field by field, with every problem noted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from robots import fields as parse
from robots.jobfile import yaml_strict
from robots.jobfile.problems import Problems, kind_of, shown_key, unknown_key_message
from robots.records import Duplicates, Record, RecordKind


class Row(NamedTuple):  # not a frozen dataclass: a 100,000-row file makes 100,000 of these
    number: int
    values: Mapping[str, Any]
    line: int | None
    field_lines: Mapping[str, int]
    file: str


@dataclass(frozen=True)
class Defaults:
    values: Mapping[str, Any]  # parsed, valid ones only
    given: frozenset[str]  # every record field the defaults name, valid or not


NO_DEFAULTS = Defaults({}, frozenset())


def yaml_rows(records: object, root, lines: dict, problems: Problems) -> Iterator[Row]:
    if not isinstance(records, list):
        problems.add(f"`records:` must be a list of mappings, not {kind_of(records)}", field="records",
                     line=lines.get("records"))
        return
    nodes = yaml_strict.items(yaml_strict.child(root, "records"))
    for number, (values, node) in enumerate(zip(records, nodes, strict=True), start=1):
        line = node.start_mark.line + 1
        if not isinstance(values, dict):
            problems.add(f"a record must be a mapping of fields, not {kind_of(values)}", record=number, line=line)
            continue
        yield Row(number, values, line, yaml_strict.mapping_lines(node), problems.file)


def build_records(
    rows: Iterable[Row], kind: RecordKind, defaults: Defaults, problems: Problems
) -> tuple[list[Record], list[int | None]]:
    records: list[Record] = []
    record_lines: list[int | None] = []
    duplicates = Duplicates()
    allowed, required, parsers = kind.allowed, kind.required, kind.parsers
    key_fields, keys_of = kind.record_type.key_fields, kind.record_type.keys_of
    for row in rows:
        parsed = dict(defaults.values)
        unreadable: dict[str, str] = {}
        for key, value in row.values.items():
            if key not in allowed:
                _field_problem(problems, row, key, unknown_key_message(key, allowed))
                unreadable[key] = f"(unreadable, record {row.number})"
                continue
            try:
                parsed[key] = parsers[key](value)
            except parse.FieldError as error:
                _field_problem(problems, row, key, str(error))
                unreadable[key] = f"(unreadable, record {row.number})"
        # Duplicates are told from whatever fields could be read, so that one error does not
        # hide another: a row repeating a row with a bad NPI is named now, not once it is fixed.
        if (keys := keys_of(parsed, unreadable)) and (
            earlier := duplicates.earlier(*keys, row.number,
                                          given=[f for f in key_fields if f in parsed or f in unreadable])
        ):
            problems.add(f"duplicate of record {earlier[0]} ({earlier[1]})", file=row.file, record=row.number,
                         field=key_fields[0], line=row.line)
            continue
        if absent := required - parsed.keys():
            # A field given but invalid (here or in `defaults:`) has its error already.
            for missing in sorted(absent - row.values.keys() - defaults.given):
                problems.add("missing (give it in the record or in `defaults:`)", file=row.file, record=row.number,
                             field=missing, line=row.line)
            continue
        if unreadable:
            continue
        records.append(kind.build(parsed))
        record_lines.append(row.line)
    return records, record_lines


def _field_problem(problems: Problems, row: Row, key: object, message: str) -> None:
    line = row.field_lines.get(key, row.line) if isinstance(key, str) else row.line
    problems.add(message, file=row.file, record=row.number, field=shown_key(key), line=line)
