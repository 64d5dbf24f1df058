"""The shared C6 rule: exported text never runs as a formula, and XLSX keeps it as text."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from leitwerk.core.spreadsheet import is_formula_like, neutralise, xlsx_text
from leitwerk.testing.examples import examples

RISKY = st.one_of(
    st.text(),
    st.builds(
        lambda p, t: p + t,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\0", "\x01"]),
        st.text(),
    ),
)


@pytest.mark.parametrize("value", ["\0=1+1", "\0", "\x1b=1", "=1", "@A1"])
def test_leading_nul_and_other_controls_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Radweg", "a=b", "'=schon geschützt", " =1"])
def test_harmless_text_and_non_text_stay_as_they_are(value):
    assert neutralise(value) == value
    assert neutralise(-2) == -2 and neutralise(None) is None


def test_xlsx_text_removes_controls_before_deciding():
    # Cleaning after neutralising would turn "\x01=1" into the formula "=1".
    assert xlsx_text("\x01=1") == "'=1"
    assert xlsx_text("\0=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert xlsx_text("Bürger\x07amt") == "Bürgeramt"


def _round_trip(values: list[str]) -> list:
    wb = Workbook()
    for n, value in enumerate(values, start=1):
        wb.active.cell(row=n, column=1, value=xlsx_text(value))
    out = io.BytesIO()
    wb.save(out)
    loaded = load_workbook(io.BytesIO(out.getvalue()))
    return [(c.value, c.data_type) for (c,) in loaded.active.iter_rows(max_row=len(values))]


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(RISKY, min_size=1, max_size=20))
def test_xlsx_round_trip_keeps_text_as_text(values):
    for value, (loaded, data_type) in zip(values, _round_trip(values), strict=True):
        assert data_type != "f"
        expected = xlsx_text(value)
        # openpyxl writes an empty string as an empty cell.
        assert (loaded or "") == expected
        # What a spreadsheet program reads back never starts like a formula.
        assert not is_formula_like(loaded or "")
