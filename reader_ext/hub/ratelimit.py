"""Per-user rate limits at the class service, so one student's script cannot flood the class."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    """``rate`` actions a second on average, ``burst`` at once; one bucket per user."""

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _state: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, user: str) -> float:
        """Spend one token for ``user``: 0.0 if allowed, else the seconds until one is free."""
        now = self.clock()
        tokens, last = self._state.get(user, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._state[user] = (tokens - 1.0, now)
            return 0.0
        self._state[user] = (tokens, now)
        return (1.0 - tokens) / self.rate
