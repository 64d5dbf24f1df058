"""The demo's surveys report (issue 17): the citizen survey shows means and distributions
per location, closing a wave feeds its indicator, the pulse shows team and dimension results.

The demo is loaded once for the module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from leitwerk.accounts.models import User
from leitwerk.devdata.demo import demo_load
from leitwerk.feedback import selectors, services
from leitwerk.feedback.models import Survey, SurveyKind, SurveyStatus
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Measurement

TODAY = dt.date(2026, 11, 22)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(today=TODAY)
        transaction.set_rollback(True)


def _setup(title_start: str):
    town = Municipality.objects.get(slug="musterstadt")
    user = User.objects.get(email="strategie@musterstadt.example")
    survey = Survey.objects.for_municipality(town).get(title__startswith=title_start)
    return town, user, survey


def test_the_citizen_surveys_first_wave_shows_means_and_distributions_per_location(demo):
    town, user, survey = _setup("Wie zufrieden waren Sie mit Ihrem Besuch")
    first = survey.waves.order_by("opened_on").first()
    _s, result, trend = selectors.survey_results_for_user(
        user=user, municipality=town, pk=survey.pk, wave_pk=first.pk
    )
    assert result is not None and result.closed
    assert result.groups.sizes.sizes == (12, 12, 12)
    overall = result.questions[0]
    assert [row.n for row in overall.rows] == [12, 12, 12]
    assert all(row.mean is not None for row in overall.rows)
    assert overall.rows[0].counts == [1, 1, 3, 4, 3]  # the single 1 is shown
    solved = result.questions[1]
    assert solved.rows[0].counts == [10, 2] and solved.total is not None
    assert solved.total.counts == [30, 6]
    assert trend.rows[0].respondents == 36 and trend.rows[0].means[0] is not None


def test_closing_the_citizen_wave_feeds_the_goal_indicator(demo):
    town, user, survey = _setup("Wie zufrieden waren Sie mit Ihrem Besuch")
    wave = survey.waves.get(status="open")
    result = services.wave_close(wave=wave, actor=user, today=TODAY)
    assert len(result.measurements) == 1 and not result.withheld
    value = result.measurements[0].value
    assert float(value) == pytest.approx(50 / 13, abs=1e-4)  # the 13 answers of wave 2
    assert Measurement.objects.filter(pk=result.measurements[0].pk).exists()


def test_closing_the_pulse_shows_team_dimension_and_statement_results_and_feeds_4_1(demo):
    town = Municipality.objects.get(slug="musterstadt")
    user = User.objects.get(email="strategie@musterstadt.example")
    pulse = Survey.objects.for_municipality(town).get(kind=SurveyKind.STAFF_PULSE)
    wave = pulse.waves.get(status="open")
    closed = services.wave_close(wave=wave, actor=user, today=TODAY)
    assert len(closed.measurements) == 1  # share of the two best ratings over all statements
    _s, result, trend = selectors.survey_results_for_user(user=user, municipality=town, pk=pulse.pk)
    assert result is not None
    # The trend of a pulse has one column per dimension, not one per statement.
    assert trend.labels == [d.title for d in result.dimensions]
    assert len(trend.labels) < len(trend.questions)
    labels = result.groups.labels
    fb4 = next(i for i, label in enumerate(labels) if label.startswith("FB 4"))
    assert result.groups.sizes.sizes[fb4] == 8
    assert result.dimensions and all(d.means[fb4] is not None for d in result.dimensions)
    assert all(qr.rows[fb4].mean is not None for qr in result.questions if qr.has_mean)
    assert result.dialogue and result.dialogue[0].points


def test_the_online_survey_without_codes_is_open_to_everyone(demo):
    town = Municipality.objects.get(slug="musterstadt")
    survey = Survey.objects.for_municipality(town).get(title__contains="Online-Antrag")
    assert survey.status == SurveyStatus.OPEN and not survey.requires_code
