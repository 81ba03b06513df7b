"""What a run learns of the portal's sessions, so that a record starts on a session likely
to outlive it.

A JSF portal ends a session some time after login, and a record whose session expires
half-way (after Update, before the Agreement's Submit, say) has to start over. Nobody tells
the robot the lifetime, but it sees each expiry: the shortest age at which a session was found
expired bounds the lifetime, and a record is started on a fresh login when the session would
otherwise reach that age before the record is likely to finish.
"""

from __future__ import annotations


class SessionLifetime:
    SAFETY = 1.5  # a record may take half as long again as the typical one

    def __init__(self) -> None:
        self.shortest_expiry_s: float | None = None
        self.typical_record_s: float | None = None

    def expired(self, age_s: float) -> None:
        if self.shortest_expiry_s is None or age_s < self.shortest_expiry_s:
            self.shortest_expiry_s = age_s

    def record_took(self, seconds: float) -> None:
        # A moving average: recent records say most about the portal's pace now.
        if self.typical_record_s is None:
            self.typical_record_s = seconds
        else:
            self.typical_record_s = 0.8 * self.typical_record_s + 0.2 * seconds

    def renew_before(self, age_s: float) -> bool:
        """True when a session of this age would likely expire during the next record."""
        if self.shortest_expiry_s is None:
            return False
        # Before any record has finished, assume one takes a third of a session's life.
        typical = self.typical_record_s if self.typical_record_s is not None else self.shortest_expiry_s / 3
        return age_s + self.SAFETY * typical >= self.shortest_expiry_s
