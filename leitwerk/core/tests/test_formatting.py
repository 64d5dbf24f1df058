"""German numbers, once (leitwerk/core/formatting.py): Django's "de" localisation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from leitwerk.core.formatting import number


@pytest.mark.parametrize(
    ("value", "options", "text"),
    [
        (Decimal("1234567.5"), {}, "1.234.567,5"),
        (Decimal("27.500"), {}, "27,5"),
        (Decimal("1E+2"), {}, "100"),
        ("0.25", {}, "0,25"),
        (3.0, {}, "3"),
        (Decimal("27.125"), {"max_decimals": 2}, "27,13"),
        (Decimal("27.10"), {"max_decimals": 2}, "27,1"),
        (Decimal("-0.001"), {"max_decimals": 2}, "0"),
        (Decimal("-1234.567"), {"max_decimals": 1}, "-1.234,6"),
        (Decimal("1234.5"), {"decimals": 2}, "1.234,50"),
        (Decimal("1234.5"), {"grouping": False}, "1234,5"),
        (None, {}, "–"),
        ("", {"empty": ""}, ""),
    ],
)
def test_numbers_read_the_german_way(value, options, text):
    assert number(value, **options) == text


def test_german_even_when_the_page_speaks_english():
    with translation.override("en"):
        assert number(Decimal("1234.5")) == "1.234,5"


def test_the_report_helpers_use_it():
    from leitwerk.reports.formatting import de_money, de_number

    assert de_number("1234567.456") == "1.234.567,46"
    assert de_number("12.5", 1) == "12,5"
    assert de_money("1234.5") == "1.234,50 €"
    assert de_money(None) == "–"
