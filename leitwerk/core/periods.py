"""Reporting periods, once: one label for the period a date falls in.

A municipality reports monthly, quarterly, half-yearly or yearly; the interval is given in days
(the reporting rhythm) and the label names the calendar period around `day`:

    ≤ 31 days   month         "05/2026"
    ≤ 92 days   quarter       "Q2/2026"
    ≤ 183 days  half-year     "H1/2026"
    longer      year          "2026"
"""

from __future__ import annotations

import datetime as dt

MONTH = 31
QUARTER = 92
HALF_YEAR = 183
YEAR = 366


def period_label(day: dt.date, interval_days: int = QUARTER) -> str:
    """The label of the reporting period `day` falls in, for a rhythm of `interval_days`."""
    if interval_days <= 0:
        raise ValueError("interval_days must be positive")
    if interval_days <= MONTH:
        return f"{day.month:02d}/{day.year}"
    if interval_days <= QUARTER:
        return f"Q{(day.month - 1) // 3 + 1}/{day.year}"
    if interval_days <= HALF_YEAR:
        return f"H{1 if day.month <= 6 else 2}/{day.year}"
    return str(day.year)


def quarter_label(day: dt.date) -> str:
    """The quarter `day` falls in, e.g. "Q2/2026"."""
    return period_label(day, QUARTER)
