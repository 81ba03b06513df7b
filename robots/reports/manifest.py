"""manifest.json: the SHA-256 of every file of the run folder, written last by each run, and
`posc verify RUN_DIR`, which says whether anything was changed since.

What a compliance officer signs is the folder as the run left it: the results, every
screenshot and trace, the report, the log and the ledger at the end of the run. Files that
exist only while a run holds the folder (its lock, a report being written) are not part of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from robots.run_folder.folder import LOCK_FILE

MANIFEST = "manifest.json"
# Not the run's record: the manifest itself, the folder's lock, half-written files, and the
# SQLite journal files that exist while the ledger is open.
LEFT_OUT = (MANIFEST, LOCK_FILE)
LEFT_OUT_SUFFIXES = (".partial", "-wal", "-shm", "-journal")


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in LEFT_OUT and not relative.endswith(LEFT_OUT_SUFFIXES):
            found[relative] = path
    return found


def write(folder: Path, *, job_sha256: str) -> Path:
    """Writes manifest.json over every file of the folder as it is now (call it last)."""
    document = {
        "written": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "job_sha256": job_sha256,
        "algorithm": "sha256",
        "files": {relative: _hash(path) for relative, path in _files(folder).items()},
    }
    target = folder / MANIFEST
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
    os.replace(partial, target)
    return target


@dataclass
class Verification:
    folder: Path
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    checked: int = 0
    written: str | None = None

    @property
    def intact(self) -> bool:
        return not (self.changed or self.missing or self.added)

    def lines(self) -> list[str]:
        if self.intact:
            return [f"{self.folder}: intact: {self.checked} files as the run left them ({self.written})"]
        lines = [f"{self.folder}: CHANGED since the run wrote its manifest ({self.written})"]
        lines += [f"  changed: {name}" for name in self.changed]
        lines += [f"  missing: {name}" for name in self.missing]
        lines += [f"  added:   {name}" for name in self.added]
        return lines


def verify(folder: Path) -> Verification:
    """Compares the folder with its manifest. Raises FileNotFoundError without one, ValueError
    for a manifest that is not one."""
    document = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("files"), dict):
        raise ValueError(f"{folder / MANIFEST} is not a posc manifest")
    recorded: dict[str, str] = document["files"]
    present = _files(folder)
    result = Verification(folder, written=document.get("written"), checked=len(recorded))
    for relative, digest in sorted(recorded.items()):
        if relative not in present:
            result.missing.append(relative)
        elif _hash(present[relative]) != digest:
            result.changed.append(relative)
    result.added = sorted(set(present) - set(recorded))
    return result
