"""The unlink's Agreement: a certification "under the pains and penalties of perjury". The
robot ticks the box; the person the job names (`certified_by`) is the one who certifies.

Before the run's first Agreement, that person confirms once, having read the text the portal
shows: at the terminal, or ahead of time with `--certify NAME` for a run nobody watches. The
run records who certified, when, how, and the text exactly as the Agreement panel showed it.
An Agreement whose text differs from the one certified is certified again (or, unattended,
stops the run): a person agrees to a text, not to whatever the portal shows next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from robots.errors import ConfigError, NotCertified
from robots.jobfile.job import Certifier


@dataclass(frozen=True)
class Certified:
    name: str
    title: str
    at: str
    how: str  # "at the terminal" or "--certify"
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "certified_at": self.at, "how": self.how, "text": self.text}


def same_person(given: str, named: str) -> bool:
    return " ".join(given.split()).casefold() == " ".join(named.split()).casefold()


class Certification:
    def __init__(
        self,
        certifier: Certifier,
        *,
        certify: str | None,
        ask: Callable[[str], bool] | None,
        note: Callable[[str], None] = lambda text: None,
    ) -> None:
        """`certify`: the name given with --certify (must be the job's); `ask`: a yes/no
        question to the person at the terminal (None: nobody is there)."""
        if certify is not None and not same_person(certify, certifier.name):
            raise ConfigError(
                f"--certify names {certify!r}, but the job says the Agreement is certified by {certifier.name!r}; "
                "only the person the job names may certify"
            )
        if certify is None and ask is None:
            raise ConfigError(
                f"this unlink job's Agreement must be certified by {certifier}: run it at a terminal to confirm, "
                f"or pass --certify {certifier.name!r} for a run nobody watches"
            )
        self.certifier = certifier
        self.pre_approved = certify is not None
        self.ask = ask
        self.note = note
        self.records: list[Certified] = []
        self._lock: asyncio.Lock | None = None

    async def certify(self, text: str) -> None:
        """Returns once the named person has certified `text`; raises NotCertified otherwise."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.records and self.records[-1].text == text:
                return
            changed = bool(self.records)
            if self.pre_approved and not changed:
                self._record("--certify", text)
                self.note(f"the Agreement is certified by {self.certifier} (--certify)")
                return
            if self.ask is None:
                raise NotCertified(self.certifier.name, "the Agreement's text changed since it was certified")
            question = self._question(text, changed=changed)
            agreed = await asyncio.get_running_loop().run_in_executor(None, self.ask, question)
            if not agreed:
                raise NotCertified(self.certifier.name, "the answer was not yes")
            self._record("at the terminal", text)

    def _question(self, text: str, *, changed: bool) -> str:
        again = "The Agreement's text has changed since you certified it. " if changed else ""
        return (
            f"{again}The portal's Agreement panel says:\n\n    {text}\n\n"
            f"{self.certifier.name} ({self.certifier.title}): do you certify this for every unlink of this run?"
        )

    def _record(self, how: str, text: str) -> None:
        at = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
        self.records.append(Certified(self.certifier.name, self.certifier.title, at, how, text))
