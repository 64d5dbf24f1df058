"""German number and date formats for the report renderers (PDF, DOCX, XLSX alike)."""

from __future__ import annotations

from leitwerk.core.formatting import number

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip


def de_date(iso: str | None, empty: str = "–") -> str:
    if not iso:
        return empty
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day}. {MONTHS[month - 1]} {year}"


def de_date_short(iso: str | None, empty: str = "–") -> str:
    if not iso:
        return empty
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def de_number(value: str | None, decimals: int = 2, empty: str = "–") -> str:
    """'1234567.5' → '1.234.567,5' (at most `decimals` places, trailing zeros dropped)."""
    return number(value, max_decimals=decimals, empty=empty)


def de_money(value: str | None, empty: str = "–") -> str:
    if value is None or value == "":
        return empty
    return f"{number(value, decimals=2)} €"


def de_percent(value: int | None, empty: str = "keine Daten") -> str:
    return empty if value is None else f"{value} %"
