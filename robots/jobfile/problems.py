"""What is wrong with a job's files: the problems collected in one validation pass, with
messages that name the file, line, record and field and never echo a member's ID."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

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
    meant = re.sub(r"[\s\-]+", "_", str(key).strip().lower())
    if meant in allowed and meant != key:
        # A spreadsheet's column title ("Member ID", "Last Name") for a field's name.
        return f"unknown key '{shown_key(key)}'; did you mean `{meant}`? (name the column as the field is named)"
    return f"unknown key '{shown_key(key)}'; expected one of: {', '.join(sorted(allowed))}"
