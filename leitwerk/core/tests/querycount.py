"""Assert that a page's number of queries does not grow with the number of rows it shows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings


def count_queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = fetch()
    status = getattr(response, "status_code", 200)
    assert status == 200, status
    return len(context.captured_queries)


def assert_constant_queries(fetch: Callable[[], object], add_rows: Callable[[], None]) -> None:
    """Counts queries of `fetch`, adds rows, counts again: the two numbers must be equal.

    Rendered without the fragment cache (core.fragments): the rows added here are not
    audited, and the count is about building the page, not about serving a kept copy."""
    with override_settings(LEITWERK_FRAGMENT_CACHE=False):
        _assert_constant_queries(fetch, add_rows)


def _assert_constant_queries(fetch: Callable[[], object], add_rows: Callable[[], None]) -> None:
    fetch()  # warm caches (session, content types) so both counts see the same state
    before = count_queries(fetch)
    add_rows()
    after = count_queries(fetch)
    assert after == before, f"{before} queries before adding rows, {after} after: N+1?"
