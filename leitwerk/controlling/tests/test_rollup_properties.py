"""Invariants of the roll-up and attainment rules, checked with generated data."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from leitwerk.controlling import progress as p

values = st.floats(min_value=0, max_value=1, allow_nan=False)
# Like the model fields: DecimalField(max_digits=6, decimal_places=2).
weights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
children = st.lists(st.tuples(st.none() | values, weights), max_size=30)
numbers = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=4, allow_nan=False
)


@given(children)
def test_result_within_min_and_max_of_known_children(items):
    known = [v for v, _ in items if v is not None]
    result = p.rollup(items)
    if not known:
        assert result is None
    else:
        assert min(known) <= result <= max(known)


@given(values, st.lists(weights, min_size=1, max_size=20))
def test_equal_children_give_that_value(value, ws):
    assert p.rollup([(value, w) for w in ws]) == value


@given(children, st.integers(min_value=1, max_value=1000))
def test_scaling_all_weights_changes_nothing(items, factor):
    scaled = [(v, w * factor) for v, w in items]
    assert p.rollup(scaled) == p.rollup(items)


@given(children, st.randoms(use_true_random=False))
def test_order_does_not_matter(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert p.rollup(shuffled) == p.rollup(items)


@given(children, st.none() | values, st.integers(min_value=0, max_value=30))
def test_child_with_weight_zero_changes_nothing(items, value, position):
    with_zero = list(items)
    with_zero.insert(min(position, len(items)), (value, 0))
    assert p.rollup(with_zero) == p.rollup(items)


@given(children, weights)
def test_none_children_are_ignored(items, weight):
    assert p.rollup([*items, (None, weight)]) == p.rollup(items)
    assert p.rollup(items) == p.rollup([(v, w) for v, w in items if v is not None])


@given(children)
def test_rollup_of_shares_is_a_share(items):
    result = p.rollup(items)
    assert result is None or 0 <= result <= 1


@given(
    st.sampled_from(["quantitative", "survey", "yes_no"]),
    st.none() | numbers,
    st.none() | numbers,
    st.sampled_from(["increase", "decrease"]),
    st.none() | numbers,
)
def test_attainment_always_within_zero_and_one(kind, baseline, target, direction, value):
    result = p.indicator_attainment(
        kind=kind, baseline=baseline, target=target, direction=direction, latest_value=value
    )
    assert result is None or 0 <= result <= 1


@given(st.lists(st.fixed_dictionaries({"done": st.booleans()}) | st.text(max_size=3), max_size=20))
def test_checklist_attainment_within_zero_and_one(items):
    result = p.indicator_attainment(kind="checklist", checklist=items)
    assert (result is None) == (not items)
    assert result is None or 0 <= result <= 1


@given(numbers, numbers, numbers, numbers)
def test_attainment_is_monotonic_towards_the_target(baseline, target, a, b):
    # Moving the value towards the target never lowers the attainment.
    if baseline == target:
        return
    lo, hi = sorted((a, b))
    att = [
        p.indicator_attainment(
            kind="quantitative", baseline=baseline, target=target, latest_value=v
        )
        for v in (lo, hi)
    ]
    if target > baseline:
        assert att[0] <= att[1]
    else:
        assert att[0] >= att[1]


@given(st.lists(st.tuples(st.booleans(), weights), max_size=20))
def test_milestone_progress_is_a_share(flags):
    milestones = [
        p.MilestoneFacts(weight=w, done_on=dt.date(2026, 1, 1) if done else None)
        for done, w in flags
    ]
    result = p.milestone_progress(milestones)
    assert (result is None) == (not flags)
    if flags:
        assert 0 <= result <= 1
        expected = sum(float(w) for done, w in flags if done) / sum(float(w) for _, w in flags)
        assert math.isclose(result, expected, rel_tol=1e-9, abs_tol=1e-12)
