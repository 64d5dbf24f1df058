"""Reporting periods: the one spelling of "which period does this value or report belong to".

A period is never typed: it follows from the date of a measurement or status report and the
reporting interval of the plan (`ActionPlan.reporting_interval_days`). Monthly reporting gives
"05/2026", quarterly "Q2/2026", every four months the Tertial "T2/2026" (May–August, as in
municipal Tertialberichte), half-yearly "H1/2026", anything longer the year "2026".
"""

from __future__ import annotations

import datetime as dt

# Indicators of goals belong to no plan; they are reported quarterly, as most plans are.
DEFAULT_INTERVAL_DAYS = 90


def period_label(day: dt.date, interval_days: int | None = None) -> str:
    """The period `day` falls in, at the granularity of the reporting interval."""
    interval = interval_days or DEFAULT_INTERVAL_DAYS
    if interval <= 31:
        return f"{day.month:02d}/{day.year}"
    if interval <= 92:
        return f"Q{(day.month - 1) // 3 + 1}/{day.year}"
    if interval <= 123:
        return f"T{(day.month - 1) // 4 + 1}/{day.year}"
    if interval <= 183:
        return f"H{1 if day.month <= 6 else 2}/{day.year}"
    return str(day.year)
