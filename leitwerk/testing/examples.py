"""How many examples a property test (hypothesis) draws.

The full count in a full run (runs.py: the slow tests included, as in CI), a fifth of it in
the default fast run. Tests that name their count use `examples(n)`; the others get
hypothesis' default of 100, or 20 through the "fast" settings profile that `load_profile`
selects.
"""

from __future__ import annotations

from hypothesis import settings

from leitwerk.testing import runs

# Fewer than this and a property test hardly explores its space; keep it even when fast.
MINIMUM = 10


def examples(full: int) -> int:
    """`@settings(max_examples=examples(150))`: 150 in the full run, 30 in the fast one."""
    return full if runs.FULL else min(full, max(MINIMUM, full // 5))


def load_profile() -> None:
    settings.register_profile("full", settings.get_profile("default"))
    default = settings.get_profile("default").max_examples
    settings.register_profile("fast", max_examples=examples(default))
    settings.load_profile("full" if runs.FULL else "fast")
