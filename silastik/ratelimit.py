"""Fixed-window request limits per client address, counted in the shared cache.

The cache is Redis in production (CACHE_URL), so every web node counts against the same limit;
add() and incr() are atomic there and in the local-memory cache used on one machine.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

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
        return (cache.get(self._key(who, now)) or 0) >= self.limit

    def hit(self, who: str, *, now: float | None = None) -> bool:
        """Count one request. False if it goes over the limit and must be refused."""
        key = self._key(who, now)
        # The window is in the key; the timeout only lets old counters go away.
        if cache.add(key, 1, timeout=self.window_seconds + 60):
            return self.limit >= 1
        try:
            count = cache.incr(key)
        except ValueError:  # the counter expired between add() and incr()
            cache.add(key, 1, timeout=self.window_seconds + 60)
            count = 1
        return count <= self.limit
