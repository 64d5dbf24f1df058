"""Reads a list of obstacles (Hemmnisse) from CSV or XLSX: one row per obstacle.

Pure: bytes in, rows out (no database). The first row names the columns; the names people
actually write are accepted ("Hemmnis" or "Titel", "Einheit" or "Fachbereich" …), in any
order. XLSX goes through the kernel's workbook guard (`core.workbooks`: zip checks, streaming,
row cap); CSV is read row by row with the same cap.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from leitwerk.core.workbooks import WorkbookRefused, open_workbook, sheet_rows

from .readers import ReadError, decode_text
from .services.common import ImportFailed, ImportProblem

# Column → accepted headings (compared lower-case, without spaces around).
COLUMNS = {
    "title": ("titel", "hemmnis", "bezeichnung", "name"),
    "description": ("beschreibung", "erläuterung", "erlaeuterung", "text"),
    "unit": ("einheit", "organisationseinheit", "fachbereich", "amt", "bereich"),
    "category": ("kategorie", "art"),
    "impact": ("auswirkung",),
    "frequency": ("häufigkeit", "haeufigkeit"),
}
LABELS = {
    "title": "Titel",
    "description": "Beschreibung",
    "unit": "Einheit",
    "category": "Kategorie",
    "impact": "Auswirkung",
    "frequency": "Häufigkeit",
}


def max_rows() -> int:
    return int(getattr(settings, "LEITWERK_IMPORT_MAX_ROWS", 10_000))


@dataclass(frozen=True)
class ObstacleRow:
    row: int  # the row number in the file (the header is row 1)
    title: str
    description: str
    unit: str
    category: str
    impact: str
    frequency: str


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _header(cells: Iterable[Any], name: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        heading = _cell(cell).lower()
        for key, names in COLUMNS.items():
            if heading in names and key not in found:
                found[key] = index
    if "title" not in found:
        raise ImportFailed.single(
            f"{name}: keine Spalte „Titel“ (oder „Hemmnis“) in der ersten Zeile. Die erste "
            "Zeile nennt die Spalten: Titel, Beschreibung, Einheit (Kategorie, Auswirkung, "
            "Häufigkeit nach Wunsch).",
            row=1,
        )
    return found


def _rows(lines: Iterator[tuple[Any, ...]], name: str) -> list[ObstacleRow]:
    try:
        header = next(lines)
    except StopIteration:
        raise ImportFailed.single(f"{name}: die Datei ist leer.") from None
    columns = _header(header, name)
    rows: list[ObstacleRow] = []
    for number, cells in enumerate(lines, start=2):
        if number > max_rows() + 1:
            raise ImportFailed.single(
                f"{name}: mehr als {max_rows()} Zeilen; die Datei wird nicht eingelesen.",
                row=number,
            )
        values = {
            key: _cell(cells[index]) if index < len(cells) else "" for key, index in columns.items()
        }
        if not any(values.values()):
            continue  # an empty line between blocks
        rows.append(
            ObstacleRow(
                row=number,
                title=values.get("title", ""),
                description=values.get("description", ""),
                unit=values.get("unit", ""),
                category=values.get("category", ""),
                impact=values.get("impact", ""),
                frequency=values.get("frequency", ""),
            )
        )
    if not rows:
        raise ImportFailed.single(f"{name}: unter der Kopfzeile steht kein Hemmnis.")
    return rows


def _csv_lines(data: bytes) -> Iterator[tuple[Any, ...]]:
    try:
        text = decode_text(data)
    except ReadError as error:
        raise ImportFailed.single(str(error)) from None
    first = text.split("\n", 1)[0]
    # German spreadsheets write ";"; others ","; tab-separated files a tab.
    delimiter = max((";", ",", "\t"), key=first.count)
    for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield tuple(cells)


def _xlsx_lines(data: bytes, name: str) -> Iterator[tuple[Any, ...]]:
    try:
        workbook = open_workbook(name, data)
    except WorkbookRefused as error:
        raise ImportFailed.single(str(error)) from None
    try:
        sheet = workbook.worksheets[0]
        try:
            yield from sheet_rows(sheet, name=name, max_rows=max_rows() + 1)
        except WorkbookRefused as error:
            raise ImportFailed.single(str(error)) from None
    finally:
        workbook.close()


def read_obstacles(data: bytes, name: str) -> list[ObstacleRow]:
    """The obstacle rows of a CSV/TSV or XLSX file; `ImportFailed` with German reasons."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _rows(_csv_lines(data), name)
    if suffix == ".xlsx":
        return _rows(_xlsx_lines(data, name), name)
    raise ImportFailed(
        [ImportProblem(f"{name}: bitte eine CSV- oder Excel-Datei (.xlsx) hochladen.")]
    )
