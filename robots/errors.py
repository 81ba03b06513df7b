"""The one tree of posc-robot's errors.

    PoscError
    ├── JobFileError        bad input: names the file, the record (or line) and the field
    │   └── JobFileErrors   all of a file's errors at once (what `posc validate` prints)
    ├── ConfigError         bad command line or environment (credentials, live mode, output folder)
    │   └── RunLocked       another `posc run` holds the output folder
    ├── SelectorError       a panel's control found 0 or several times: the portal changed
    ├── Rejection           BUSINESS: the portal said no; retrying will not change it
    │   ├── Ambiguity       the record matches several rows: refused, never guessed
    │   └── NotOffered      the record asks for an option a list does not offer
    ├── TransientError      APPLICATION: the system failed; retry after restoring the session
    │   ├── ServerError     the portal answered 5xx (or not at all) to a page request
    │   ├── SessionExpired  the portal showed its login panel again
    │   ├── BrowserCrashed  the browser or its context went away
    │   └── AmbiguousSubmit a Submit whose outcome is unknown: read the portal before acting
    └── PortalError         the portal as a whole cannot be worked: stop the run
        ├── LoginRefused    the portal refused the credentials: never retried
        ├── NotCertified    the person named to certify the Agreement did not
        ├── PortalMismatch  the portal acts for another provider than the job names
        └── PortalDown      many system failures in a row: the rest stays pending for a resume

Every error carries the facts its message needs, so a caller can report it without parsing text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path


class PoscError(Exception):
    """Base of every error posc-robot raises on purpose."""


class JobFileError(PoscError):
    """A job file or records file that cannot be run as written."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path,
        record: int | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = str(file)
        self.record = record
        self.field = field
        self.line = line
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{': '.join(where)}: {self.reason}"


class JobFileErrors(JobFileError):
    """Every problem found in one validation pass, so a user fixes them all at once."""

    def __init__(self, errors: Sequence[JobFileError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        PoscError.__init__(self, "\n".join(str(e) for e in self.errors))
        self.file, self.record, self.field, self.line = first.file, first.record, first.field, first.line
        self.reason = first.reason

    @classmethod
    def raise_if_any(cls, errors: Iterable[JobFileError]) -> None:
        errors = list(errors)
        if errors:
            raise cls(errors)


class ConfigError(PoscError):
    """The command line or environment does not allow the run (nothing was started)."""


class RunLocked(ConfigError):
    def __init__(self, out_dir: str | Path, holder: str) -> None:
        self.out_dir = str(out_dir)
        self.holder = holder
        super().__init__(
            f"{self.out_dir} is in use by another posc run ({holder}); "
            "wait for it to finish or choose another --out"
        )


class SelectorError(PoscError):
    """A panel's control did not resolve to exactly one element."""

    def __init__(self, panel: str, key: str, *, found: int, detail: str = "") -> None:
        self.panel = panel
        self.key = key
        self.found = found
        self.detail = detail
        what = "not found" if found == 0 else f"ambiguous: {found} elements match"
        extra = f" ({detail})" if detail else ""
        super().__init__(f"panel '{panel}': control '{key}' {what}{extra}")


class Rejection(PoscError):
    """The portal refused the record for a business reason. Recorded, never retried."""

    def __init__(self, message: str, *, panel: str | None = None) -> None:
        self.message = message
        self.panel = panel
        super().__init__(message)


class Ambiguity(Rejection):
    """The record's names match several rows of a panel; the robot never guesses which."""


class NotOffered(Rejection):
    """The record asks for an option the portal's list does not offer (a Disenrollment Reason):
    the record's mistake, refused with what the list does offer."""

    def __init__(self, panel: str, what: str, option: str, offered: Sequence[str]) -> None:
        self.what = what
        self.option = option
        self.offered = tuple(offered)
        super().__init__(f"the {what} list offers no {option!r}; it offers: {', '.join(self.offered)}", panel=panel)


class TransientError(PoscError):
    """The system failed (timeout, 5xx, lost connection). Retried with backoff."""


class ServerError(TransientError):
    """The portal answered a page with a server error, or did not answer in time."""


class SessionExpired(TransientError):
    def __init__(self, panel: str | None = None) -> None:
        self.panel = panel
        where = f" on panel '{panel}'" if panel else ""
        super().__init__(f"the portal session expired{where}")


class BrowserCrashed(TransientError):
    pass


class AmbiguousSubmit(TransientError):
    """A Submit was clicked and its outcome is unknown. The next attempt reads the portal
    state first and never clicks Submit again blindly."""

    def __init__(self, key: str, cause: str) -> None:
        self.key = key
        self.cause = cause
        super().__init__(f"outcome of the Submit unknown ({cause}); the portal will be read first")


class PortalError(PoscError):
    """The portal as a whole cannot be worked; the run stops and the rest stays pending."""


class LoginRefused(PortalError):
    def __init__(self, portal: str, message: str) -> None:
        self.portal = portal
        super().__init__(f"the portal at {portal} refused the login: {message}")


class NotCertified(PortalError):
    """The unlink's Agreement is a certification under the pains and penalties of perjury,
    made by a named person: without that person's yes, nothing is submitted."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        super().__init__(f"{name} did not certify the Agreement ({reason}): no unlink was submitted")


class PortalMismatch(PortalError):
    pass


class PortalDown(PortalError):
    def __init__(self, failures: int, last_error: str, pending: int | None = None) -> None:
        self.failures = failures
        self.last_error = last_error
        self.pending = pending
        left = f"; {pending} records left pending" if pending is not None else ""
        super().__init__(
            f"stopped after {failures} system failures in a row (last: {last_error}){left}; "
            "run the same command again to resume"
        )
