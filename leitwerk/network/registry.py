"""Reading the official municipality directory (Gemeindeverzeichnis, GV-ISys) as a stream.

Accepted files: CSV (any of `, ; tab`, UTF-8 or Windows-1252) or XLSX. The header row may sit
below title rows (as in the Destatis download); it is the first row that names a municipality
column. Columns, matched case-insensitively by any of the names listed:

| meaning | column names |
|---|---|
| AGS (8 digits) | `AGS`, `Amtlicher Gemeindeschlüssel`, `Gemeindeschlüssel` |
| – or the 12-digit ARS | `ARS`, `Regionalschlüssel` (first 5 + last 3 digits) |
| – or in parts, as in GV-ISys | `Land` (2), `RB` (1), `Kreis` (2), `Gem` (3) |
| name | `Name`, `Gemeindename`, `Gemeinde`, `Gemeindename/Verwaltungssitz` |
| population | `Einwohner`, `Bevölkerung`, `Bevölkerung insgesamt`, `population` |
| Land (name or code) | `Land`, `Bundesland`, `state` (when not the two-digit key) |
| record type, optional | `Satzart`: only `60` (Gemeinde) rows are read when present |

The Land is stored by name ("Bayern"); two-letter codes and the AGS prefix are translated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

STATE_BY_KEY = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}
STATE_BY_CODE = {
    "SH": "Schleswig-Holstein",
    "HH": "Hamburg",
    "NI": "Niedersachsen",
    "HB": "Bremen",
    "NW": "Nordrhein-Westfalen",
    "HE": "Hessen",
    "RP": "Rheinland-Pfalz",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "SL": "Saarland",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "MV": "Mecklenburg-Vorpommern",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}

ALIASES = {
    "ags": ("ags", "amtlicher gemeindeschlüssel", "gemeindeschlüssel", "gemeindeschluessel"),
    "ars": ("ars", "regionalschlüssel", "amtlicher regionalschlüssel"),
    "name": ("name", "gemeindename", "gemeinde", "gemeindename/verwaltungssitz", "gemeindenamen"),
    "population": (
        "einwohner",
        "bevölkerung",
        "bevölkerung insgesamt",
        "population",
        "einwohnerzahl",
    ),
    "state": ("land", "bundesland", "state"),
    "rb": ("rb", "regierungsbezirk"),
    "kreis": ("kreis",),
    "gem": ("gem", "gemeinde-schlüssel"),
    "satzart": ("satzart",),
}
HEADER_SCAN_ROWS = 15


class RegistryFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    ags: str
    name: str
    state: str
    population: int | None


def state_name(value: str, ags: str = "") -> str:
    value = (value or "").strip()
    if value.upper() in STATE_BY_CODE:
        return STATE_BY_CODE[value.upper()]
    if re.fullmatch(r"\d{1,2}", value):
        return STATE_BY_KEY.get(value.zfill(2), "")
    if value:
        return value
    return STATE_BY_KEY.get(ags[:2], "") if ags else ""


def _norm(header: Any) -> str:
    return " ".join(str(header or "").replace("\n", " ").split()).casefold()


def _columns(header: list[Any]) -> dict[str, int]:
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for key, aliases in ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases and key not in found:
                found[key] = i
    return found


def _digits(value: Any, width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s", "", str(value))
    return text.zfill(width) if text.isdigit() else ""


def _population(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return int(value)
    text = re.sub(r"[\s.]", "", str(value)).replace(",", ".")
    try:
        return int(float(text))
    except ValueError:
        return None


def entries_from_rows(rows: Iterator[list[Any]]) -> Iterator[Entry]:
    """Entries from raw rows (header first, possibly after title rows), one at a time."""
    cols: dict[str, int] = {}
    for scanned, row in enumerate(rows):
        cols = _columns(list(row))
        if "name" in cols and ("ags" in cols or "ars" in cols or "gem" in cols):
            break
        if scanned >= HEADER_SCAN_ROWS:
            break
    else:
        cols = {}
    if "name" not in cols:
        raise RegistryFormatError(
            "Keine Kopfzeile mit Gemeindename und Gemeindeschlüssel gefunden "
            "(erwartet z. B. „AGS;Name;Einwohner;Land“)."
        )
    split_key = "ags" not in cols and "ars" not in cols
    for row in rows:

        def cell(key: str, row: list[Any] = row) -> Any:
            i = cols.get(key)
            return row[i] if i is not None and i < len(row) else None

        if "satzart" in cols and _digits(cell("satzart"), 2) not in ("60", ""):
            continue
        name = str(cell("name") or "").strip()
        if not name:
            continue
        if split_key:
            parts = [
                _digits(cell("state"), 2),
                _digits(cell("rb"), 1),
                _digits(cell("kreis"), 2),
                _digits(cell("gem"), 3),
            ]
            ags = "".join(parts) if all(parts) else ""
            land = state_name("", ags)
        else:
            if "ags" in cols:
                ags = _digits(cell("ags"), 8)
            else:
                ars = _digits(cell("ars"), 12)
                ags = ars[:5] + ars[-3:] if ars else ""
            land = state_name(str(cell("state") or ""), ags)
        if ags and len(ags) != 8:
            ags = ""
        yield Entry(ags=ags, name=name, state=land, population=_population(cell("population")))


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()[:65536]
    best = from_bytes(raw).best()
    encoding = best.encoding if best is not None else "utf-8"
    with path.open(encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(8192)
        fh.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(fh, dialect)


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        # The Destatis workbook puts the directory on the second sheet, after an explanation.
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            head = [list(r) for _, r in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
            if any("name" in _columns(r) for r in head):
                yield from head
                for r in rows:
                    yield list(r)
                return
    finally:
        workbook.close()


def read_entries(path: Path) -> Iterator[Entry]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return entries_from_rows(_xlsx_rows(path))
    if suffix in (".csv", ".txt"):
        return entries_from_rows(_csv_rows(path))
    raise RegistryFormatError(f"Dateiformat {suffix or '(ohne Endung)'} wird nicht unterstützt.")


def read_entries_from_text(text: str) -> Iterator[Entry]:
    return entries_from_rows(iter(csv.reader(io.StringIO(text), delimiter=";")))
