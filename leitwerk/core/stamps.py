"""Version stamps in the shared cache (issue 21): invalidation that reaches every process.

A value that depends on rows (a signed-in person's account, roles and towns) is kept under a
key that contains the current stamp of those rows. A change does not delete the value, it
replaces the stamp: from then on every process asks for a key nobody has written, reads the
rows again and keeps them under the new stamp. A request that read the old rows just before
the change writes them under the old stamp, which nobody asks for any more, so a change can
never be overwritten by a slower reader (deleting a key instead could be).

A stamp is a random token, never a counter: when the cache loses a stamp (eviction, restart of
a memory cache) the next reader draws a new one and cannot meet a value kept under an old one.

`renew` draws a new stamp at once and again when the surrounding transaction commits: the
first so the writing request and tests see the change, the second so that a reader who
fetched the rows between the write and the commit (and kept them under the first new stamp)
is not believed either.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

_PREFIX = "stamp:"


def _fresh() -> str:
    return secrets.token_hex(8)


def current(names: Iterable[str]) -> dict[str, str]:
    """The stamps of these names (one cache round trip when all are there)."""
    keys = {name: _PREFIX + name for name in names}
    found = cache.get_many(list(keys.values()))
    result: dict[str, str] = {}
    for name, key in keys.items():
        value = found.get(key)
        if value is None:
            cache.add(key, _fresh(), timeout=None)
            # Without a working cache nothing can be kept: a new token every time means
            # every reader reads the rows.
            value = cache.get(key) or _fresh()
        result[name] = str(value)
    return result


def renew(name: str) -> None:
    """The rows behind `name` changed: values kept under the old stamp are never read again."""
    key = _PREFIX + name
    cache.set(key, _fresh(), timeout=None)
    transaction.on_commit(lambda: cache.set(key, _fresh(), timeout=None))


def person(user_id: object) -> str:
    """Stamp name of a person's sign-in state: account, roles, second factor."""
    return f"person:{user_id}"


MUNICIPALITIES = "municipalities"
