"""What is wrong with a job's files: the problems collected in one validation pass, and the
reading of its text files, with messages that name the file, line, record and field and
never echo a member's ID."""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from robots.errors import JobFileError, JobFileErrors
from robots.masking import redact

CREDENTIAL_KEYS = {"user", "username", "user_id", "password", "passwd", "secret", "token", "credentials"}
MAX_ERRORS = 200  # about what a terminal's scrollback keeps


@dataclass
class Problems:
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


class Unreadable(Exception):
    """The file cannot be had at all (missing, a directory, a device, too large)."""


class NotText(Unreadable):
    """The file was read but is not UTF-8 text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class Row(NamedTuple):  # not a frozen dataclass: a 100,000-row file makes 100,000 of these
    number: int
    values: Mapping[str, Any]
    line: int | None
    field_lines: Mapping[str, int]
    file: str



def read_text(path: Path, limit: int) -> str:
    """The file's text, or Unreadable saying why not (a message that follows the file's name)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except ValueError:  # a NUL in the path: Python refuses it before asking the system
        raise Unreadable("is not a usable file name (it contains a NUL character)") from None
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Checked before opening: reading a FIFO or a terminal would wait forever.
        raise Unreadable("is not a regular file")
    if info.st_size > limit:
        raise Unreadable(f"is larger than {limit // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        raise NotText(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on this line); save it as UTF-8", bad_line
        ) from None


def kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text" if isinstance(value, str) else "empty"


def shown_key(key: object) -> str:
    """A key as messages quote it. A key is usually a misspelt field name, but a record written
    wrongly can put a member ID in a key's place, so 12-digit runs are masked."""
    text = redact(str(key))
    return text if len(text) <= 40 else text[:40] + "…"


def unknown_key_message(key: object, allowed: set[str] | frozenset[str]) -> str:
    if str(key).lower() in CREDENTIAL_KEYS:
        return (
            f"'{key}' is not allowed: credentials never go in a job file; "
            "set POSC_USER and POSC_PASSWORD (or the keyring) instead"
        )
    return f"unknown key '{shown_key(key)}'; expected one of: {', '.join(sorted(allowed))}"
