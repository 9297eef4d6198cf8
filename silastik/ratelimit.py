"""Fixed-window request limits per client address, counted in the database.

One row per scope, address and window (silastik.models.RateCounter), incremented by a single
INSERT … ON CONFLICT … RETURNING statement: atomic on PostgreSQL and SQLite, shared by every
worker and node, and independent of the cache (Django's database cache increments by reading
and writing back, losing counts and resetting expiries). A sweep deletes expired windows.
"""

import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

# One IPv6 subscriber usually holds a whole /64: counting single addresses there would let one
# person rotate through billions of them.
IPV6_PREFIX = 64


def client_key(ip: str | None) -> str:
    """What a limit counts: the IPv4 address, or the IPv6 /64 network it belongs to."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return "unknown"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window_seconds: int

    def _key(self, who: str, now: float | None) -> str:
        window = int((time.time() if now is None else now) // self.window_seconds)
        return f"ratelimit:{self.scope}:{who}:{window}"

    def retry_after(self, *, now: float | None = None) -> int:
        """Seconds until the current window ends and every count starts afresh."""
        now = time.time() if now is None else now
        return max(1, math.ceil(self.window_seconds - now % self.window_seconds))

    def exceeded(self, who: str, *, now: float | None = None) -> bool:
        """True if the limit is used up; this question itself is not counted."""
        from .models import RateCounter

        counted = (
            RateCounter.objects.filter(name=self._key(who, now))
            .values_list("count", flat=True)
            .first()
        )
        return (counted or 0) >= self.limit

    def hit(self, who: str, *, now: float | None = None) -> bool:
        """Count one request. False if it goes over the limit and must be refused."""
        from .models import RateCounter

        moment = time.time() if now is None else now
        window_end = (int(moment // self.window_seconds) + 1) * self.window_seconds
        expires_at = datetime.fromtimestamp(window_end, tz=UTC) + timedelta(seconds=60)
        table = connection.ops.quote_name(RateCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
                f"ON CONFLICT (name) DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [self._key(who, moment), expires_at],
            )
            (count,) = cursor.fetchone()
        return count <= self.limit


def rate_counters_sweep(*, now: datetime | None = None) -> int:
    """Forget windows that have ended; returns how many."""
    from .models import RateCounter

    deleted, _kinds = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
