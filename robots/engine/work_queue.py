"""The queue workers take records from. Local and in-memory for now; the seam where a broker
(Celery workers over Redis) will hand records to several hosts later."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Protocol


class WorkQueue(Protocol):
    def next(self) -> str | None: ...
    def __len__(self) -> int: ...


class LocalQueue:
    """Record keys in job order, each handed out once."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = deque(keys)

    def next(self) -> str | None:
        return self._keys.popleft() if self._keys else None

    def __len__(self) -> int:
        return len(self._keys)
