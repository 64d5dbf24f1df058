"""German numbers and long dates, once: Django's localisation (`number_format` under
"de") behind one helper.

Leitwerk speaks German on every page, report and export, whatever language a browser asks for,
so the helper pins "de": "1.234.567,5". Rounding is commercial (half up), trailing zeros go.
Machine formats (SVG coordinates, JSON snapshots, CSV for programs) never pass through here.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import date_format, number_format

Number = Decimal | float | int | str


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(
    value: Number | None,
    *,
    max_decimals: int | None = None,
    decimals: int | None = None,
    grouping: bool = True,
    empty: str = "–",
) -> str:
    """A German number: `number(Decimal("1234.50"))` → "1.234,5".

    `max_decimals` rounds and drops trailing zeros ("27,13", "27"); `decimals` shows exactly
    that many places ("27,50"); neither keeps every significant place. `empty` stands for
    None and "".
    """
    if value is None or value == "":
        return empty
    try:
        amount = _decimal(value)
    except InvalidOperation:
        return str(value)
    places = decimals if decimals is not None else max_decimals
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if decimals is None:
        amount = amount.normalize()
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
    if amount == 0:
        amount = abs(amount)  # no "-0"
    with translation.override("de"):
        return number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)


class LongDates:
    """`date_format(day, "j. F Y")` ("5. März 2026") for the many dates of one page.

    `date_format` looks the format and the month's name up in the active translation on every
    call, which was a tenth of the plan page's first render with its 1,400 dates (issue 21);
    this looks each month's name up once. One instance per page (the language is fixed then).
    """

    def __init__(self) -> None:
        self._months: dict[int, str] = {}

    def __call__(self, value: dt.date | None) -> str:
        if not value:
            return ""
        month = self._months.get(value.month)
        if month is None:
            month = self._months[value.month] = date_format(value, "F")
        # Django's "Y" pads the year to four digits.
        return f"{value.day}. {month} {value.year:04d}"
