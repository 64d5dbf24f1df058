"""Property tests of the whole figure pipeline (counts → release → question results →
indicator values), over generated closed waves: every figure that leaves `results` belongs
to a group of at least k, the hidden groups together are 0 or ≥ k, and indicators agree."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from leitwerk.feedback import disclosure, results
from leitwerk.feedback.models import IndicatorMeasure, Question, QuestionKind

K_VALUES = st.integers(min_value=3, max_value=8)
# Per group: the ratings 1…5 of its sheets (None: the sheet skipped the question).
GROUPS = st.lists(
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=5)), max_size=14),
    min_size=1,
    max_size=5,
)


def _wave(groups: list[list[int | None]], k: int, eligible: bool):
    question = Question(pk=1, kind=QuestionKind.SCALE_5, text="Wie zufrieden?")
    keys = list(range(1, len(groups) + 1))
    counts = results.WaveCounts(respondents=Counter(), answers=Counter())
    for key, sheets in zip(keys, groups, strict=True):
        counts.respondents[key] = len(sheets)
        for value in sheets:
            if value is not None:
                counts.answers[(question.pk, key, value)] += 1
    release = disclosure.release_groups(
        [len(g) for g in groups], k=k, eligible=[eligible] * len(groups)
    )
    labels = [f"Gruppe {key}" for key in keys]
    return question, counts, results.Groups(keys, labels, release)


@settings(max_examples=300, deadline=None)
@given(GROUPS, K_VALUES, st.booleans())
def test_every_published_figure_belongs_to_a_group_of_at_least_k(groups, k, eligible):
    question, counts, released = _wave(groups, k, eligible)
    result = results.question_result(question, counts, released, k=k)
    hidden_sheets = 0
    for sheets, row in zip(groups, result.rows, strict=True):
        if row.suppressed:
            assert row.n is None and row.counts is None and row.mean is None
            hidden_sheets += len(sheets)
            continue
        assert row.n == len(sheets) >= k and eligible
        answered = [v for v in sheets if v is not None]
        assert row.counts == [answered.count(v) for v in range(1, 6)]
        if answered:
            assert row.mean == sum(answered) / len(answered)
    total = result.total
    assert total is not None
    if total.suppressed:
        assert sum(len(g) for g in groups) < k
        return
    # "All minus the shown groups" is a group too: never 1 … k−1 sheets.
    assert hidden_sheets == 0 or hidden_sheets >= k


@settings(max_examples=200, deadline=None)
@given(GROUPS, K_VALUES, st.sampled_from([IndicatorMeasure.MEAN, IndicatorMeasure.RESPONSES]))
def test_an_indicator_value_is_published_only_where_the_page_shows_the_group(groups, k, measure):
    question, counts, released = _wave(groups, k, eligible=True)
    result = results.question_result(question, counts, released, k=k)
    for key, row in zip(released.keys, result.rows, strict=True):
        value = results.figure_for_binding(
            measure=measure, question=question, counts=counts, groups=released, group_key=key, k=k
        )
        if row.suppressed:
            assert value is None
        elif measure == IndicatorMeasure.RESPONSES:
            assert value == row.n
        else:
            assert value == row.mean
