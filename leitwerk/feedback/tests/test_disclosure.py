"""The disclosure rule (issue 17): the protected unit is the group of respondents.

Property tests over generated waves: random group sizes, breakdowns and answers. An attacker
sees every published figure (group sizes, total, each shown group's distribution and the
distribution of all groups together) and knows the rule; the tests check that no group of
1 … k−1 respondents can be computed from that, and that every group of k or more is shown
unless complementary suppression needs it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitwerk.feedback import disclosure
from leitwerk.feedback.disclosure import release_groups

ks = st.integers(min_value=3, max_value=9)
sizes_lists = st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=8)


def test_k_below_three_is_refused_and_the_defaults_are_5_and_7():
    with pytest.raises(disclosure.DisclosureConfigError):
        disclosure.validate_k(2)
    assert disclosure.validate_k(3) == 3
    assert disclosure.default_k(staff=False) == 5
    assert disclosure.default_k(staff=True) == 7
    assert disclosure.effective_k(1) == 3


def test_a_group_of_k_is_shown_with_every_option_even_one_chosen_once():
    """12 per location: each location is shown in full (the demo's first wave)."""
    release = release_groups([12, 12, 12], k=5)
    assert release.sizes == (12, 12, 12)
    assert release.total == 36
    assert disclosure.mean_of([1, 2, 3, 4, 5], [1, 1, 3, 4, 3]) == pytest.approx(43 / 12)
    assert disclosure.median_of([1, 2, 3, 4, 5], [1, 1, 3, 4, 3]) == 4.0


def test_a_small_group_hides_the_smallest_sibling_too():
    """6, 5, 2 answers: total minus the shown would be the group of 2, so 5 is hidden too."""
    release = release_groups([6, 5, 2], k=5)
    assert release.sizes == (6, None, None)
    assert release.total == 13


def test_a_wave_below_k_shows_nothing():
    release = release_groups([2, 1], k=5)
    assert release.sizes == (None, None)
    assert release.total is None


def test_groups_the_respondents_can_pad_are_never_shown():
    release = release_groups([12, 12, 12], k=5, eligible=[False, False, False])
    assert release.sizes == (None, None, None)
    assert release.total == 36


def test_a_running_citizen_total_moves_in_steps_of_ten_and_the_pulse_shows_none():
    assert [disclosure.running_total(n, staff=False) for n in (0, 9, 10, 13, 29)] == [
        0,
        0,
        10,
        10,
        20,
    ]
    assert disclosure.running_total(40, staff=True) is None


def test_mean_is_the_sum_of_value_times_count_over_n():
    assert disclosure.mean_of([1, 0], [3, 1]) == 0.75
    assert disclosure.mean_of([1, 2], [0, 0]) is None
    assert disclosure.top_share_of([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], {4, 5}) == 40


# --------------------------------------------------------------------------- properties


def _published(sizes: list[int], release: disclosure.GroupRelease) -> dict[str, object]:
    return {"sizes": release.sizes, "total": release.total}


@settings(max_examples=400, deadline=None)
@given(sizes_lists, ks, st.data())
def test_no_published_figure_lets_a_group_below_k_be_computed(sizes, k, data):
    eligible = data.draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    release = release_groups(sizes, k=k, eligible=eligible)
    shown = [i for i, n in enumerate(release.sizes) if n is not None]
    hidden = [i for i in range(len(sizes)) if i not in shown]
    # 1. Only groups of k or more are shown, and never one its respondents could pad.
    assert all(sizes[i] >= k and eligible[i] for i in shown)
    # 2. The total is shown exactly when it is k or more; nothing at all below that.
    if sum(sizes) < k:
        assert release.total is None and not shown
        return
    assert release.total == sum(sizes)
    # 3. Total minus the shown groups is itself a group: 0 or at least k respondents.
    residual = sum(sizes[i] for i in hidden)
    assert residual == 0 or residual >= k
    # 4. A hidden group with 1 … k−1 respondents always has a hidden sibling with
    #    respondents, so the attacker's one equation (their sum) has more than one solution:
    #    moving one respondent between the two keeps every published figure the same.
    for i in hidden:
        if 0 < sizes[i] < k:
            assert any(sizes[j] > 0 for j in hidden if j != i)


@settings(max_examples=400, deadline=None)
@given(sizes_lists, ks)
def test_every_group_of_at_least_k_is_shown_unless_a_small_sibling_needs_cover(sizes, k):
    release = release_groups(sizes, k=k)
    small = sum(n for n in sizes if n < k)
    if sum(sizes) < k:
        return
    hidden_large = [
        n for n, shown in zip(sizes, release.sizes, strict=True) if shown is None and n >= k
    ]
    if small == 0 or small >= k:
        assert hidden_large == []
    else:
        # Exactly one large group covers the small ones: the smallest.
        assert hidden_large == [min(n for n in sizes if n >= k)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=5), min_size=0, max_size=12),
        min_size=2,
        max_size=5,
    ),
    ks,
)
def test_an_attacker_with_every_distribution_cannot_tell_a_small_groups_answers(groups, k):
    """Published: the distribution of every shown group and of all together. A second wave
    that differs only inside the hidden groups (one answer moved from a small group to a
    hidden sibling) publishes exactly the same figures."""
    sizes = [len(g) for g in groups]
    release = release_groups(sizes, k=k)

    def publish(answer_groups: list[list[int]]) -> tuple[object, ...]:
        def dist(answers: list[int]) -> tuple[int, ...]:
            return tuple(answers.count(v) for v in range(1, 6))

        per_group = tuple(
            dist(g) if release.sizes[i] is not None else None for i, g in enumerate(answer_groups)
        )
        total = dist([a for g in answer_groups for a in g]) if release.total else None
        return per_group, total

    if release.total is None:
        # Fewer than k in the whole wave: nothing at all is published.
        assert publish(groups) == ((None,) * len(groups), None)
        return
    for i, group in enumerate(groups):
        if release.sizes[i] is not None or not 0 < len(group) < k:
            continue
        sibling = next(
            j for j in range(len(groups)) if j != i and release.sizes[j] is None and groups[j]
        )
        moved = [list(g) for g in groups]
        moved[sibling].append(moved[i].pop())
        assert publish(moved) == publish(groups)
