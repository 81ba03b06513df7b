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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from robots import fields as parse
from robots import yaml_strict
from robots.errors import JobFileError, JobFileErrors
from robots.masking import redact
from robots.records import KINDS, Duplicates, Record, RecordKind

TOP_LEVEL_KEYS = {"job", "name", "provider_id", "portal", "defaults", "records", "records_file"}
CREDENTIAL_KEYS = {"user", "username", "user_id", "password", "passwd", "secret", "token", "credentials"}
MAX_JOB_BYTES = 64 * 1024 * 1024
MAX_RECORDS_FILE_BYTES = 512 * 1024 * 1024
MAX_ERRORS = 200  # about what a terminal's scrollback keeps


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
    """Collects errors for one job so a user sees all of them in one pass (up to a screenful or
    so: a 100,000-row file with one bad column must not print 100,000 lines)."""

    file: str
    errors: list[JobFileError] = field(default_factory=list)
    dropped: int = 0

    def add(self, message: str, *, file: str | None = None, **where: Any) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(JobFileError(message, file=file or self.file, **where))
        else:
            self.dropped += 1

    def stop(self, message: str, **where: Any) -> NoReturn:
        """For a problem that leaves nothing further to check."""
        self.add(message, **where)
        self.raise_if_any()
        raise AssertionError("unreachable")

    def raise_if_any(self) -> None:
        if self.dropped:
            self.errors.append(JobFileError(f"and {self.dropped} more errors not shown", file=self.file))
            self.dropped = 0
        JobFileErrors.raise_if_any(self.errors)


class _Unreadable(Exception):
    """The file cannot be had at all (missing, a directory, a device, too large)."""


class _NotText(_Unreadable):
    """The file was read but is not UTF-8 text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


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
    try:
        text = _read_text(path, MAX_JOB_BYTES)
    except _Unreadable as error:
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
            f"a job file is a mapping with `job:`, `provider_id:` and `records:`, not {_kind_of(document)}", line=1
        )
    problems.raise_if_any()
    assert isinstance(document, dict)

    lines = yaml_strict.mapping_lines(root)
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            problems.add(_unknown_key_message(key, TOP_LEVEL_KEYS), line=lines.get(key), field=_shown_key(key))

    kind = _job_kind(document, lines, problems)
    provider_id = _top_value(document, "provider_id", parse.provider_id, lines, problems, required=True)
    name = _top_value(document, "name", lambda v: parse.label(v, "a job name"), lines, problems)
    portal = _top_value(document, "portal", parse.portal_url, lines, problems)
    defaults = _defaults(document, root, kind, lines, problems)

    records: list[Record] = []
    record_lines: list[int | None] = []
    if kind:
        rows = _rows(path, document, root, lines, kind, defaults, problems)
        records, record_lines = _build_records(rows, kind, defaults, problems)
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
        lines=tuple(record_lines),
    )


def _read_text(path: Path, limit: int) -> str:
    """The file's text, or _Unreadable saying why not (a message that follows the file's name)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _Unreadable("no such file") from None
    except ValueError:  # a NUL in the path: Python refuses it before asking the system
        raise _Unreadable("is not a usable file name (it contains a NUL character)") from None
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _Unreadable("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Checked before opening: reading a FIFO or a terminal would wait forever.
        raise _Unreadable("is not a regular file")
    if info.st_size > limit:
        raise _Unreadable(f"is larger than {limit // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror})") from None
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        raise _NotText(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on this line); save it as UTF-8", bad_line
        ) from None


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text" if isinstance(value, str) else "empty"


def _shown_key(key: object) -> str:
    """A key as messages quote it. A key is usually a misspelt field name, but a record written
    wrongly can put a member ID in a key's place, so 12-digit runs are masked."""
    text = redact(str(key))
    return text if len(text) <= 40 else text[:40] + "…"


def _unknown_key_message(key: object, allowed: set[str] | frozenset[str]) -> str:
    if str(key).lower() in CREDENTIAL_KEYS:
        return (
            f"'{key}' is not allowed: credentials never go in a job file; "
            "set POSC_USER and POSC_PASSWORD (or the keyring) instead"
        )
    return f"unknown key '{_shown_key(key)}'; expected one of: {', '.join(sorted(allowed))}"


def _job_kind(document: Mapping, lines: dict, problems: _Problems) -> RecordKind | None:
    value = document.get("job")
    if value is None:
        problems.add(f"missing `job:`; one of: {', '.join(KINDS)}", field="job", line=lines.get("job", 1))
        return None
    if not isinstance(value, str):
        problems.add(f"`job:` is one kind, not {_kind_of(value)}; one of: {', '.join(KINDS)}",
                     field="job", line=lines.get("job"))
        return None
    kind = KINDS.get(value)
    if kind is None:
        problems.add(
            f"unknown job kind '{_shown_key(value)}'; one of: {', '.join(KINDS)}", field="job", line=lines.get("job")
        )
    return kind


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


@dataclass(frozen=True)
class _Defaults:
    values: Mapping[str, Any]  # parsed, valid ones only
    given: frozenset[str]  # every record field the defaults name, valid or not


NO_DEFAULTS = _Defaults({}, frozenset())


def _defaults(document: Mapping, root, kind: RecordKind | None, lines: dict, problems: _Problems) -> _Defaults:
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
        where = {"field": f"defaults.{_shown_key(key)}", "line": field_lines.get(key, lines.get("defaults"))}
        if key not in kind.allowed:
            problems.add(_unknown_key_message(key, kind.allowed), **where)
            continue
        try:
            values[key] = kind.parsers[key](value)
        except parse.FieldError as error:
            problems.add(str(error), **where)
    return _Defaults(values, frozenset(defaults.keys() & kind.allowed))


class _Row(NamedTuple):  # not a frozen dataclass: a 100,000-row file makes 100,000 of these
    number: int
    values: Mapping[str, Any]
    line: int | None
    field_lines: Mapping[str, int]
    file: str


def _rows(path: Path, document: Mapping, root, lines: dict, kind: RecordKind, defaults: _Defaults,
          problems: _Problems) -> Iterator[_Row]:
    has_records, has_file = "records" in document, "records_file" in document
    if has_records == has_file:
        # Both given: point at the second, where the clash shows.
        problems.add(
            "give either `records:` (a list) or `records_file:` (a CSV file), exactly one of them",
            line=max(lines.get("records", 1), lines.get("records_file", 1)),
        )
        return iter(())
    if has_records:
        return _yaml_rows(document["records"], root, lines, problems)
    return _csv_rows(path, document["records_file"], lines.get("records_file"), kind, defaults, problems)


def _yaml_rows(records: object, root, lines: dict, problems: _Problems) -> Iterator[_Row]:
    if not isinstance(records, list):
        problems.add(f"`records:` must be a list of mappings, not {_kind_of(records)}", field="records",
                     line=lines.get("records"))
        return
    nodes = yaml_strict.items(yaml_strict.child(root, "records"))
    for number, (values, node) in enumerate(zip(records, nodes, strict=True), start=1):
        line = node.start_mark.line + 1
        if not isinstance(values, dict):
            problems.add(f"a record must be a mapping of fields, not {_kind_of(values)}", record=number, line=line)
            continue
        yield _Row(number, values, line, yaml_strict.mapping_lines(node), problems.file)


def _csv_rows(path: Path, value: object, line: int | None, kind: RecordKind, defaults: _Defaults,
              problems: _Problems) -> Iterator[_Row]:
    where = {"field": "records_file", "line": line}
    if not isinstance(value, str) or not value.strip():
        problems.add("`records_file:` must be the path of a CSV file", **where)
        return
    if Path(value).suffix.lower() != ".csv":
        problems.add(f"records_file '{_shown_key(value)}' must be a .csv file", **where)
        return
    # Relative to the job file, not to wherever `posc` was started.
    csv_path = path.parent / value
    try:
        text = _read_text(csv_path, MAX_RECORDS_FILE_BYTES)
    except _NotText as error:
        problems.add(str(error), file=str(csv_path), line=error.line)
        return
    except _Unreadable as error:
        problems.add(f"{str(csv_path)!r}: {error}", **where)
        return
    yield from _parse_csv(text, str(csv_path), kind, defaults, problems)


def _parse_csv(text: str, file: str, kind: RecordKind, defaults: _Defaults, problems: _Problems) -> Iterator[_Row]:
    if not text.strip():
        problems.add("the records file is empty", file=file)
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as error:
        problems.add(_csv_message(error), file=file, line=1)
        return
    if not _header_ok(header, file, kind, defaults, problems):
        return  # the rows of a wrong header mean nothing: one error a column, not one a row
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(_csv_message(error), file=file, line=start)
            return
        values = {column: cell for column, cell in zip(header, cells, strict=False) if cell.strip()}
        if not values and not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        number += 1
        if len(cells) > len(header):
            problems.add(f"has {len(cells)} cells but the header names {len(header)} columns",
                         file=file, record=number, line=start)
            continue
        yield _Row(number, values, start, {}, file)


def _csv_message(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return "not valid CSV: a quoted cell is never closed"
    return f"not valid CSV: {error}"


def _header_ok(header: list[str], file: str, kind: RecordKind, defaults: _Defaults, problems: _Problems) -> bool:
    before = len(problems.errors)
    seen: set[str] = set()
    for column in header:
        if not column:
            problems.add("a column has no name", file=file, line=1)
        elif column in seen:
            problems.add(f"the column '{_shown_key(column)}' appears twice", file=file, line=1,
                         field=_shown_key(column))
        elif column not in kind.allowed:
            problems.add(_unknown_key_message(column, kind.allowed), file=file, line=1, field=_shown_key(column))
        seen.add(column)
    for missing in sorted(kind.required - seen - defaults.given):
        problems.add("no such column (give it as a column or in `defaults:`)", file=file, line=1, field=missing)
    return len(problems.errors) == before


def _build_records(
    rows: Iterable[_Row], kind: RecordKind, defaults: _Defaults, problems: _Problems
) -> tuple[list[Record], list[int | None]]:
    records: list[Record] = []
    record_lines: list[int | None] = []
    duplicates = Duplicates()
    allowed, required, parsers = kind.allowed, kind.required, kind.parsers
    for row in rows:
        parsed = dict(defaults.values)
        ok = True
        for key, value in row.values.items():
            if key not in allowed:
                _field_problem(problems, row, key, _unknown_key_message(key, allowed))
                ok = False
                continue
            try:
                parsed[key] = parsers[key](value)
            except parse.FieldError as error:
                _field_problem(problems, row, key, str(error))
                ok = False
        if absent := required - parsed.keys():
            # A field given but invalid (here or in `defaults:`) has its error already.
            for missing in sorted(absent - row.values.keys() - defaults.given):
                problems.add("missing (give it in the record or in `defaults:`)", file=row.file, record=row.number,
                             field=missing, line=row.line)
            continue
        if not ok:
            continue
        record = kind.build(parsed)
        if earlier := duplicates.earlier(record, row.number):
            problems.add(f"duplicate of record {earlier[0]} ({earlier[1]})", file=row.file, record=row.number,
                         field=kind.record_type.key_fields[0], line=row.line)
            continue
        records.append(record)
        record_lines.append(row.line)
    return records, record_lines


def _field_problem(problems: _Problems, row: _Row, key: object, message: str) -> None:
    line = row.field_lines.get(key, row.line) if isinstance(key, str) else row.line
    problems.add(message, file=row.file, record=row.number, field=_shown_key(key), line=line)
