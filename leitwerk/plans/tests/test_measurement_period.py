"""The period of a recorded value: bulk callers pass the loaded interval and pay no query."""

from __future__ import annotations

import datetime as dt

import pytest

from leitwerk.plans.services import measurement_period
from leitwerk.plans.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_a_passed_interval_gives_the_same_period_without_a_query(django_assert_num_queries):
    indicator = IndicatorFactory(initiative__action_field__plan__reporting_interval_days=90)
    day = dt.date(2026, 5, 4)
    loaded = measurement_period(indicator=indicator, measured_on=day)
    with django_assert_num_queries(0):
        passed = measurement_period(indicator=indicator, measured_on=day, interval_days=90)
    assert passed == loaded


def test_a_goal_indicator_passes_none_and_gets_the_default_period(django_assert_num_queries):
    indicator = IndicatorFactory(initiative__action_field__plan__reporting_interval_days=30)
    day = dt.date(2026, 5, 4)
    with django_assert_num_queries(0):
        label = measurement_period(indicator=indicator, measured_on=day, interval_days=None)
    assert label
