"""Extract the action-plan table from untrusted files: TSV/CSV, XLSX, ODS, DOCX, HTML.

Every reader returns a RawTable (rows of cell strings plus the text before the table) or
raises ImportFailed with a German message. Archives are checked for zip bombs before any
XML is parsed, XML goes through defusedxml, and nothing is ever evaluated.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings

from leitwerk.core import workbooks

from .plan_parser import Sheet, find_header, rank_header
from .services.common import ImportFailed

MAX_COLUMNS = workbooks.MAX_COLUMNS
# Archive limits: core.workbooks (one guard for every workbook upload, M4).
MAX_MEMBERS = workbooks.MAX_MEMBERS


@dataclass
class RawTable:
    rows: list[list[str]]
    row_numbers: list[int]
    preamble: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    fmt: str = ""
    # Workbooks: every sheet in file order (the parser reads them all); `rows` is the first
    # sheet with a table, for the readers' callers that look at one table only.
    sheets: list[Sheet] = field(default_factory=list)
    # Documents (DOCX, HTML): text after the table and other tables' text, never dropped.
    after: list[str] = field(default_factory=list)


def max_rows() -> int:
    return int(getattr(settings, "LEITWERK_IMPORT_MAX_ROWS", 10_000))


def max_bytes() -> int:
    return int(getattr(settings, "LEITWERK_IMPORT_MAX_BYTES", 25 * 1024 * 1024))


def too_many_rows(name: str, row: int | None = None) -> ImportFailed:
    return ImportFailed.single(
        f"{name}: mehr als {max_rows()} Zeilen; die Datei wird nicht eingelesen.", row=row
    )


def cell_str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read(name: str, data: bytes) -> RawTable:
    """Pick the reader by content first (names lie), then by extension."""
    if len(data) > max_bytes():
        raise ImportFailed.single(
            f"{name}: Datei ist größer als {max_bytes() // (1024 * 1024)} MB."
        )
    if not data.strip():
        raise ImportFailed.single(f"{name}: Datei ist leer.")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data[:4] == b"PK\x03\x04" or ext in ("xlsx", "xlsm", "ods", "docx"):
        members = check_zip(name, data, ext)
        if "xl/workbook.xml" in members:
            return read_xlsx(name, data)
        if "content.xml" in members and ext != "docx":
            return read_ods(name, data)
        if "word/document.xml" in members:
            return read_docx(name, data)
        kind = ext.upper() or "Office"
        raise ImportFailed.single(
            f"{name}: keine gültige {kind}-Datei (das Archiv enthält keine Tabelle)."
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFailed.single(
            f"{name}: altes Excel-/Word-Format (.xls/.doc) wird nicht unterstützt; "
            "bitte als .xlsx, .docx oder .csv speichern."
        )
    text = decode(name, data)
    if ext in ("html", "htm") or re.match(r"\s*(<!doctype html|<html|<table|<body)", text, re.I):
        return read_html(name, text)
    return read_text(name, text)


def check_zip(name: str, data: bytes, ext: str) -> set[str]:
    """The kernel's one workbook guard (core.workbooks), with the importers' error type."""
    try:
        return workbooks.archive_check(name, data, kind=ext.upper() or "Office")
    except workbooks.WorkbookRefused as refused:
        raise ImportFailed.single(str(refused)) from None


# --- text (TSV/CSV) -------------------------------------------------------------------------


def decode(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ImportFailed.single(f"{name}: keine Text- oder Tabellendatei (Binärdaten).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


DELIMITERS = ("\t", ";", ",", "|")


def preamble_line(line: str, delim: str) -> str:
    if delim not in line and not line.startswith('"'):
        return unformula_line(line.strip())
    try:
        cells = next(csv.reader([line], delimiter=delim, quotechar='"'))
    except (csv.Error, StopIteration):
        return line.strip()
    return " ".join(unformula_line(c.strip()) for c in cells if c.strip())


def unformula_line(text: str) -> str:
    """Undo the export's formula neutralisation of a title-block line ("'=x" → "=x")."""
    from .plan_parser import unformula

    return unformula(text)


def read_text(name: str, text: str) -> RawTable:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > max_rows() * 50:
        raise too_many_rows(name)
    best = None  # (field count, -line, delimiter, line index)
    probe = lines[:200]
    for delim in DELIMITERS:
        candidates = [ln.split(delim) if delim in ln else [ln] for ln in probe]
        at, count = rank_header(candidates, {}, limit=200)
        if at is None:
            continue
        key = (count, -at)
        if best is None or key > best[0]:
            best = (key, delim, at)
    if best is None:
        # Without a recognisable header the parser reports the problem; give it rows anyway.
        delim = max(DELIMITERS, key=lambda d: text.count(d))
        start = 0
    else:
        _key, delim, start = best
        # A group row over the header ("Planung" over "Ziel | Maßnahmen") belongs to the
        # table: the parser combines the two.
        above = [c for c in lines[start - 1].split(delim) if c.strip()] if start else []
        if len(above) >= 2 and all(len(c) <= 60 for c in above):
            start -= 1
    # Spreadsheet programs pad text rows above the table with delimiters ("Titel;;;;").
    preamble = [preamble_line(ln, delim) for ln in lines[:start]]
    headings = [ln.lstrip("#").strip() for ln in preamble if ln.startswith("#")]
    rows: list[list[str]] = []
    numbers: list[int] = []
    body = "\n".join(lines[start:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, quotechar='"')
    line_before = 0
    try:
        for record in reader:
            rows.append(list(record[:MAX_COLUMNS]))
            numbers.append(start + line_before + 1)
            line_before = reader.line_num
            if len(rows) > max_rows() + 1:
                raise too_many_rows(name, numbers[-1])
    except csv.Error:
        raise ImportFailed.single(
            f"{name}, Zeile {start + reader.line_num}: Tabelle nicht lesbar "
            "(Zelle zu groß oder Anführungszeichen nicht geschlossen).",
            row=start + reader.line_num,
        ) from None
    return RawTable(rows, numbers, [p for p in preamble if p], headings, "csv")


# --- XLSX ---------------------------------------------------------------------------------


def read_xlsx(name: str, data: bytes) -> RawTable:
    try:
        # read_only streams rows; data_only takes cached values, so formulas stay inert.
        wb = workbooks.open_workbook(name, data)
    except workbooks.WorkbookRefused:
        raise ImportFailed.single(f"{name}: keine gültige XLSX-Datei.") from None
    sheets: list[Sheet] = []
    n = 0
    try:
        for ws in wb.worksheets:
            rows: list[list[str]] = []
            numbers: list[int] = []
            n = 0
            for values in workbooks.sheet_rows(ws, name=name, max_rows=max_rows() + 100):
                n += 1
                rows.append([cell_str(v) for v in values])
                numbers.append(n)
            merges, hidden_columns = _xlsx_layout(ws)
            sheets.append(
                Sheet(
                    str(ws.title),
                    rows,
                    numbers,
                    merges=[m for m in merges if m[0] < len(rows)],
                    hidden_columns=hidden_columns,
                    hidden=getattr(ws, "sheet_state", "visible") != "visible",
                )
            )
    except workbooks.WorkbookRefused:
        raise too_many_rows(name, n + 1) from None
    except Exception:  # noqa: BLE001
        raise ImportFailed.single(f"{name}: XLSX-Datei nicht lesbar.") from None
    finally:
        wb.close()
    if not sheets:
        raise ImportFailed.single(f"{name}: die Arbeitsmappe enthält kein Tabellenblatt.")
    return _workbook_table(sheets, "xlsx")


def _workbook_table(sheets: list[Sheet], fmt: str) -> RawTable:
    chosen = next((s for s in sheets if find_header(s.rows, {}) is not None), sheets[0])
    return RawTable(chosen.rows, chosen.row_numbers, fmt=fmt, sheets=sheets)


CELL_REF_RE = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _xlsx_layout(ws) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """Merged ranges and hidden columns from the sheet's XML (read-only sheets lack both).

    The part is streamed (iterparse, elements cleared), through defusedxml like all XML here.
    """
    from defusedxml.ElementTree import iterparse

    merges: list[tuple[int, int, int, int]] = []
    hidden: list[int] = []
    if not _may_have_layout(ws):
        return merges, hidden
    with ws._get_source() as source:
        for _event, el in iterparse(source, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and len(merges) < 10_000:
                parts = [CELL_REF_RE.match(p) for p in (el.get("ref") or "").split(":")]
                if len(parts) == 2 and parts[0] and parts[1]:
                    r1, r2 = int(parts[0][2]) - 1, int(parts[1][2]) - 1
                    c1, c2 = _column_index(parts[0][1]), _column_index(parts[1][1])
                    merges.append((r1, c1, r2, min(c2, MAX_COLUMNS - 1)))
            elif tag == "col" and el.get("hidden") in ("1", "true"):
                first, last = int(el.get("min") or 1), int(el.get("max") or 1)
                hidden.extend(range(first - 1, min(last, MAX_COLUMNS)))
            elif tag == "row":
                el.clear()
    return merges, hidden


def _may_have_layout(ws) -> bool:
    """Whether the sheet's XML names a merged range or a hidden column at all.

    Both need an element or attribute of that name ("mergeCell", "hidden"), which no text can
    spell out (element and attribute names cannot be escaped). Scanning the bytes costs a
    fraction of parsing every cell a second time, which was a third of reading a large table
    (issue 21); sheets that have such names are parsed as before.
    """
    tail = b""
    with ws._get_source() as source:
        while chunk := source.read(1 << 20):
            window = tail + chunk
            if b"mergeCell" in window or b"hidden" in window:
                return True
            tail = window[-8:]
    return False


# --- ODS ----------------------------------------------------------------------------------

NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _odf_walk(node, out: list[str]) -> None:
    """Append the text of one ODF text element, spaces, tabs and line breaks expanded."""
    tag = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
    if tag == "s":
        out.append(" " * int(node.get(f"{{{NS_TEXT}}}c", "1") or 1))
    elif tag == "tab":
        out.append("\t")
    elif tag == "line-break":
        out.append("\n")
    else:
        if node.text:
            out.append(node.text)
        for child in node:
            _odf_walk(child, out)
            if child.tail:
                out.append(child.tail)


def _odf_paragraph(node) -> str:
    buf: list[str] = []
    _odf_walk(node, buf)
    return "".join(buf)


def _odf_text(el) -> str:
    """Text of a cell; each paragraph and list item on its own line."""
    parts: list[str] = []
    for child in el:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "list":
            for p in child.iter():
                if p.tag.rsplit("}", 1)[-1] in ("p", "h"):
                    parts.append(_odf_paragraph(p))
        elif tag in ("p", "h"):
            parts.append(_odf_paragraph(child))
    return "\n".join(parts)


def read_ods(name: str, data: bytes) -> RawTable:
    from defusedxml import ElementTree as DET

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = zf.read("content.xml")
        root = DET.fromstring(content)
    except Exception:  # noqa: BLE001
        raise ImportFailed.single(f"{name}: keine gültige ODS-Datei.") from None
    tables = root.findall(f".//{{{NS_TABLE}}}table")
    if not tables:
        raise ImportFailed.single(f"{name}: die Datei enthält keine Tabelle.")
    sheets = [_ods_sheet(name, table, n) for n, table in enumerate(tables, start=1)]
    return _workbook_table(sheets, "ods")


def _ods_sheet(name: str, table, position: int) -> Sheet:
    rows, numbers, spans = _ods_rows(name, table)
    merges = []
    for row_no, col, down, across in spans:
        # Row numbers ascend: bisect keeps many spans linear-logarithmic, not quadratic.
        first = bisect.bisect_left(numbers, row_no)
        last = bisect.bisect_right(numbers, row_no + down - 1) - 1
        merges.append((first, col, last, min(col + across - 1, MAX_COLUMNS - 1)))
    hidden: list[int] = []
    at = 0
    for column in table.iter(f"{{{NS_TABLE}}}table-column"):
        repeat = min(int(column.get(f"{{{NS_TABLE}}}number-columns-repeated", "1") or 1), 1024)
        if column.get(f"{{{NS_TABLE}}}visibility", "visible") != "visible":
            hidden.extend(i for i in range(at, at + repeat) if i < MAX_COLUMNS)
        at += repeat
    title = table.get(f"{{{NS_TABLE}}}name") or f"Tabelle{position}"
    return Sheet(title, rows, numbers, merges=merges, hidden_columns=hidden)


def _ods_rows(
    name: str, table
) -> tuple[list[list[str]], list[int], list[tuple[int, int, int, int]]]:
    """Rows, their sheet row numbers, and spans as (row number, column, rows, columns)."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    spans: list[tuple[int, int, int, int]] = []
    n = 0
    for row in table.iter(f"{{{NS_TABLE}}}table-row"):
        repeat = int(row.get(f"{{{NS_TABLE}}}number-rows-repeated", "1") or 1)
        cells: list[str] = []
        row_spans = []
        for cell in row:
            tag = cell.tag.rsplit("}", 1)[-1]
            if tag not in ("table-cell", "covered-table-cell"):
                continue
            crep = int(cell.get(f"{{{NS_TABLE}}}number-columns-repeated", "1") or 1)
            text = "" if tag == "covered-table-cell" else _odf_text(cell)
            down = _int(cell.get(f"{{{NS_TABLE}}}number-rows-spanned"), 1, 1000)
            across = _int(cell.get(f"{{{NS_TABLE}}}number-columns-spanned"), 1, MAX_COLUMNS)
            if text and (down > 1 or across > 1) and len(cells) < MAX_COLUMNS:
                row_spans.append((len(cells), down, across))
            for _ in range(min(crep, MAX_COLUMNS - len(cells))):
                cells.append(text)
        while cells and not cells[-1]:
            cells.pop()
        # Repeated rows are almost always the empty tail of the sheet: keep one.
        if not cells:
            n += repeat
            continue
        for copy in range(min(repeat, 1000)):
            n += 1
            rows.append(list(cells))
            numbers.append(n)
            if copy == 0:
                spans.extend((n, col, down, across) for col, down, across in row_spans)
            if len(rows) > max_rows() + 100:
                raise too_many_rows(name, n)
    return rows, numbers, spans


# --- DOCX ---------------------------------------------------------------------------------


def _docx_rows(name: str, table) -> tuple[list[list[str]], list[int]]:
    from docx.table import _Cell

    rows: list[list[str]] = []
    numbers: list[int] = []
    for n, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[str] = []
        for tc in tr.tc_lst:
            span = int(tc.grid_span or 1)
            # A vertically merged continuation repeats nothing: it continues above.
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
            cells.append(text)
            cells.extend([""] * (min(span, MAX_COLUMNS) - 1))
        rows.append(cells[:MAX_COLUMNS])
        numbers.append(n)
        if n > max_rows() + 100:
            raise too_many_rows(name, n)
    return rows, numbers


def read_docx(name: str, data: bytes) -> RawTable:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        raise ImportFailed.single(f"{name}: keine gültige DOCX-Datei.") from None
    preamble: list[str] = []
    headings: list[str] = []
    found: RawTable | None = None
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if not text:
                continue
            if found is not None:
                found.after.append(text)
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if style.lower().startswith(("heading", "title", "überschrift", "titel")):
                headings.append(text)
            preamble.append(text)
        elif tag == "tbl" and found is not None:
            table = Table(child, document)
            found.after.extend(
                " | ".join(t for t in (c.text.strip() for c in row.cells) if t)
                for row in table.rows
            )
        elif tag == "tbl":
            rows, numbers = _docx_rows(name, Table(child, document))
            if find_header(rows, {}) is not None:
                # Read on: what follows the table is listed, not dropped.
                found = RawTable(rows, numbers, preamble, headings, "docx")
                continue
            preamble.append("\n".join(" ".join(r) for r in rows))
    if found is not None:
        found.after = [a for a in found.after if a]
        return found
    raise ImportFailed.single(
        f"{name}: das Dokument enthält keine Tabelle mit bekannten Spaltenköpfen "
        "(z. B. „Aktionsfeld“, „Arbeitstitel des Vorhabens“)."
    )


# --- HTML ---------------------------------------------------------------------------------


class _TableHTML(HTMLParser):
    """Collects tables (cells keep their inner markup for list splitting) and leading text."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[str], list[str]]] = []
        self.depth = 0
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.spans: dict[int, int] = {}
        self.colspan = 1
        self.rowspan = 1
        self.text: list[str] = []
        self.headings: list[str] = []
        self.heading: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
            return
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.rows, self.spans = [], {}
                return
        if self.depth == 1 and tag == "tr":
            self.row = []
            return
        if self.depth == 1 and tag in ("td", "th") and self.row is not None:
            self._fill_spans()
            a = dict(attrs)
            self.colspan = _int(a.get("colspan"), 1, MAX_COLUMNS)
            self.rowspan = _int(a.get("rowspan"), 1, 1000)
            self.cell = []
            return
        if self.cell is not None:
            self.cell.append(self.get_starttag_text() or "")
        elif self.depth == 0:
            if tag in self.BLOCK:
                self.text.append("\n")
            if tag in ("h1", "h2", "h3"):
                self.heading = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table":
            if self.depth == 1:
                self._end_row()
                self.tables.append((self.rows, "".join(self.text).split("\n"), self.headings))
            self.depth = max(0, self.depth - 1)
            return
        if self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
            return
        if self.depth == 1 and tag == "tr":
            self._end_row()
            return
        if self.cell is not None:
            self.cell.append(f"</{tag}>")
        elif self.depth == 0:
            if tag in ("h1", "h2", "h3") and self.heading is not None:
                self.headings.append(" ".join("".join(self.heading).split()))
                self.heading = None
            if tag in self.BLOCK:
                self.text.append("\n")

    def handle_startendtag(self, tag, attrs):
        if self.cell is not None:
            self.cell.append(self.get_starttag_text() or "")
        elif self.depth == 0 and tag == "br":
            self.text.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        elif self.depth == 0:
            self.text.append(data)
            if self.heading is not None:
                self.heading.append(data)

    def _fill_spans(self):
        assert self.row is not None
        while self.spans.get(len(self.row), 0) > 0:
            self.spans[len(self.row)] -= 1
            self.row.append("")

    def _end_cell(self):
        if self.cell is None or self.row is None:
            return
        col = len(self.row)
        self.row.append("".join(self.cell))
        if self.rowspan > 1:
            self.spans[col] = self.rowspan - 1
        for extra in range(1, self.colspan):
            self.row.append("")
            if self.rowspan > 1:
                self.spans[col + extra] = self.rowspan - 1
        self.cell = None

    def _end_row(self):
        if self.cell is not None:
            self._end_cell()
        if self.row is not None:
            self._fill_spans()
            self.rows.append(self.row[:MAX_COLUMNS])
            if len(self.rows) > max_rows() + 100:
                raise too_many_rows("HTML")
        self.row = None


def _int(value, default: int, cap: int) -> int:
    try:
        return max(1, min(int(value), cap))
    except (TypeError, ValueError):
        return default


def read_html(name: str, text: str) -> RawTable:
    parser = _TableHTML()
    try:
        parser.feed(text)
        parser.close()
    except ImportFailed:
        raise ImportFailed.single(f"{name}: mehr als {max_rows()} Zeilen.") from None
    except Exception:  # noqa: BLE001
        raise ImportFailed.single(f"{name}: HTML nicht lesbar.") from None
    if not parser.tables:
        raise ImportFailed.single(f"{name}: die HTML-Datei enthält keine Tabelle.")
    chosen = next(
        (n for n, (rows, _b, _h) in enumerate(parser.tables) if find_header(rows, {}) is not None),
        0,
    )
    rows, before, headings = parser.tables[chosen]
    preamble = [" ".join(t.split()) for t in before if t.strip()]
    # The text outside tables is collected for the whole page: what follows this table, and
    # every other table, is listed as not assigned instead of being dropped.
    full = "".join(parser.text)
    after = [" ".join(t.split()) for t in full[len("\n".join(before)) :].split("\n")]
    for n, (other, _b, _h) in enumerate(parser.tables):
        if n != chosen:
            after.extend(" | ".join(c for c in (_flat(x) for x in row) if c) for row in other)
    table = RawTable(rows, list(range(1, len(rows) + 1)), preamble, headings, "html")
    table.after = [a for a in after if a]
    return table


def _flat(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())
