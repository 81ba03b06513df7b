"""The consecutive-failure breaker: after this many system failures in a row, with no answer
from the portal in between, the portal is down and the run stops cleanly instead of burning
the rest of the job."""

from __future__ import annotations


class Breaker:
    """Counts system failures in a row across all workers; any answer from the portal (a
    done record, a refusal) resets it."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.in_a_row = 0

    def failure(self) -> bool:
        self.in_a_row += 1
        return self.in_a_row >= self.threshold

    def success(self) -> None:
        self.in_a_row = 0
