"""German numbers, once: Django's localisation (`number_format` under "de") behind one helper.

Leitwerk speaks German on every page, report and export, whatever language a browser asks for,
so the helper pins "de": "1.234.567,5". Rounding is commercial (half up), trailing zeros go.
Machine formats (SVG coordinates, JSON snapshots, CSV for programs) never pass through here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import number_format

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
