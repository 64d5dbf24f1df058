"""German number and date formats for the report renderers (PDF, DOCX, XLSX alike)."""

from __future__ import annotations

from decimal import Decimal

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
    """'1234567.5' → '1.234.567,5' (trailing zeros dropped)."""
    if value is None or value == "":
        return empty
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if number < 0 else ""
    whole, _, frac = format(abs(number), "f").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    frac = frac.rstrip("0")
    return sign + ".".join(groups) + (f",{frac}" if frac else "")


def de_money(value: str | None, empty: str = "–") -> str:
    if value is None or value == "":
        return empty
    number = Decimal(value).quantize(Decimal("0.01"))
    text = de_number(str(number), 2)
    if "," in text:
        whole, frac = text.split(",")
        text = f"{whole},{frac.ljust(2, '0')}"
    else:
        text += ",00"
    return f"{text} €"


def de_percent(value: int | None, empty: str = "keine Daten") -> str:
    return empty if value is None else f"{value} %"
