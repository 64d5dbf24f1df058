"""Is this pytest run the fast default run or a full one?

Full: the marker expression keeps the slow tests (`-m "not browser"` in CI's PostgreSQL run and
`make test-all`, `-m slow`, the browser runs), or LEITWERK_FULL_EXAMPLES=1. Fast: the default
addopts, which deselect `slow` (`make test`). The root conftest calls `configure` before any
test module is imported. The fast run draws fewer property-test examples (examples.py) and
creates the test database from the models instead of replaying every migration.
"""

from __future__ import annotations

FULL = False


def configure(markexpr: str, forced: bool) -> None:
    global FULL
    FULL = forced or "not slow" not in " ".join(markexpr.split())
