import datetime as dt

import pytest

from leitwerk.core.periods import period_label


@pytest.mark.parametrize(
    ("interval", "day", "label"),
    [
        (30, dt.date(2026, 5, 31), "05/2026"),
        (31, dt.date(2026, 12, 1), "12/2026"),
        (90, dt.date(2026, 4, 1), "Q2/2026"),
        (92, dt.date(2026, 3, 31), "Q1/2026"),
        (None, dt.date(2026, 11, 5), "Q4/2026"),
        (120, dt.date(2026, 5, 1), "T2/2026"),
        (120, dt.date(2026, 12, 31), "T3/2026"),
        (180, dt.date(2026, 6, 30), "H1/2026"),
        (183, dt.date(2026, 7, 1), "H2/2026"),
        (365, dt.date(2027, 1, 1), "2027"),
    ],
)
def test_a_date_falls_in_one_period_of_the_plans_reporting_interval(interval, day, label):
    assert period_label(day, interval) == label
