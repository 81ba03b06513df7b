"""Job files: read a YAML job (and its CSV records file), validate every record, and return a
typed `Job` — or every problem at once, each naming the file, the line or record, and the field.

Nothing here touches a browser or the network: `posc validate` and `posc run` call `load_job`
before anything else.
"""

from __future__ import annotations

import csv
import gc
import io
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robots import fields as parse
from robots import yaml_strict
from robots.errors import JobFileError, JobFileErrors
from robots.records import KINDS, Record, RecordKind

TOP_LEVEL_KEYS = {"job", "name", "provider_id", "portal", "defaults", "records", "records_file"}
CREDENTIAL_KEYS = {"user", "username", "user_id", "password", "passwd", "secret", "token", "credentials"}
MAX_JOB_BYTES = 64 * 1024 * 1024
MAX_RECORDS_FILE_BYTES = 512 * 1024 * 1024
MAX_ERRORS = 200


@dataclass(frozen=True)
class Job:
    path: Path
    kind: RecordKind
    provider_id: str
    records: tuple[Record, ...]
    name: str | None = None
    portal: str | None = None
    lines: tuple[int | None, ...] = field(default=(), repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.name or self.path.stem

    @property
    def identity(self) -> str:
        """What a run folder belongs to: a resume must run the same kind for the same provider."""
        return f"{self.kind.name}:{self.provider_id}"


@dataclass
class _Problems:
    """Collects errors for one file so a user sees all of them in one pass."""

    file: str
    errors: list[JobFileError] = field(default_factory=list)

    def add(self, message: str, **where: Any) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(JobFileError(message, file=self.file, **where))

    def raise_if_any(self) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(
                JobFileError(f"stopped after {MAX_ERRORS} errors", file=self.file)
            )
        JobFileErrors.raise_if_any(self.errors)


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
    problems = _Problems(str(path))
    text = _read_text(path, MAX_JOB_BYTES, problems)
    problems.raise_if_any()
    try:
        document, root = yaml_strict.load(text)
    except yaml_strict.YamlProblem as problem:
        problems.add(problem.message, line=problem.line)
        problems.raise_if_any()
        raise AssertionError("unreachable") from None

    if document is None:
        problems.add("the job file is empty")
    elif not isinstance(document, dict):
        problems.add("a job file is a mapping with `job:`, `provider_id:` and `records:`", line=1)
    problems.raise_if_any()
    assert isinstance(document, dict)

    lines = yaml_strict.mapping_lines(root)
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            problems.add(_unknown_key_message(key, TOP_LEVEL_KEYS), line=lines.get(str(key)), field=str(key))

    kind = _job_kind(document, lines, problems)
    provider_id = _top_value(document, "provider_id", parse.provider_id, lines, problems, required=True)
    name = _top_value(document, "name", lambda v: parse.label(v, "a job name"), lines, problems)
    portal = _top_value(document, "portal", parse.portal_url, lines, problems)
    defaults = _defaults(document, kind, lines, problems)

    rows = list(_rows(path, document, root, lines, problems))
    records, record_lines = _build_records(rows, kind, defaults, problems) if kind else ([], [])
    if kind and not problems.errors and not records:
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
        lines=tuple(record_lines),
    )


def _read_text(path: Path, limit: int, problems: _Problems, *, line: int | None = None) -> str:
    try:
        info = path.stat()
    except FileNotFoundError:
        problems.add("no such file", line=line)
        return ""
    except OSError as error:
        problems.add(f"cannot be read ({error.strerror})", line=line)
        return ""
    if stat.S_ISDIR(info.st_mode):
        problems.add("is a directory, not a file", line=line)
        return ""
    if not stat.S_ISREG(info.st_mode):
        problems.add("is not a regular file", line=line)
        return ""
    if info.st_size > limit:
        problems.add(f"is larger than {limit // (1024 * 1024)} MB", line=line)
        return ""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add(f"cannot be read ({error.strerror})", line=line)
        return ""
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        problems.add(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} at line {bad_line}); "
            "save it as UTF-8"
        )
        return ""


def _unknown_key_message(key: object, allowed: set[str] | frozenset[str]) -> str:
    if str(key).lower() in CREDENTIAL_KEYS:
        return (
            f"'{key}' is not allowed: credentials never go in a job file; "
            "set POSC_USER and POSC_PASSWORD (or the keyring) instead"
        )
    return f"unknown key '{key}'; expected one of: {', '.join(sorted(allowed))}"


def _job_kind(document: Mapping, lines: dict, problems: _Problems) -> RecordKind | None:
    value = document.get("job")
    if value is None:
        problems.add(f"missing `job:`; one of: {', '.join(KINDS)}", field="job", line=1)
        return None
    kind = KINDS.get(value) if isinstance(value, str) else None
    if kind is None:
        problems.add(
            f"unknown job kind {value!r}; one of: {', '.join(KINDS)}",
            field="job",
            line=lines.get("job"),
        )
    return kind


def _top_value(document, key, parser, lines, problems, *, required=False):
    if key not in document or document[key] is None:
        if required:
            problems.add(f"missing `{key}:`", field=key, line=1)
        return None
    try:
        return parser(document[key])
    except parse.FieldError as error:
        problems.add(str(error), field=key, line=lines.get(key))
        return None


def _defaults(document: Mapping, kind: RecordKind | None, lines: dict, problems: _Problems) -> dict:
    defaults = document.get("defaults")
    if defaults is None:
        return {}
    if not isinstance(defaults, dict):
        problems.add("`defaults:` must be a mapping of record fields", field="defaults", line=lines.get("defaults"))
        return {}
    if kind:
        for key in defaults:
            if key not in kind.allowed:
                problems.add(
                    _unknown_key_message(key, kind.allowed), field=f"defaults.{key}", line=lines.get("defaults")
                )
    return {k: v for k, v in defaults.items() if not kind or k in kind.allowed}


@dataclass(frozen=True)
class _Row:
    number: int
    values: Mapping[str, Any]
    line: int | None
    field_lines: Mapping[str, int]
    file: str


def _rows(path: Path, document: Mapping, root, lines: dict, problems: _Problems) -> Iterator[_Row]:
    has_records, has_file = "records" in document, "records_file" in document
    if has_records == has_file:
        problems.add(
            "give either `records:` (a list) or `records_file:` (a CSV file), exactly one of them",
            line=lines.get("records") or lines.get("records_file") or 1,
        )
        return
    if has_records:
        yield from _yaml_rows(path, document["records"], root, lines, problems)
    else:
        yield from _csv_rows(path, document["records_file"], lines.get("records_file"), problems)


def _yaml_rows(path: Path, records: object, root, lines: dict, problems: _Problems) -> Iterator[_Row]:
    if not isinstance(records, list):
        problems.add("`records:` must be a list of mappings", field="records", line=lines.get("records"))
        return
    nodes = yaml_strict.items(yaml_strict.child(root, "records"))
    for number, values in enumerate(records, start=1):
        node = nodes[number - 1] if number <= len(nodes) else None
        line = node.start_mark.line + 1 if node is not None else None
        if not isinstance(values, dict):
            problems.add("a record must be a mapping of fields", record=number, line=line)
            continue
        yield _Row(number, values, line, yaml_strict.mapping_lines(node), problems.file)


def _csv_rows(path: Path, value: object, line: int | None, problems: _Problems) -> Iterator[_Row]:
    if not isinstance(value, str) or not value.strip():
        problems.add("`records_file:` must be the path of a CSV file", field="records_file", line=line)
        return
    csv_path = (path.parent / value).resolve() if not Path(value).is_absolute() else Path(value)
    shown = value
    if csv_path.suffix.lower() != ".csv":
        problems.add(f"records_file {shown!r} must be a .csv file", field="records_file", line=line)
        return
    csv_problems = _Problems(str(path.parent / value) if not Path(value).is_absolute() else value)
    text = _read_text(csv_path, MAX_RECORDS_FILE_BYTES, csv_problems)
    if csv_problems.errors:
        problems.errors.extend(
            JobFileError(f"records_file {e.reason}", file=problems.file, field="records_file", line=line)
            for e in csv_problems.errors
        )
        return
    yield from _parse_csv(text, csv_problems.file, problems)


def _parse_csv(text: str, file: str, problems: _Problems) -> Iterator[_Row]:
    if not text.strip():
        problems.errors.append(JobFileError("the records file is empty", file=file))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as error:
        problems.errors.append(JobFileError(f"not valid CSV: {error}", file=file, line=1))
        return
    seen: set[str] = set()
    for column in header:
        if not column:
            problems.errors.append(JobFileError("a column has no name", file=file, line=1))
        elif column in seen:
            problems.errors.append(JobFileError(f"the column '{column}' appears twice", file=file, line=1, field=column))
        seen.add(column)
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.errors.append(JobFileError(f"not valid CSV: {error}", file=file, line=start))
            return
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        number += 1
        if len(cells) > len(header):
            problems.errors.append(
                JobFileError(f"has {len(cells)} cells but the header names {len(header)} columns", file=file, record=number, line=start)
            )
            continue
        values = {column: cell for column, cell in zip(header, cells, strict=False) if column and cell.strip()}
        yield _Row(number, values, start, {}, file)


def _build_records(
    rows: list[_Row], kind: RecordKind, defaults: dict, problems: _Problems
) -> tuple[list[Record], list[int | None]]:
    records: list[Record] = []
    record_lines: list[int | None] = []
    first_by_key: dict[str, int] = {}
    for row in rows:
        values = {**defaults, **row.values}
        parsed: dict[str, Any] = {}
        ok = True
        for key, value in values.items():
            where = {"record": row.number, "field": str(key), "line": row.field_lines.get(str(key), row.line)}
            if key not in kind.allowed:
                problems.errors.append(JobFileError(_unknown_key_message(key, kind.allowed), file=row.file, **where))
                ok = False
                continue
            try:
                parsed[key] = kind.parsers[key](value)
            except parse.FieldError as error:
                problems.errors.append(JobFileError(str(error), file=row.file, **where))
                ok = False
        for missing in sorted(kind.required - values.keys()):
            problems.errors.append(
                JobFileError("missing (give it in the record or in `defaults:`)", file=row.file, record=row.number, field=missing, line=row.line)
            )
            ok = False
        if not ok:
            continue
        record = kind.build(parsed)
        if record.key in first_by_key:
            problems.errors.append(
                JobFileError(
                    f"duplicate of record {first_by_key[record.key]} "
                    f"(same {', '.join(kind.record_type.key_fields)})",
                    file=row.file,
                    record=row.number,
                    field=kind.record_type.key_fields[0],
                    line=row.line,
                )
            )
            continue
        first_by_key[record.key] = row.number
        records.append(record)
        record_lines.append(row.line)
    return records, record_lines

