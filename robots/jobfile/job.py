"""Job files: read a YAML job (and its CSV records file), validate every record, and return a
typed `Job` — or every problem at once, each naming the file, the line or record, and the field.

Nothing here touches a browser or the network: `posc validate` and `posc run` call `load_job`
before anything else.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from robots import fields as parse
from robots.errors import JobFileError
from robots.jobfile import yaml_strict
from robots.jobfile.csv_rows import csv_rows
from robots.jobfile.problems import Problems, kind_of, shown_key, unknown_key_message
from robots.jobfile.rows import NO_DEFAULTS, Defaults, Row, build_records, yaml_rows
from robots.jobfile.text_file import Unreadable, read_text
from robots.masking import redact
from robots.records import KINDS, Record, RecordKind

TOP_LEVEL_KEYS = {"job", "name", "provider_id", "portal", "certified_by", "defaults", "records", "records_file"}
MAX_JOB_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Job:
    path: Path
    kind: RecordKind
    provider_id: str
    records: tuple[Record, ...]
    name: str | None = None
    portal: str | None = None
    # group_unlink: the person who certifies the Agreement (the robot only ticks the box).
    certified_by: Certifier | None = None
    # The job file and its records file: what the job's checksum covers.
    files: tuple[Path, ...] = field(default=(), repr=False, compare=False)
    lines: tuple[int | None, ...] = field(default=(), repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.name or self.path.stem

    def checksum(self) -> str:
        """SHA-256 of the job file and its records file, as they are now: what a person
        confirms and what the report names."""
        digest = hashlib.sha256()
        for file in self.files or (self.path,):
            digest.update(file.read_bytes())
        return digest.hexdigest()

    def past_end_dates(self, today: dt.date, *, finished: Collection[str] = ()) -> list[JobFileError]:
        """Unlink records whose end date is before `today`: the portal refuses an end date in
        the past. Checked on the day of the run (the job may have been written days before),
        so records a run already finished are left out: a resume is never refused for them."""
        problems = []
        records_file = self.files[-1] if len(self.files) > 1 else self.path
        for number, (record, line) in enumerate(zip(self.records, self.lines or [None] * len(self.records),
                                                     strict=True), start=1):
            end_date = getattr(record, "end_date", None)
            if end_date is not None and end_date < today and record.key not in finished:
                problems.append(JobFileError(
                    f"the end date {parse.us_date(end_date)} is before today ({parse.us_date(today)}): "
                    "the portal refuses an end date in the past", file=records_file, record=number,
                    field="end_date", line=line))
        return problems

    @property
    def identity(self) -> str:
        """What a run folder belongs to: a resume must run the same kind for the same provider."""
        return f"{self.kind.name}:{self.provider_id}"


def load_job(path: str | Path) -> Job:
    """Read and validate a job file. Raises JobFileErrors listing every problem found."""
    # A large job makes hundreds of thousands of small objects at once, and the cyclic GC
    # would rescan them again and again (8 s instead of 2 s for 100,000 records). Nothing
    # here makes reference cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_job(Path(path))
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_job(path: Path) -> Job:
    problems = Problems(str(path))
    try:
        text = read_text(path, MAX_JOB_BYTES)
    except Unreadable as error:
        problems.stop(str(error), line=getattr(error, "line", None))
    try:
        document, root = yaml_strict.load(text)
    except yaml_strict.YamlProblem as problem:
        # libyaml's messages quote little, but a duplicate key may be a member ID.
        problems.stop(redact(problem.message), line=problem.line)

    if document is None:
        problems.add("the job file is empty (nothing but blank lines or comments)")
    elif not isinstance(document, dict):
        problems.add(
            f"a job file is a mapping with `job:`, `provider_id:` and `records:`, not {kind_of(document)}", line=1
        )
    problems.raise_if_any()
    assert isinstance(document, dict)

    lines = yaml_strict.mapping_lines(root)
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            problems.add(unknown_key_message(key, TOP_LEVEL_KEYS), line=lines.get(key), field=shown_key(key))

    kind = _job_kind(document, lines, problems)
    provider_id = _top_value(document, "provider_id", parse.provider_id, lines, problems, required=True)
    name = _top_value(document, "name", lambda v: parse.label(v, "a job name"), lines, problems)
    portal = _top_value(document, "portal", parse.portal_url, lines, problems)
    certified_by = _certifier(document, root, kind, lines, problems)
    defaults = _defaults(document, root, kind, lines, problems)

    records: list[Record] = []
    record_lines: list[int | None] = []
    if kind:
        rows = _rows(path, document, root, lines, kind, defaults, problems)
        records, record_lines = build_records(rows, kind, defaults, problems)
        if not problems.errors and not records:
            problems.add("the job has no records", line=lines.get("records") or lines.get("records_file"))
    problems.raise_if_any()
    assert kind is not None and provider_id is not None
    return Job(
        path=path,
        kind=kind,
        provider_id=provider_id,
        records=tuple(records),
        name=name,
        portal=portal,
        certified_by=certified_by,
        files=(path, *_records_file(path, document)),
        lines=tuple(record_lines),
    )


def _job_kind(document: Mapping, lines: dict, problems: Problems) -> RecordKind | None:
    value = document.get("job")
    if value is None:
        problems.add(f"missing `job:`; one of: {', '.join(KINDS)}", field="job", line=lines.get("job", 1))
        return None
    if not isinstance(value, str):
        problems.add(f"`job:` is one kind, not {kind_of(value)}; one of: {', '.join(KINDS)}",
                     field="job", line=lines.get("job"))
        return None
    kind = KINDS.get(value)
    if kind is None:
        problems.add(
            f"unknown job kind '{shown_key(value)}'; one of: {', '.join(KINDS)}", field="job", line=lines.get("job")
        )
    return kind


def _records_file(path: Path, document: Mapping) -> tuple[Path, ...]:
    value = document.get("records_file")
    return (path.parent / value,) if isinstance(value, str) else ()


@dataclass(frozen=True)
class Certifier:
    """Who certifies an unlink's Agreement, "under the pains and penalties of perjury"."""

    name: str
    title: str

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


CERTIFIER_KEYS = ("name", "title")


def _certifier(document: Mapping, root, kind: RecordKind | None, lines: dict, problems: Problems) -> Certifier | None:
    value = document.get("certified_by")
    where = {"field": "certified_by", "line": lines.get("certified_by", 1)}
    if kind is None:
        return None
    if kind.name != "group_unlink":
        if value is not None:
            problems.add("only a group_unlink job has an Agreement to certify; remove `certified_by:`", **where)
        return None
    if value is None:
        problems.add(
            "missing `certified_by: {name: ..., title: ...}`: the Agreement is a certification under the pains "
            "and penalties of perjury, made by a named person of the group practice (the robot only ticks the box)",
            **where,
        )
        return None
    if not isinstance(value, dict):
        problems.add(f"`certified_by:` is a mapping with `name:` and `title:`, not {kind_of(value)}", **where)
        return None
    field_lines = yaml_strict.mapping_lines(yaml_strict.child(root, "certified_by"))
    found = {}
    for key in value:
        if key not in CERTIFIER_KEYS:
            problems.add(unknown_key_message(key, set(CERTIFIER_KEYS)), field=f"certified_by.{shown_key(key)}",
                         line=field_lines.get(key, where["line"]))
    for key in CERTIFIER_KEYS:
        at = {"field": f"certified_by.{key}", "line": field_lines.get(key, where["line"])}
        if value.get(key) is None:
            problems.add(f"missing `{key}:` of the person who certifies", **at)
            continue
        try:
            found[key] = parse.label(value[key], f"the certifier's {key}")
        except parse.FieldError as error:
            problems.add(str(error), **at)
    return Certifier(found["name"], found["title"]) if len(found) == 2 else None


def _top_value(document, key, parser, lines, problems, *, required=False):
    if key not in document or document[key] is None:
        if required:
            problems.add(f"missing `{key}:`", field=key, line=lines.get(key, 1))
        return None
    try:
        return parser(document[key])
    except parse.FieldError as error:
        problems.add(str(error), field=key, line=lines.get(key))
        return None


def _defaults(document: Mapping, root, kind: RecordKind | None, lines: dict, problems: Problems) -> Defaults:
    """Parsed once, not once a record: a bad default is one error, not one per record."""
    defaults = document.get("defaults")
    if defaults is None or kind is None:
        return NO_DEFAULTS
    if not isinstance(defaults, dict):
        problems.add("`defaults:` must be a mapping of record fields", field="defaults", line=lines.get("defaults"))
        return NO_DEFAULTS
    field_lines = yaml_strict.mapping_lines(yaml_strict.child(root, "defaults"))
    values = {}
    for key, value in defaults.items():
        where = {"field": f"defaults.{shown_key(key)}", "line": field_lines.get(key, lines.get("defaults"))}
        if key not in kind.allowed:
            problems.add(unknown_key_message(key, kind.allowed), **where)
            continue
        try:
            values[key] = kind.parsers[key](value)
        except parse.FieldError as error:
            problems.add(str(error), **where)
    return Defaults(values, frozenset(defaults.keys() & kind.allowed))


def _rows(path: Path, document: Mapping, root, lines: dict, kind: RecordKind, defaults: Defaults,
          problems: Problems) -> Iterator[Row]:
    has_records, has_file = "records" in document, "records_file" in document
    if has_records == has_file:
        # Both given: point at the second, where the clash shows.
        problems.add(
            "give either `records:` (a list) or `records_file:` (a CSV file), exactly one of them",
            line=max(lines.get("records", 1), lines.get("records_file", 1)),
        )
        return iter(())
    if has_records:
        return yaml_rows(document["records"], root, lines, problems)
    return csv_rows(path, document["records_file"], lines.get("records_file"), kind, defaults.given, problems)


