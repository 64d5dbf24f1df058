"""Import of a Produkthaushalt (product list) and of key-figure values, as finance systems
export them (CSV or XLSX).

Both imports read a table, find the header row, recognise its columns by synonyms (reporting
those they do not know), check every row, and only then write, in one transaction through
`budget.services.budget_rows_apply`: all or nothing, and idempotent (codes identify rows).
A problem names the file, the sheet, the row and the column, in German.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from leitwerk.budget.models import KeyFigure, KeyFigureDirection, Product, ProductLevel, ValueKind
from leitwerk.budget.services import (
    AreaRow,
    KeyFigureRow,
    ProductRow,
    ValueRow,
    budget_rows_apply,
)
from leitwerk.core.workbooks import WorkbookRefused, open_workbook, sheet_rows
from leitwerk.imports.readers import ReadError, decode_text
from leitwerk.municipalities.models import Municipality

from .common import ImportFailed, ImportProblem, run_record

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 15
MAX_ERRORS = 50
YEARS = range(1990, 2101)


def normalise(header: Any) -> str:
    """A header as compared with the synonyms: lower case, umlauts spelled out, letters and
    digits only ("Produkt-Nr." → "produktnr", "Maßeinheit" → "masseinheit")."""
    text = str(header or "").strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


# Column → the headers that mean it (normalised). Finance systems (and the Kämmerei's own
# Excel lists) name the same column differently; these are the spellings seen in exports.
PRODUCT_COLUMNS: dict[str, tuple[str, ...]] = {
    "area_code": ("teilhaushalt", "teilhaushaltnr", "teilhaushaltnummer", "th", "thnr"),
    "area_title": (
        "teilhaushaltbezeichnung",
        "bezeichnungteilhaushalt",
        "teilhaushaltname",
        "thbezeichnung",
    ),
    "pb_code": ("produktbereich", "produktbereichnr", "produktbereichnummer", "pb", "pbnr"),
    "pb_title": (
        "produktbereichbezeichnung",
        "bezeichnungproduktbereich",
        "pbbezeichnung",
        "produktbereichname",
    ),
    "pg_code": ("produktgruppe", "produktgruppenr", "produktgruppennummer", "pg", "pgnr"),
    "pg_title": (
        "produktgruppebezeichnung",
        "produktgruppenbezeichnung",
        "bezeichnungproduktgruppe",
        "pgbezeichnung",
        "produktgruppenname",
    ),
    "product_code": (
        "produkt",
        "produktnr",
        "produktnummer",
        "produktschluessel",
        "produktcode",
        "produktkennung",
    ),
    "product_title": (
        "produktbezeichnung",
        "bezeichnung",
        "produktname",
        "bezeichnungprodukt",
        "produkttitel",
    ),
    "description": ("beschreibung", "produktbeschreibung", "kurzbeschreibung", "inhalt"),
    "responsible": (
        "verantwortlich",
        "verantwortung",
        "produktverantwortlich",
        "produktverantwortlicher",
        "produktverantwortliche",
        "organisationseinheit",
        "fachbereich",
        "amt",
    ),
    "kf_code": ("kennzahlnr", "kennzahlnummer", "kennzahlcode", "kznr", "kennzahlschluessel"),
    "kf_name": ("kennzahl", "kennzahlbezeichnung", "kennzahlname", "kennzahlen"),
    "unit": ("einheit", "masseinheit", "dimension"),
    "direction": ("richtung", "zielrichtung", "wirkungsrichtung"),
}

VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "product_code": PRODUCT_COLUMNS["product_code"],
    "kf_code": (*PRODUCT_COLUMNS["kf_code"], "kennzahl"),
    "year": ("jahr", "haushaltsjahr", "hj", "rechnungsjahr"),
    "value": ("wert", "istwert", "ist", "betrag", "ergebnis"),
    "kind": ("art", "wertart"),
}

# "Ist 2024", "Ergebnis 2024", "Ansatz 2025", "Planung 2027", "2026 Ziel": one column per year
# and kind, as the "Ziele und Kennzahlen" pages of a budget plan lay them out.
_KIND_WORDS = {
    "ist": ValueKind.ACTUAL,
    "ergebnis": ValueKind.ACTUAL,
    "rechnungsergebnis": ValueKind.ACTUAL,
    "plan": ValueKind.PLAN,
    "ansatz": ValueKind.PLAN,
    "haushaltsansatz": ValueKind.PLAN,
    "ziel": ValueKind.TARGET,
    "zielwert": ValueKind.TARGET,
    "planung": ValueKind.TARGET,
    "finanzplanung": ValueKind.TARGET,
    "soll": ValueKind.TARGET,
}
_YEAR_COLUMN = re.compile(r"^(?:([a-z]+)(\d{4})|(\d{4})([a-z]+))$")
_KIND_VALUES = {
    "ist": ValueKind.ACTUAL,
    "actual": ValueKind.ACTUAL,
    "plan": ValueKind.PLAN,
    "ansatz": ValueKind.PLAN,
    "ziel": ValueKind.TARGET,
    "target": ValueKind.TARGET,
    "soll": ValueKind.TARGET,
}
_DIRECTIONS = {
    "steigend": KeyFigureDirection.INCREASE,
    "hoeher": KeyFigureDirection.INCREASE,
    "mehr": KeyFigureDirection.INCREASE,
    "increase": KeyFigureDirection.INCREASE,
    "fallend": KeyFigureDirection.DECREASE,
    "niedriger": KeyFigureDirection.DECREASE,
    "weniger": KeyFigureDirection.DECREASE,
    "decrease": KeyFigureDirection.DECREASE,
}


@dataclass
class Table:
    """The rows below the header of one sheet, with where they came from."""

    file_name: str
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the person sees it, cells)

    def where(self, row: int | None = None, column: str | None = None) -> str:
        parts = [self.file_name]
        if self.sheet:
            parts.append(f"Blatt „{self.sheet}“")
        if row is not None:
            parts.append(f"Zeile {row}")
        if column:
            parts.append(f"Spalte „{column}“")
        return ", ".join(parts)


@dataclass
class Columns:
    by_key: dict[str, int] = field(default_factory=dict)
    years: list[tuple[int, int, str]] = field(default_factory=list)  # (index, year, kind)
    unrecognised: list[str] = field(default_factory=list)


def _raw_rows(path: Path, name: str) -> Iterable[tuple[str | None, list[tuple[Any, ...]]]]:
    data = path.read_bytes()
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" or data.startswith(b"PK\x03\x04"):
        workbook = open_workbook(name, data)
        try:
            sheets = []
            for sheet in workbook.worksheets:
                sheets.append((sheet.title, list(sheet_rows(sheet, name=name, max_rows=MAX_ROWS))))
            return sheets
        finally:
            workbook.close()
    if suffix not in (".csv", ".tsv", ".txt", ""):
        raise ImportFailed.single(
            f"{name}: das Format wird nicht unterstützt; bitte CSV oder XLSX verwenden."
        )
    try:
        text = decode_text(data)
    except ReadError as error:
        raise ImportFailed.single(f"{name}: {error}") from None
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for number, row in enumerate(reader, start=1):
        if number > MAX_ROWS:
            raise ImportFailed.single(f"{name}: mehr als {MAX_ROWS} Zeilen.")
        rows.append(tuple(row))
    return [(None, rows)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_table(
    path: Path, name: str, synonyms: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Table:
    """The first sheet whose header (within its first rows) names the required columns."""
    known = {syn for names in synonyms.values() for syn in names}
    try:
        sheets = list(_raw_rows(path, name))
    except WorkbookRefused as refused:
        raise ImportFailed.single(str(refused)) from None
    for sheet, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cells = [normalise(c) for c in row]
            hits = {c for c in cells if c in known or _YEAR_COLUMN.match(c)}
            if all(any(c in synonyms[key] for c in cells) for key in required) and len(hits) >= 2:
                return Table(
                    file_name=name,
                    sheet=sheet,
                    header_row=index + 1,
                    headers=[_cell(c) for c in row],
                    rows=[
                        (index + 2 + offset, list(r))
                        for offset, r in enumerate(rows[index + 1 :])
                        if any(_cell(c) for c in r)
                    ],
                )
    wanted = " und ".join(f"„{synonyms[key][0].capitalize()}“" for key in required)
    raise ImportFailed.single(
        f"{name}: keine Kopfzeile mit der Spalte {wanted} gefunden "
        f"(gesucht in den ersten {HEADER_SEARCH_ROWS} Zeilen jedes Blatts)."
    )


def _columns(table: Table, synonyms: dict[str, tuple[str, ...]], *, years: bool) -> Columns:
    found = Columns()
    for index, header in enumerate(table.headers):
        key = normalise(header)
        if not key:
            continue
        match = next((k for k, names in synonyms.items() if key in names), None)
        if match and match not in found.by_key:
            found.by_key[match] = index
            continue
        year_match = _YEAR_COLUMN.match(key) if years else None
        if year_match:
            word = year_match.group(1) or year_match.group(4)
            year = int(year_match.group(2) or year_match.group(3))
            if word in _KIND_WORDS and year in YEARS:
                found.years.append((index, year, _KIND_WORDS[word]))
                continue
        found.unrecognised.append(header)
    return found


_GERMAN_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(value: Any) -> Decimal | None:
    """A cell as a number: XLSX numbers as they are, text in German or plain notation
    ("1.234,5", "1234.5", "12 %"); None for an empty cell; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not text or text in ("-", "–"):
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    elif _GERMAN_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise ValueError
    return number


def _split_code(text: str) -> tuple[str, str]:
    """ "11 Innere Verwaltung" → ("11", "Innere Verwaltung"): exports often put both in one cell."""
    head, _, rest = text.partition(" ")
    if rest and any(ch.isdigit() for ch in head):
        return head.strip(), rest.strip(" -–:")
    return text, ""


class _Collector:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.errors: list[ImportProblem] = []

    def error(self, message: str, row: int | None = None, column: int | None = None) -> None:
        header = self.table.headers[column] if column is not None else None
        self.errors.append(
            ImportProblem(f"{self.table.where(row, header)}: {message}", row, header or None)
        )

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportFailed(self.errors[:MAX_ERRORS])


def _get(cells: list[Any], columns: Columns, key: str) -> str:
    index = columns.by_key.get(key)
    if index is None or index >= len(cells):
        return ""
    return _cell(cells[index])


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _result(
    *,
    kind: str,
    dry_run: bool,
    counts: dict[str, int],
    applied: dict[str, dict[str, int]],
    columns: Columns,
    table: Table,
) -> dict[str, Any]:
    warnings = [
        f"{table.where()}: Spalte „{header}“ wurde nicht erkannt und nicht eingelesen."
        for header in columns.unrecognised
    ]
    return {
        "kind": kind,
        "dry_run": dry_run,
        "counts": counts,
        "created": applied["created"],
        "updated": applied["updated"],
        "columns": {
            "recognised": [table.headers[i] for i in sorted(columns.by_key.values())]
            + [table.headers[i] for i, _y, _k in columns.years],
            "unrecognised": columns.unrecognised,
        },
        "warnings": warnings,
    }


def _apply(
    *,
    kind: str,
    municipality: Municipality,
    path: Path,
    name: str,
    actor: Any,
    dry_run: bool,
    rows: dict[str, list[Any]],
) -> dict[str, dict[str, int]]:
    with transaction.atomic():
        applied = budget_rows_apply(
            municipality=municipality,
            actor=actor,
            areas=rows.get("areas", []),
            products=rows.get("products", []),
            key_figures=rows.get("key_figures", []),
            values=rows.get("values", []),
            source_name=name,
        )
        if dry_run:
            # The preview runs the same writes and throws them away: its counts are the truth.
            transaction.set_rollback(True)
        else:
            run_record(
                run_id=None,
                municipality=municipality,
                kind=kind,
                source_name=name[:300],
                source_hash=_hash(path),
                dry_run=False,
                result=applied,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    return applied


class _ProductList:
    """The rows of a product list, checked one at a time; problems collect, nothing is written."""

    def __init__(self, table: Table, columns: Columns) -> None:
        self.columns = columns
        self.problems = _Collector(table)
        self.areas: dict[str, AreaRow] = {}
        self.products: dict[str, tuple[int, ProductRow]] = {}
        self.figures: dict[tuple[str, str], KeyFigureRow] = {}
        self.values: dict[tuple[str, str, int, str], ValueRow] = {}

    def _code_and_title(self, cells: list[Any], code_key: str, title_key: str) -> tuple[str, str]:
        code, title = _get(cells, self.columns, code_key), _get(cells, self.columns, title_key)
        if code and not title:
            return _split_code(code)
        return code, title

    def _add_product(self, row_no: int, product: ProductRow, column: int | None) -> None:
        seen = self.products.get(product.code)
        if seen is None:
            self.products[product.code] = (row_no, product)
            return
        if (seen[1].title, seen[1].level, seen[1].parent_code) != (
            product.title,
            product.level,
            product.parent_code,
        ):
            self.problems.error(
                f"„{product.code}“ steht schon in Zeile {seen[0]} mit anderer Bezeichnung, "
                "Ebene oder Zuordnung.",
                row_no,
                column,
            )

    def _area(self, row_no: int, cells: list[Any]) -> str:
        code, title = self._code_and_title(cells, "area_code", "area_title")
        if not code:
            return ""
        if code in self.areas and title and self.areas[code].title != title:
            self.problems.error(
                f"Teilhaushalt {code} hat hier eine andere Bezeichnung als weiter oben.",
                row_no,
                self.columns.by_key["area_code"],
            )
        self.areas.setdefault(code, AreaRow(code, title or code))
        return code

    def _parents(self, row_no: int, cells: list[Any]) -> str:
        parent = ""
        for level, code_key, title_key in (
            (ProductLevel.AREA, "pb_code", "pb_title"),
            (ProductLevel.GROUP, "pg_code", "pg_title"),
        ):
            code, title = self._code_and_title(cells, code_key, title_key)
            if code:
                self._add_product(
                    row_no,
                    ProductRow(code=code, title=title or code, level=level, parent_code=parent),
                    self.columns.by_key.get(code_key),
                )
                parent = code
        return parent

    def read(self, row_no: int, cells: list[Any]) -> None:
        area = self._area(row_no, cells)
        parent = self._parents(row_no, cells)
        code, title = self._code_and_title(cells, "product_code", "product_title")
        code_column = self.columns.by_key.get("product_code")
        problem = ""
        if not code:
            # A row of only a Produktbereich or -gruppe describes that level alone.
            problem = "" if parent else "Die Produktnummer fehlt."
        elif not title:
            problem = f"Produkt {code} hat keine Bezeichnung."
        elif len(code) > 40:
            problem = "Die Produktnummer ist länger als 40 Zeichen."
        if problem:
            self.problems.error(problem, row_no, code_column)
        if problem or not code:
            return
        self._add_product(
            row_no,
            ProductRow(
                code=code,
                title=title[:300],
                level=ProductLevel.PRODUCT,
                parent_code=parent,
                area_code=area,
                description=_get(cells, self.columns, "description"),
                responsible=_get(cells, self.columns, "responsible")[:300],
            ),
            code_column,
        )
        self._key_figure(row_no, cells, code)

    def _key_figure(self, row_no: int, cells: list[Any], product_code: str) -> None:
        kf_code, kf_name = (
            _get(cells, self.columns, "kf_code"),
            _get(cells, self.columns, "kf_name"),
        )
        if not (kf_code or kf_name):
            return
        # Many budget plans number no key figures: the name is then its stable key.
        kf_code = (kf_code or kf_name)[:40]
        direction_text = normalise(_get(cells, self.columns, "direction"))
        direction = next(
            (d for word, d in _DIRECTIONS.items() if direction_text.startswith(word)), ""
        )
        if direction_text and not direction:
            self.problems.error(
                "Die Richtung ist unbekannt (erlaubt: steigend, fallend).",
                row_no,
                self.columns.by_key.get("direction"),
            )
        self.figures[(product_code, kf_code)] = KeyFigureRow(
            product_code=product_code,
            code=kf_code,
            name=(kf_name or kf_code)[:300],
            unit=_get(cells, self.columns, "unit")[:50],
            direction=direction,
        )
        for index, year, kind in self.columns.years:
            cell = cells[index] if index < len(cells) else None
            try:
                number = parse_number(cell)
            except ValueError:
                self.problems.error(f"„{_cell(cell)}“ ist keine Zahl.", row_no, index)
                continue
            if number is not None:
                self.values[(product_code, kf_code, year, kind)] = ValueRow(
                    product_code, kf_code, year, kind, number
                )


def budget_import(
    *,
    municipality: Municipality,
    path: Path,
    source_name: str | None = None,
    dry_run: bool = False,
    actor: Any = None,
) -> dict[str, Any]:
    """Import a product list (Teilhaushalt, Produktbereich, -gruppe, Produkt, optionally key
    figures with year columns such as "Ist 2024", "Plan 2025", "Ziel 2026")."""
    name = source_name or path.name
    table = _find_table(path, name, PRODUCT_COLUMNS, ("product_code",))
    columns = _columns(table, PRODUCT_COLUMNS, years=True)
    product_list = _ProductList(table, columns)
    for row_no, cells in table.rows:
        product_list.read(row_no, cells)
    if not product_list.products:
        product_list.problems.error("Die Datei enthält keine Produkte.")
    product_list.problems.raise_if_any()

    rows: dict[str, list[Any]] = {
        "areas": list(product_list.areas.values()),
        "products": [p for _row, p in product_list.products.values()],
        "key_figures": list(product_list.figures.values()),
        "values": list(product_list.values.values()),
    }
    applied = _apply(
        kind="budget",
        municipality=municipality,
        path=path,
        name=name,
        actor=actor,
        dry_run=dry_run,
        rows=rows,
    )
    counts = {
        "budget_areas": len(rows["areas"]),
        "products": len(rows["products"]),
        "key_figures": len(rows["key_figures"]),
        "values": len(rows["values"]),
    }
    return _result(
        kind="budget",
        dry_run=dry_run,
        counts=counts,
        applied=applied,
        columns=columns,
        table=table,
    )


def keyfigure_import(
    *,
    municipality: Municipality,
    path: Path,
    source_name: str | None = None,
    dry_run: bool = False,
    actor: Any = None,
) -> dict[str, Any]:
    """Import key-figure values (product code, key-figure code, year, value; optionally the
    kind Ist/Plan/Ziel, default Ist) for key figures that already exist."""
    name = source_name or path.name
    table = _find_table(path, name, VALUE_COLUMNS, ("product_code", "year"))
    columns = _columns(table, VALUE_COLUMNS, years=False)
    problems = _Collector(table)
    for key, label in (("kf_code", "Kennzahl-Nr."), ("value", "Wert")):
        if key not in columns.by_key:
            problems.error(f"Die Spalte „{label}“ fehlt.", table.header_row)
    problems.raise_if_any()

    values = _keyfigure_values(
        municipality=municipality, table=table, columns=columns, problems=problems
    )
    if not values and not problems.errors:
        problems.error("Die Datei enthält keine Werte.")
    problems.raise_if_any()

    applied = _apply(
        kind="keyfigures",
        municipality=municipality,
        path=path,
        name=name,
        actor=actor,
        dry_run=dry_run,
        rows={"values": [v for _row, v in values.values()]},
    )
    return _result(
        kind="keyfigures",
        dry_run=dry_run,
        counts={"values": len(values)},
        applied=applied,
        columns=columns,
        table=table,
    )


def _keyfigure_values(
    *, municipality: Municipality, table: Table, columns: Columns, problems: _Collector
) -> dict[tuple[str, str, int, str], tuple[int, ValueRow]]:
    """The file's values by (product, key figure, year, kind), each with its row number.

    A row that fails a check is reported to `problems` and left out, so one pass shows them all.
    """
    known = {
        (product_code, code)
        for product_code, code in KeyFigure.objects.for_municipality(municipality).values_list(
            "product__code", "code"
        )
    }
    known_products = set(
        Product.objects.for_municipality(municipality).values_list("code", flat=True)
    )
    values: dict[tuple[str, str, int, str], tuple[int, ValueRow]] = {}
    for row_no, cells in table.rows:
        row = _keyfigure_row(
            row_no=row_no,
            cells=cells,
            columns=columns,
            problems=problems,
            known=known,
            known_products=known_products,
        )
        if row is None:
            continue
        value_key = (row.product_code, row.key_figure_code, row.year, str(row.kind))
        if value_key in values and values[value_key][1].value != row.value:
            problems.error(
                f"Derselbe Wert steht schon in Zeile {values[value_key][0]} mit anderer Zahl.",
                row_no,
                columns.by_key["value"],
            )
            continue
        values[value_key] = (row_no, row)
    return values


def _keyfigure_row(
    *,
    row_no: int,
    cells: list[Any],
    columns: Columns,
    problems: _Collector,
    known: set[tuple[str, str]],
    known_products: set[str],
) -> ValueRow | None:
    """One row's value, or None after reporting to `problems` why the row does not count."""
    product_code = _get(cells, columns, "product_code")
    kf_code = _get(cells, columns, "kf_code")
    if product_code not in known_products:
        problems.error(
            f"Produkt „{product_code}“ gibt es nicht; bitte zuerst die Produktliste importieren.",
            row_no,
            columns.by_key["product_code"],
        )
        return None
    if (product_code, kf_code) not in known:
        problems.error(
            f"Produkt {product_code} hat keine Kennzahl „{kf_code}“.",
            row_no,
            columns.by_key["kf_code"],
        )
        return None
    year_text = _get(cells, columns, "year")
    if not (year_text.isdigit() and int(year_text) in YEARS):
        problems.error(
            f"„{year_text}“ ist kein Haushaltsjahr (vierstellig, z. B. 2025).",
            row_no,
            columns.by_key["year"],
        )
        return None
    kind_text = normalise(_get(cells, columns, "kind"))
    kind = _KIND_VALUES.get(kind_text) if kind_text else ValueKind.ACTUAL
    if kind is None:
        problems.error(
            f"Art „{_get(cells, columns, 'kind')}“ ist unbekannt (erlaubt: Ist, Plan, Ziel).",
            row_no,
            columns.by_key.get("kind"),
        )
        return None
    index = columns.by_key["value"]
    try:
        number = parse_number(cells[index] if index < len(cells) else None)
    except ValueError:
        problems.error(f"„{_cell(cells[index])}“ ist keine Zahl.", row_no, index)
        return None
    if number is None:
        problems.error("Der Wert fehlt.", row_no, index)
        return None
    return ValueRow(product_code, kf_code, int(year_text), kind, number)
