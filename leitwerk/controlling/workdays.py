"""German working days: weekends and the public holidays of a municipality's Land.

Reminders go out a number of working days before a reporting date; a reminder that would
fall on a Saturday or on Fronleichnam in Bayern moves to the working day before.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# Municipality.state holds the Land's name as people write it; the holidays package wants the
# ISO 3166-2 code. Both spellings are accepted.
STATE_CODES = {
    "baden-württemberg": "BW",
    "bayern": "BY",
    "berlin": "BE",
    "brandenburg": "BB",
    "bremen": "HB",
    "hamburg": "HH",
    "hessen": "HE",
    "mecklenburg-vorpommern": "MV",
    "niedersachsen": "NI",
    "nordrhein-westfalen": "NW",
    "rheinland-pfalz": "RP",
    "saarland": "SL",
    "sachsen": "SN",
    "sachsen-anhalt": "ST",
    "schleswig-holstein": "SH",
    "thüringen": "TH",
}


def state_code(state: str | None) -> str | None:
    """'Bayern' or 'BY' → 'BY'; unknown or empty → None (national holidays only)."""
    if not state:
        return None
    text = state.strip()
    if text.upper() in STATE_CODES.values():
        return text.upper()
    return STATE_CODES.get(text.lower())


@lru_cache(maxsize=64)
def _holidays(subdiv: str | None, year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays("DE", subdiv=subdiv, years=year)
    return frozenset(calendar.keys())


def is_working_day(day: dt.date, state: str | None = None) -> bool:
    return day.weekday() < 5 and day not in _holidays(state_code(state), day.year)


def working_days_before(day: dt.date, count: int, state: str | None = None) -> dt.date:
    """The date `count` working days before `day` (`day` itself need not be a working day).

    count 0 gives `day` if it is a working day, else the working day before it.
    """
    current = day
    if count == 0:
        while not is_working_day(current, state):
            current -= dt.timedelta(days=1)
        return current
    remaining = count
    while remaining:
        current -= dt.timedelta(days=1)
        if is_working_day(current, state):
            remaining -= 1
    return current
