"""The one clock freshness decides by: go-live moments, fragments' and pages' lifetimes, pins and banners.

Tests move it (`monkeypatch.setattr(clock, "offset", 61)`) instead of sleeping; `published()` asks it too,
so a story scheduled a minute ahead is public once the clock has moved a minute. `now()` reads Django's
`timezone.now()` (a test patching that moves `published()` too); `time()`, asked on every request, reads
`time.time()`: move `offset` to move both.
"""

import time
from datetime import datetime, timedelta

from django.utils import timezone


class Clock:
    def __init__(self):
        self.offset = 0.0  # seconds added to the real time; only tests change it

    def now(self) -> datetime:
        """Now, as an aware datetime (UTC)."""
        now = timezone.now()
        return now + timedelta(seconds=self.offset) if self.offset else now

    def time(self) -> float:
        """Now, in seconds since the epoch."""
        return time.time() + self.offset


clock = Clock()
