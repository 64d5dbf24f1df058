from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; tests must not see each other's.
    cache.clear()
    yield
    cache.clear()
