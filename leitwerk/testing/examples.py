"""How many examples a property test (hypothesis) draws.

The full count when the run includes the slow tests (`-m "not browser"`, `-m slow`: CI's
PostgreSQL run, `make test-all`), a fifth of it in the default fast run (`make test`, which
deselects `slow`). Tests that name their count use `examples(n)`; the others get hypothesis'
default of 100, or 20 through the "fast" settings profile. The root conftest calls
`configure` before the test modules are imported; LEITWERK_FULL_EXAMPLES=1 forces the full
count.
"""

from __future__ import annotations

from hypothesis import settings

FULL = False
# Fewer than this and a property test hardly explores its space; keep it even when fast.
MINIMUM = 10


def examples(full: int) -> int:
    """`@settings(max_examples=examples(150))`: 150 in the full run, 30 in the fast one."""
    return full if FULL else min(full, max(MINIMUM, full // 5))


def configure(markexpr: str, forced: bool) -> None:
    """FULL unless the marker expression deselects the slow tests; loads the matching profile."""
    global FULL
    FULL = forced or "not slow" not in " ".join(markexpr.split())
    settings.register_profile("full", settings.get_profile("default"))
    settings.register_profile(
        "fast", max_examples=examples(settings.get_profile("default").max_examples)
    )
    settings.load_profile("full" if FULL else "fast")
