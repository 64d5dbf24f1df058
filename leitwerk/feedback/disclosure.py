"""Statistical disclosure control for survey results. Pure functions, no Django; every
result page, export, API answer and indicator value reads its figures through here.

The protected unit is the **reporting group of respondents**: the answer sheets of one
closed wave, optionally cut by one breakdown (location for citizen surveys, unit for the
staff pulse). The rule:

1. A group with at least k respondents is shown in full: n, mean, median, the whole
   distribution with counts and percentages — also an option chosen by one person. Inside a
   group of k or more, one answer cannot be told apart from the others.
2. A group below k shows nothing but "weniger als k Antworten" (also a group of 0, so an
   empty group looks like a small one).
3. Differencing: the total of the wave is published too, so the hidden groups together form
   one more group, "total minus the shown groups" (the *residual*). Its figures can be
   computed from what is shown, so it must itself have 0 or at least k respondents; while
   it has 1 … k−1, the smallest shown group is hidden as well (complementary suppression).
4. A group the respondents could pad themselves (a location chosen by whoever answers,
   without a one-time code) is never shown: whoever can add known answers to a group can
   lift it over k and subtract them again (audit H2). Such a group still counts in the total.
5. While a wave runs nothing is published per group and no distribution at all: every
   reload would be a new release, and the difference of two releases is one person's
   answers (audit H1). A citizen survey shows only its running number of answers, rounded
   down to a multiple of `RUNNING_STEP`; the staff pulse not even that.

Only one breakdown per survey and one release per closed wave exist, so no second table
can be laid over the first; waves are disjoint sets of answer sheets.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_K = 3
CITIZEN_DEFAULT_K = 5
STAFF_DEFAULT_K = 7
# A running citizen survey shows its number of answers only in steps of ten.
RUNNING_STEP = 10


class DisclosureConfigError(ValueError):
    pass


def validate_k(k: int) -> int:
    """The minimum group size in force; configurations below 3 are refused, not clamped."""
    if k < MIN_K:
        raise DisclosureConfigError(f"k={k} is below the minimum of {MIN_K}")
    return k


def effective_k(k: int | None) -> int:
    """The k applied to a stored setting: a row edited below the minimum counts as MIN_K."""
    return max(MIN_K, k or MIN_K)


def default_k(*, staff: bool) -> int:
    return STAFF_DEFAULT_K if staff else CITIZEN_DEFAULT_K


def running_total(n: int, *, staff: bool) -> int | None:
    """What a running wave shows of its number of answers: citizen surveys in steps of ten
    (rounded down), the staff pulse nothing."""
    if staff:
        return None
    return (n // RUNNING_STEP) * RUNNING_STEP


@dataclass(frozen=True)
class GroupRelease:
    """Which groups of a closed wave are published; `sizes[i]` is None where hidden."""

    k: int
    sizes: tuple[int | None, ...]
    total: int | None

    @property
    def values(self) -> tuple[int | None, ...]:
        return self.sizes


def release_groups(
    sizes: Sequence[int], *, k: int, eligible: Sequence[bool] | None = None
) -> GroupRelease:
    """Decide, once per closed wave, which groups are shown (rules 1–4 above).

    `eligible[i]` False marks a group its respondents could pad (rule 4): it is never shown.
    """
    validate_k(k)
    if eligible is None:
        eligible = [True] * len(sizes)
    total = sum(sizes)
    if total < k:
        return GroupRelease(k=k, sizes=tuple(None for _ in sizes), total=None)
    shown = {i for i, n in enumerate(sizes) if n >= k and eligible[i]}
    residual = total - sum(sizes[i] for i in shown)
    while 0 < residual < k:
        # Hide the smallest shown group (ties: the later one), so the residual grows.
        smallest = min(shown, key=lambda i: (sizes[i], -i))
        shown.discard(smallest)
        residual += sizes[smallest]
    return GroupRelease(
        k=k,
        sizes=tuple(n if i in shown else None for i, n in enumerate(sizes)),
        total=total,
    )


# --------------------------------------------------------------------------- figures


def mean_of(values: Sequence[int], counts: Sequence[int]) -> float | None:
    """Σ value × count / n of a distribution; None when nobody answered."""
    n = sum(counts)
    if n == 0:
        return None
    return sum(v * c for v, c in zip(values, counts, strict=True)) / n


def median_of(values: Sequence[int], counts: Sequence[int]) -> float | None:
    """The median of a distribution (values ascending or not); None when nobody answered."""
    flat = sorted(v for v, c in zip(values, counts, strict=True) for _ in range(c))
    if not flat:
        return None
    return float(statistics.median(flat))


def top_share_of(values: Sequence[int], counts: Sequence[int], top: set[int]) -> float | None:
    """Share in % of answers with a value in `top` (e.g. the two best of a scale)."""
    n = sum(counts)
    if n == 0:
        return None
    return 100 * sum(c for v, c in zip(values, counts, strict=True) if v in top) / n


def may_show_free_text(group_size: int | None, *, k: int) -> bool:
    """Free text only for groups of at least k whose size is itself published."""
    return group_size is not None and group_size >= k
