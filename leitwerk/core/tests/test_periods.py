"""One label for a reporting period (leitwerk/core/periods.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from leitwerk.core.periods import period_label, quarter_label


@pytest.mark.parametrize(
    ("day", "interval_days", "label"),
    [
        (dt.date(2026, 5, 14), 30, "05/2026"),
        (dt.date(2026, 12, 31), 31, "12/2026"),
        (dt.date(2026, 1, 1), 90, "Q1/2026"),
        (dt.date(2026, 3, 31), 90, "Q1/2026"),
        (dt.date(2026, 4, 1), 91, "Q2/2026"),
        (dt.date(2026, 9, 30), 92, "Q3/2026"),
        (dt.date(2026, 12, 1), 90, "Q4/2026"),
        (dt.date(2026, 6, 30), 182, "H1/2026"),
        (dt.date(2026, 7, 1), 183, "H2/2026"),
        (dt.date(2026, 7, 1), 365, "2026"),
        (dt.date(2027, 1, 1), 1000, "2027"),
    ],
)
def test_the_interval_decides_month_quarter_half_year_or_year(day, interval_days, label):
    assert period_label(day, interval_days) == label


def test_the_quarter_is_the_default_and_forms_spell_it_the_same():
    day = dt.date(2026, 5, 14)
    assert period_label(day) == quarter_label(day) == "Q2/2026"


def test_a_rhythm_needs_days():
    with pytest.raises(ValueError, match="positive"):
        period_label(dt.date(2026, 5, 14), 0)


def test_the_status_report_form_proposes_the_current_quarter():
    from leitwerk.plans.forms import StatusReportForm

    with time_machine.travel(dt.datetime(2026, 5, 14, 12, 0, tzinfo=dt.UTC), tick=False):
        assert StatusReportForm().fields["period_label"].initial == "Q2/2026"
