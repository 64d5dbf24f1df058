"""Text cells for CSV and XLSX exports that spreadsheet programs never run as formulas (C6).

Excel, LibreOffice Calc and Google Sheets treat a cell that starts with "=", "+", "-" or "@" as
a formula, also when it came from a CSV file ("CSV/formula injection"). Control characters
count as well: some programs drop a leading NUL, tab or line break and then see the formula
behind it. Such text gets a leading apostrophe, which the programs show as plain text.

Every export of the project should use these helpers, so the rule is the same everywhere.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from leitwerk.core.text import xml_safe

FORMULA_CHARACTERS = ("=", "+", "-", "@")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could run `text` as a formula."""
    return bool(text) and (text.startswith(FORMULA_CHARACTERS) or ord(text[0]) < 0x20)


_V = TypeVar("_V")


@overload
def neutralise(value: str) -> str: ...
@overload
def neutralise(value: _V) -> _V: ...
def neutralise(value: Any) -> Any:
    """Text that could run as a formula, with a leading apostrophe; everything else unchanged.

    Only strings are touched: numbers and dates we write ourselves stay calculable.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """Text for an XLSX cell: without the control characters XLSX cannot hold, then neutralised.

    Removing first matters: "\\x01=1" must not become the formula "=1" after cleaning.
    """
    return neutralise(xml_safe(value))
