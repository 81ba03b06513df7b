"""Records from a CSV file (`records_file:`), as spreadsheets export them: UTF-8 with or
without a byte-order mark, a header row naming the record fields, blank lines at the end,
empty columns without a name (a trailing comma). Empty cells take the job's `defaults:`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from robots.jobfile.problems import Problems, shown_key, unknown_key_message
from robots.jobfile.rows import Row
from robots.jobfile.text_file import NotText, Unreadable, read_text
from robots.records import RecordKind

MAX_RECORDS_FILE_BYTES = 512 * 1024 * 1024


def csv_rows(path: Path, value: object, line: int | None, kind: RecordKind, defaults_given: frozenset[str],
              problems: Problems) -> Iterator[Row]:
    where = {"field": "records_file", "line": line}
    if not isinstance(value, str) or not value.strip():
        problems.add("`records_file:` must be the path of a CSV file", **where)
        return
    if Path(value).suffix.lower() != ".csv":
        problems.add(f"records_file '{shown_key(value)}' must be a .csv file", **where)
        return
    # Relative to the job file, not to wherever `posc` was started.
    csv_path = path.parent / value
    try:
        text = read_text(csv_path, MAX_RECORDS_FILE_BYTES)
    except NotText as error:
        problems.add(str(error), file=str(csv_path), line=error.line)
        return
    except Unreadable as error:
        problems.add(f"{str(csv_path)!r}: {error}", **where)
        return
    yield from _parse_csv(text, str(csv_path), kind, defaults_given, problems)


def _parse_csv(
    text: str, file: str, kind: RecordKind, defaults_given: frozenset[str], problems: Problems
) -> Iterator[Row]:
    if not text.strip():
        problems.add("the records file is empty", file=file)
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as error:
        problems.add(_csv_message(error), file=file, line=1)
        return
    if not _header_ok(header, file, kind, defaults_given, problems):
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
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        number += 1
        if len(cells) > len(header):
            problems.add(f"has {len(cells)} cells but the header names {len(header)} columns",
                         file=file, record=number, line=start)
            continue
        pairs = list(zip(header, cells, strict=False))
        if unnamed := [position for position, (column, cell) in enumerate(pairs, 1) if not column and cell.strip()]:
            problems.add(f"column {unnamed[0]} has a value but no name in the header row",
                         file=file, record=number, line=start)
            continue
        values = {column: cell for column, cell in pairs if column and cell.strip()}
        yield Row(number, values, start, {}, file)


def _csv_message(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return "not valid CSV: a quoted cell is never closed"
    return f"not valid CSV: {error}"


def _header_ok(
    header: list[str], file: str, kind: RecordKind, defaults_given: frozenset[str], problems: Problems
) -> bool:
    before = len(problems.errors)
    seen: set[str] = set()
    for column in header:
        if not column:
            continue  # an empty column (a trailing comma); a value in it is refused per row
        if column in seen:
            problems.add(f"the column '{shown_key(column)}' appears twice", file=file, line=1,
                         field=shown_key(column))
        elif column not in kind.allowed:
            problems.add(unknown_key_message(column, kind.allowed), file=file, line=1, field=shown_key(column))
        seen.add(column)
    for missing in sorted(kind.required - seen - defaults_given):
        problems.add("no such column (give it as a column or in `defaults:`)", file=file, line=1, field=missing)
    return len(problems.errors) == before
