"""Fixed-window counters in the shared cache: "at most N per window for this key".

Keys are hashed, so neither e-mail addresses nor client addresses are stored in the cache as
such. With CACHE_URL (Redis) the count holds across processes and servers; without it each
process counts on its own (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}:{int(time.time() // window)}"


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one event; True while the count in this window is within `limit`."""
    name = _key(scope, key, window)
    cache.add(name, 0, timeout=window + 60)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 60)
        count = 1
    return count <= limit


def exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """True when `limit` events were already counted in this window (counts nothing)."""
    return int(cache.get(_key(scope, key, window), 0)) >= limit
