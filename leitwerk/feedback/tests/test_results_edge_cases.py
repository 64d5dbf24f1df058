"""Edge cases of turning counted answers into published figures (survey aggregation)."""

from __future__ import annotations

from collections import Counter

import pytest

from leitwerk.feedback import results
from leitwerk.feedback.models import IndicatorMeasure, QuestionKind, WaveStatus
from leitwerk.feedback.tests.factories import LocationFactory, QuestionFactory, WaveFactory

pytestmark = pytest.mark.django_db

K = 5


def _wave_with_location():
    # A closed wave of a survey with codes: its location groups count toward k.
    wave = WaveFactory(status=WaveStatus.CLOSED, survey__requires_code=True)
    location = LocationFactory(municipality=wave.municipality, name="Rathaus")
    wave.survey.locations.add(location)
    return wave, location


def _counts(respondents: dict, answers: dict | None = None) -> results.WaveCounts:
    return results.WaveCounts(respondents=Counter(respondents), answers=Counter(answers or {}))


def test_a_group_that_answered_but_is_no_longer_declared_still_counts():
    """Answers of a location removed from the survey stay in the totals, labelled '?'."""
    wave, location = _wave_with_location()
    gone = location.pk + 1000
    groups = results.groups_for(
        wave, _counts({location.pk: 6, gone: 7}), k=K, names={location.pk: "Rathaus"}
    )
    assert groups.keys == [location.pk, gone]
    assert groups.labels == ["Rathaus", "?"]
    assert groups.sizes.total == 13


def _figure(wave, location, *, measure, question=None, group_key=None, counts=None):
    counts = counts or _counts({location.pk: 8})
    groups = results.groups_for(wave, counts, k=K, names={location.pk: "Rathaus"})
    return results.figure_for_binding(
        measure=measure,
        question=question,
        counts=counts,
        groups=groups,
        group_key=group_key,
        k=K,
    )


def test_an_indicator_bound_to_an_unknown_group_gets_no_value():
    wave, location = _wave_with_location()
    value = _figure(wave, location, measure=IndicatorMeasure.RESPONSES, group_key=-1)
    assert value is None


def test_the_response_count_of_one_group_and_of_all():
    wave, location = _wave_with_location()
    assert _figure(wave, location, measure=IndicatorMeasure.RESPONSES) == 8.0
    per_group = _figure(wave, location, measure=IndicatorMeasure.RESPONSES, group_key=location.pk)
    assert per_group == 8.0


def test_a_small_group_publishes_no_response_count():
    wave, location = _wave_with_location()
    small = _counts({location.pk: 3})
    value = _figure(
        wave, location, measure=IndicatorMeasure.RESPONSES, group_key=location.pk, counts=small
    )
    assert value is None


def test_a_mean_needs_a_scale_question():
    wave, location = _wave_with_location()
    free_text = QuestionFactory(survey=wave.survey, kind=QuestionKind.TEXT)
    assert _figure(wave, location, measure=IndicatorMeasure.MEAN) is None
    assert _figure(wave, location, measure=IndicatorMeasure.MEAN, question=free_text) is None


def test_mean_and_top_box_of_a_scale_question():
    wave, location = _wave_with_location()
    question = QuestionFactory(survey=wave.survey, kind=QuestionKind.SCALE_5)
    # Ten people: five answered 5, five answered 3 → mean 4, top box (4 and 5) = 50 %.
    counts = _counts(
        {location.pk: 10},
        {(question.pk, location.pk, 5): 5, (question.pk, location.pk, 3): 5},
    )
    mean = _figure(wave, location, measure=IndicatorMeasure.MEAN, question=question, counts=counts)
    top = _figure(
        wave,
        location,
        measure=IndicatorMeasure.TOP_BOX,
        question=question,
        group_key=location.pk,
        counts=counts,
    )
    assert mean == pytest.approx(4.0)
    assert top == pytest.approx(50.0)


def test_column_headers_show_the_statement_not_the_shared_question_text():
    texts = [
        "Wie sehr erleben Sie in Ihrem Team: Ich spreche Probleme offen an.",
        "Wie sehr erleben Sie in Ihrem Team: Wir feiern Erfolge.",
    ]
    assert results.distinct_labels(texts) == [
        "Ich spreche Probleme offen an.",
        "Wir feiern Erfolge.",
    ]
    quoted = ["„Ich teile mein Wissen.“ – so erlebe ich es.", "„Ich höre zu.“ – so erlebe ich es."]
    assert results.distinct_labels(quoted) == ["Ich teile mein Wissen.", "Ich höre zu."]


def test_a_long_statement_is_cut_at_a_word_in_the_column_header():
    long = "Wir " + "sprechen offen über Fehler und lernen gemeinsam daraus " * 3
    [label, _other] = results.distinct_labels([long, "Kurz."], limit=40)
    assert label.endswith("…") and len(label) <= 40 and not label[:-1].endswith(" ")


def test_a_dimension_is_the_mean_over_its_statements_and_empty_without_answers():
    from leitwerk.guidelines.tests.factories import GuidelineSectionFactory, StatementFactory

    wave = WaveFactory(status=WaveStatus.CLOSED, survey__kind="staff_pulse")
    m = wave.municipality
    together = GuidelineSectionFactory(municipality=m, title="GEMEINSAM lernen")
    unasked = GuidelineSectionFactory(municipality=m, title="GEMEINSAM feiern")
    q1, q2, q3 = (
        QuestionFactory(survey=wave.survey, statement=StatementFactory(municipality=m, section=s))
        for s in (together, together, unasked)
    )
    counts = _counts(
        {None: 8},
        {(q1.pk, None, 5): 8, (q2.pk, None, 3): 4, (q2.pk, None, 1): 4},
    )
    groups = results.groups_for(wave, counts, k=K, names={})
    per_question = [results.question_result(q, counts, groups, k=K) for q in (q1, q2, q3)]
    learn, celebrate = results.dimensions(per_question)
    assert learn.title.endswith("GEMEINSAM lernen") and celebrate.title.endswith("feiern")
    assert learn.total == pytest.approx((8 * 5 + 4 * 3 + 4 * 1) / 16)
    assert learn.means == [learn.total]  # the one group ("ohne Angabe") is the whole wave
    assert celebrate.total is None  # nobody answered its statement
