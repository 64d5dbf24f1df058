"""Text extraction from untrusted uploads: plain text, Markdown, DOCX, ODT, HTML and PDF.

Every reader returns plain text with one paragraph per block (blank line between blocks),
headings the reader recognised from the layout as Markdown headings ("## …"), and list items
prefixed with "- " (two spaces per nesting level), so that the guideline parser sees one
uniform shape whatever the source format. What the layout shows to be page furniture (running
header and footer, page numbers, navigation, cookie banners) is not part of that text but is
returned beside it (`ExtractedText.furniture`) with its location, so nothing of the file is
dropped without a word. Nothing here executes content from the file; problems become
`ReadError` with a German message that the services turn into an `ImportFailed`.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Office files are zips: we refuse archives that would inflate far beyond the upload limit
# before any XML parser sees them (zip bombs).
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PDF_PAGES = 500


class ReadError(Exception):
    """The file cannot be read as a document; the message is German and shown to the user."""


@dataclass
class Furniture:
    """A piece of the file that frames the content: shown in the preview, not imported."""

    text: str
    kind: str  # header | footer | page_number | navigation | cookie_banner | frame
    where: str  # "Seite 2, oben", "Absatz 3" …


FURNITURE_LABELS = {
    "header": "Kopfzeile",
    "footer": "Fußzeile",
    "page_number": "Seitenzahl",
    "navigation": "Navigation",
    "cookie_banner": "Cookie-Hinweis",
    "frame": "Seitenrahmen (außerhalb des Hauptinhalts)",
}


@dataclass
class ExtractedText:
    text: str
    fmt: str  # "text" | "markdown" | "docx" | "odt" | "html" | "pdf"
    title_hint: str = ""
    furniture: list[Furniture] = field(default_factory=list)
    # where each line of `text` stands in the file ("Seite 1, Zeile 4"); "" for blank lines.
    # Empty when the reader has no better location than the line number of `text`.
    where: list[str] = field(default_factory=list)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252, then charset-normalizer's guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("Die Textdatei ist nicht lesbar kodiert.") from exc
    if b"\x00" in data:
        raise ReadError("Die Datei ist keine Textdatei und hat kein unterstütztes Format.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("Die Textdatei ist nicht lesbar kodiert.")
    return str(best)


def _check_zip(data: bytes, kind: str = "DOCX") -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    # NotImplementedError: a zip version or method Python cannot read (fuzzing, D3).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        if kind == "ODT":
            raise ReadError("Die Datei ist kein gültiges ODT-Dokument.") from exc
        raise ReadError("Die Datei ist kein gültiges Word-Dokument (DOCX).") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError("Das Word-Dokument enthält zu viele Teile.")
    total = sum(max(0, i.file_size) for i in infos)
    compressed = sum(max(0, i.compress_size) for i in infos) or 1
    if total > MAX_ZIP_UNCOMPRESSED or total / compressed > MAX_ZIP_RATIO and total > 10_000_000:
        raise ReadError("Das Word-Dokument ist entpackt zu groß (Verdacht auf eine Zip-Bombe).")
    return archive


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> ExtractedText:
    """Paragraphs and tables of word/document.xml in body order, parsed with defusedxml.

    Heading styles become Markdown headings, with the number Word's list numbering shows
    (`numPr` → `numbering.xml`, also through the style) put before the text; bullets keep
    their nesting level; a two-column table of value | meaning becomes one list.
    """
    archive = _check_zip(data)
    root = _docx_root(data, archive)
    numbering = _DocxNumbering(
        _docx_part(archive, "word/numbering.xml"), _docx_part(archive, "word/styles.xml")
    )
    out = _Blocks()
    title = ""
    body = root.find(f"{_W}body")
    n_para = n_table = 0
    for el in _docx_body(body if body is not None else root):
        if el.tag == f"{_W}tbl":
            n_table += 1
            _table_or_cells(out, _docx_table_rows(el), f"Tabelle {n_table}")
            continue
        text = _docx_para_text(el)
        if text:
            n_para += 1
            title = _docx_paragraph(out, el, text, numbering, title, f"Absatz {n_para}")
    return out.extracted("docx", title)


def _docx_paragraph(out: _Blocks, el, text: str, numbering, title: str, where: str) -> str:
    """One paragraph into the text; returns the document title known so far."""
    style, is_list = _docx_style(el)
    fmt, label, level = numbering.label(el, style)
    heading = re.match(r"(?:heading|berschrift)\s*(\d)", style)
    if style in ("title", "titel") and not title:
        out.block(text, where)
        return text
    if heading:
        depth = int(heading.group(1))
        if label and fmt != "bullet":
            text = f"{label} {text}"
        if depth == 1 and not title:
            title = _LABEL_RE.sub("", text)
        out.block("#" * min(depth, 6) + " " + text, where)
    elif fmt == "bullet" or (is_list and not fmt and not re.match(r"^\d{1,2}[.)]\s", text)):
        out.item("  " * level + "- " + text, where)
    elif label:
        out.block(f"{label} {text}", where)
    else:
        lead, all_bold = _docx_bold_lead(el)
        if all_bold and len(text.split()) <= 12 and not text.endswith((".", ",", ";")):
            out.block("## " + text, where)  # a bold line of its own is a heading
        else:
            out.block(lead_label(lead, text), where)
    return title


def _table_or_cells(out: _Blocks, rows: list[list[str]], where: str) -> None:
    """A value | meaning table as one list; any other table cell by cell."""
    if not _table_blocks(out, rows, where):
        for r, row in enumerate(rows, start=1):
            for cell in row:
                if cell:
                    out.block(cell, f"{where}, Zeile {r}")


_LABEL_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")


def _docx_body(parent):
    """Paragraphs and tables in order; content controls (sdt) are looked into."""
    for el in parent:
        if el.tag in (f"{_W}p", f"{_W}tbl"):
            yield el
        elif el.tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                yield from _docx_body(content)


def _docx_table_rows(tbl) -> list[list[str]]:
    """Cell texts row by row; merged cells (gridSpan, vMerge) are expanded."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in tbl.findall(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid = props.find(f"{_W}gridSpan")
                if grid is not None:
                    span = _int_attr(grid.get(f"{_W}val"), 1, 50)
                merge = props.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val") != "restart"
            text = " ".join(t for t in (_docx_para_text(p) for p in tc.iter(f"{_W}p")) if t)
            if continued:
                text = above.get(len(row), "")
            for _ in range(span):
                above[len(row)] = text
                row.append(text)
        rows.append(row)
    return rows


def _int_attr(value, default: int, cap: int, low: int = 1) -> int:
    try:
        return max(low, min(cap, int(value)))
    except (TypeError, ValueError):
        return default


def _docx_part(archive: zipfile.ZipFile, name: str):
    """An optional part of the package, parsed; None when missing or unreadable."""
    from defusedxml import ElementTree as SafeET

    try:
        return SafeET.fromstring(archive.read(name))
    except Exception:  # noqa: BLE001 - an optional part; the text is still read without it
        return None


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", n
        for value, digits in _ROMAN:
            while rest >= value:
                out, rest = out + digits, rest - value
        return out.upper() if fmt == "upperRoman" else out
    return str(n)


class _DocxNumbering:
    """Word's list numbering: the label ("2.1", "•") each numbered paragraph shows."""

    def __init__(self, numbering, styles) -> None:
        self.levels: dict[str, dict[int, tuple[str, str]]] = {}  # abstractNumId → levels
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.style_num: dict[str, tuple[str, int]] = {}  # styleId (lower) → (numId, ilvl)
        self.counters: dict[str, list[int]] = {}
        # numId → {level: start}: a list instance that starts again ("(1)" under each "§")
        self.restarts: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if numbering is not None:
            for abstract in numbering.findall(f"{_W}abstractNum"):
                levels = {}
                for lvl in abstract.findall(f"{_W}lvl"):
                    fmt = lvl.find(f"{_W}numFmt")
                    text = lvl.find(f"{_W}lvlText")
                    levels[_int_attr(lvl.get(f"{_W}ilvl"), 0, 8, low=0)] = (
                        (fmt.get(f"{_W}val") or "decimal") if fmt is not None else "decimal",
                        (text.get(f"{_W}val") or "") if text is not None else "",
                    )
                self.levels[abstract.get(f"{_W}abstractNumId") or ""] = levels
            for num in numbering.findall(f"{_W}num"):
                ref = num.find(f"{_W}abstractNumId")
                if ref is not None:
                    num_id = num.get(f"{_W}numId") or ""
                    self.nums[num_id] = ref.get(f"{_W}val") or ""
                    for override in num.findall(f"{_W}lvlOverride"):
                        start = override.find(f"{_W}startOverride")
                        if start is not None:
                            self.restarts.setdefault(num_id, {})[
                                _int_attr(override.get(f"{_W}ilvl"), 0, 8, low=0)
                            ] = _int_attr(start.get(f"{_W}val"), 1, 10_000, low=0)
        if styles is not None:
            for style in styles.findall(f"{_W}style"):
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    self.style_num[(style.get(f"{_W}styleId") or "").lower()] = _numpr(numpr)

    def label(self, para, style: str) -> tuple[str, str, int]:
        """(format, label, level) of a numbered paragraph; ("", "", 0) when not numbered."""
        numpr = para.find(f"{_W}pPr/{_W}numPr")
        num_id, level = _numpr(numpr) if numpr is not None else ("", 0)
        if not num_id and style in self.style_num:
            num_id, level = self.style_num[style]
        abstract = self.nums.get(num_id)
        if abstract is None or num_id == "0":
            return "", "", 0
        levels = self.levels.get(abstract, {})
        fmt, pattern = levels.get(level, ("bullet", ""))
        if fmt in ("bullet", "none"):
            return "bullet", pattern, level
        counters = self.counters.setdefault(abstract, [0] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in self.restarts.get(num_id, {}).items():
                counters[lvl] = start - 1
        counters[level] += 1
        for deeper in range(level + 1, 10):
            counters[deeper] = 0
        label = re.sub(
            r"%(\d)",
            lambda m: _format_number(
                max(1, counters[int(m.group(1)) - 1]),
                levels.get(int(m.group(1)) - 1, (fmt, ""))[0],
            ),
            pattern or f"%{level + 1}.",
        )
        return fmt, label.strip(), level


def _numpr(numpr) -> tuple[str, int]:
    num = numpr.find(f"{_W}numId")
    ilvl = numpr.find(f"{_W}ilvl")
    level = _int_attr(ilvl.get(f"{_W}val"), 0, 8, low=0) if ilvl is not None else 0
    return (num.get(f"{_W}val") or "") if num is not None else "", level


class _Blocks:
    """The text being built, line by line, with where each line stands in the file."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.where: list[str] = []
        self.furniture: list[Furniture] = []
        self.last_item = False

    def block(self, text: str, where: str) -> None:
        if self.lines:
            self.lines.append("")
            self.where.append("")
        for line in text.split("\n"):
            self.lines.append(line)
            self.where.append(where)
        self.last_item = False

    def item(self, text: str, where: str) -> None:
        # consecutive list items form one block so that the parser sees one list
        if self.last_item:
            self.lines.append(text)
            self.where.append(where)
        else:
            self.block(text, where)
        self.last_item = True

    def extracted(self, fmt: str, title: str) -> ExtractedText:
        return ExtractedText(
            "\n".join(self.lines) + "\n", fmt, title, self.furniture, self.where + [""]
        )


def _table_blocks(out: _Blocks, rows: list[list[str]], where: str) -> bool:
    """A table of value | meaning (two columns) as one list under its header; False otherwise."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2 or any(len(r) != 2 for r in rows):
        return False
    header: list[str] | None = rows[0]
    body = rows[1:]
    assert header is not None
    if not (
        all(len(c.split()) <= 6 and not c.rstrip().endswith((".", "!", "?")) for c in header)
        and any(r[1].rstrip().endswith((".", "!", "?")) for r in body)
    ):
        header, body = None, rows
    if not all(len(r[0].split()) <= 6 for r in body):
        return False
    if header is not None:
        title = header[0] if header[0] == header[1] or not header[1] else " – ".join(header)
        out.block("## " + title, f"{where}, Kopfzeile")
    for r, (value, meaning) in enumerate(body, start=2 if header else 1):
        text = f"{value}: {meaning}" if value and meaning and value != meaning else value or meaning
        out.item("- " + text, f"{where}, Zeile {r}")
    return True


def _docx_root(data: bytes, archive: zipfile.ZipFile | None = None):
    """The parsed word/document.xml of a checked archive."""
    from defusedxml import ElementTree as SafeET

    archive = archive or _check_zip(data)
    try:
        xml = archive.read("word/document.xml")
    except KeyError as exc:
        raise ReadError("Die Datei ist kein gültiges Word-Dokument (DOCX).") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
        raise ReadError("Das Word-Dokument ist beschädigt.") from exc
    try:
        return SafeET.fromstring(xml)
    except Exception as exc:  # noqa: BLE001 - defusedxml raises several unrelated types
        raise ReadError("Das Word-Dokument ist beschädigt (XML nicht lesbar).") from exc


def _docx_para_text(para) -> str:
    """The stripped text of one paragraph; tabs become spaces, breaks newlines."""
    parts: list[str] = []
    for node in para.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{_W}tab",):
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts).strip()


def _docx_bold_lead(para) -> tuple[str, bool]:
    """The bold text a paragraph starts with, and whether the whole paragraph is bold."""
    lead: list[str] = []
    for run in para.iter(f"{_W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{_W}t"))
        if not text.strip():
            lead.append(text)
            continue
        bold = run.find(f"{_W}rPr/{_W}b")
        if bold is None or bold.get(f"{_W}val") in ("0", "false"):
            return "".join(lead).strip(), False
        lead.append(text)
    return "".join(lead).strip(), True


def lead_label(lead: str, text: str) -> str:
    """A bold lead-in ("Offenheit Wir gehen …") set off as a label ("Offenheit: Wir …"),
    so that the sentence after it decides the statement's kind."""
    rest = text[len(lead) :].strip() if text.startswith(lead) else ""
    if not lead or not rest or len(lead.split()) > 6 or lead.endswith((":", ".", "!", "?")):
        return text
    return f"{lead.rstrip(' –-')}: {rest}"


def _docx_style(para) -> tuple[str, bool]:
    """The paragraph's style name (lower case) and whether it is a list item."""
    style = ""
    props = para.find(f"{_W}pPr")
    is_list = False
    if props is not None:
        style_node = props.find(f"{_W}pStyle")
        if style_node is not None:
            style = (style_node.get(f"{_W}val") or "").lower()
        is_list = props.find(f"{_W}numPr") is not None
    if "list" in style or "aufz" in style:
        is_list = True
    return style, is_list


_COOKIE_RE = re.compile(r"cookie|consent|gdpr|dsgvo|privacy-banner", re.I)
_SKIP_LINK_RE = re.compile(r"skip|sprung|springen", re.I)


class _HTMLText(HTMLParser):
    """Visible text in blocks; the main content apart from the page's frame and banners.

    Scripts, styles and other non-content elements are skipped. Where the page marks its main
    content (`<main>`, `role="main"`, else `<article>`), everything outside it is furniture;
    navigation, cookie banners and the page's own header and footer are furniture everywhere.
    Table cells spanning rows or columns are repeated in every cell they cover.
    """

    SKIP = {"script", "style", "template", "noscript", "head", "iframe", "object", "svg", "math"}
    BLOCK = {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
        "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "pre",
        "figure", "figcaption", "address", "hr", "form", "fieldset", "button",
    }  # fmt: skip

    def __init__(self, main_tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Blocks()
        self.main_tag = main_tag  # "main" | "article" | "" (no main content marked)
        self.context: list[tuple[str, str]] = []  # (tag, furniture kind or "main")
        self.current: list[str] = []
        self.prefix = ""  # "- " of a list item, indented by its level
        self.heading = 0
        self.skip_depth = 0
        self.lists = 0
        self.n_block = 0
        self.title = ""
        self.in_title = False
        self.h1 = ""
        # the table being read: rows of cells, the open cell's text, cells spanning rows below
        self.table_depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.spans: dict[int, tuple[int, str]] = {}

    # -- where we are

    def furniture_kind(self) -> str:
        for _tag, kind in reversed(self.context):
            if kind == "header" and self.heading and not self.main_tag:
                # without a marked main content, a page's heading may sit in its header
                return ""
            return "" if kind == "main" else kind
        return "frame" if self.main_tag else ""

    def _classify(self, tag: str, attrs: dict[str, str]) -> str:
        role = attrs.get("role", "").lower()
        marks = f"{attrs.get('class', '')} {attrs.get('id', '')}"
        inside_main = any(kind == "main" for _t, kind in self.context)
        if _COOKIE_RE.search(marks):
            return "cookie_banner"
        if tag == "main" or role == "main" or tag == self.main_tag == "article":
            return "main"
        if tag == "nav" or role == "navigation":
            return "navigation"
        if tag == "a" and attrs.get("href", "").startswith("#") and _SKIP_LINK_RE.search(marks):
            return "navigation"
        if inside_main:
            return ""  # an article's own header or footer is content
        if tag == "header" or role == "banner":
            return "header"
        if tag == "footer" or role == "contentinfo":
            return "footer"
        if tag == "aside" or role == "complementary":
            return "frame"
        return ""

    # -- text

    def flush(self) -> None:
        if self.cell is not None:
            self.cell.append(" ")
            return
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.current))
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        self.current = []
        prefix, self.prefix = self.prefix, ""
        if not text:
            return
        self.n_block += 1
        where = f"Absatz {self.n_block}"
        kind = self.furniture_kind()
        if kind:
            self.out.furniture.append(Furniture(collapse_ws(text), kind, where))
        elif prefix:
            self.out.item(prefix + text, where)
        elif self.heading:
            self.out.block("#" * self.heading + " " + collapse_ws(text), where)
        else:
            self.out.block(text, where)

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            if tag != "head":
                self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
            return
        attributes = {k: v or "" for k, v in attrs}
        kind = self._classify(tag, attributes)
        if not self._table_start(tag, attributes) and (tag in self.BLOCK or tag == "li"):
            self.flush()
        if kind:
            self.flush()
            self.context.append((tag, kind))
        if tag in ("ul", "ol"):
            self.lists += 1
        elif tag == "li":
            self.prefix = "  " * max(0, self.lists - 1) + "- "
        elif tag == "br":
            self._data("\n")
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading = int(tag[1])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            if tag != "head":
                self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self.in_title = False
            return
        if tag == "table" and self.table_depth:
            self.table_depth -= 1
            if self.table_depth == 0:
                self._end_table()
        elif self.table_depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif tag in self.BLOCK or tag == "li" or re.fullmatch(r"h[1-6]", tag):
            self.flush()
        if tag in ("ul", "ol"):
            self.lists = max(0, self.lists - 1)
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = 0
        for i in range(len(self.context) - 1, -1, -1):
            if self.context[i][0] == tag:
                self.flush()
                del self.context[i:]
                break

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._data("\n")
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.heading == 1 and not self.furniture_kind():
            self.h1 += data
        self._data(data)

    def _data(self, data: str) -> None:
        (self.cell if self.cell is not None else self.current).append(data)

    # -- tables

    def _table_start(self, tag: str, attributes: dict[str, str]) -> bool:
        """Opens a table, row or cell; False for any other tag."""
        if tag == "table":
            self.flush()
            self.table_depth += 1
            if self.table_depth == 1:
                self.rows, self.spans = [], {}
        elif self.table_depth == 1 and tag == "tr":
            self._end_cell()
            self.rows.append([])
            self._fill_spans()
        elif self.table_depth == 1 and tag in ("td", "th"):
            self._end_cell()
            if not self.rows:
                self.rows.append([])
            self.cell = []
            self.cell_span = (
                _int_attr(attributes.get("colspan"), 1, 50),
                _int_attr(attributes.get("rowspan"), 1, 500),
            )
        else:
            return False
        return True

    def _fill_spans(self) -> None:
        row = self.rows[-1]
        while len(row) in self.spans:
            left, text = self.spans.pop(len(row))
            if left > 1:
                self.spans[len(row)] = (left - 1, text)
            row.append(text)

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        text = collapse_ws("".join(self.cell))
        self.cell = None
        row = self.rows[-1]
        cols, rows = self.cell_span
        for _ in range(cols):
            if rows > 1:
                self.spans[len(row)] = (rows - 1, text)
            row.append(text)
            self._fill_spans()

    def _end_table(self) -> None:
        self._end_cell()
        rows = [r for r in self.rows if any(r)]
        self.rows = []
        self.n_block += 1
        where = f"Tabelle in Absatz {self.n_block}"
        kind = self.furniture_kind()
        if kind:
            for row in rows:
                self.out.furniture.append(Furniture(" ".join(c for c in row if c), kind, where))
        elif not _table_blocks(self.out, rows, where):
            for r, row in enumerate(rows, start=1):
                self.out.block(" ".join(c for c in row if c), f"{where}, Zeile {r}")


def collapse_ws(text: str) -> str:
    return " ".join(text.split())


def read_html(text: str) -> ExtractedText:
    head = text[:500_000]
    main_tag = (
        "main"
        if re.search(r"<main\b|\brole\s*=\s*[\"']?main\b", head, re.I)
        else "article"
        if re.search(r"<article\b", head, re.I)
        else ""
    )
    parser = _HTMLText(main_tag)
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # noqa: BLE001 - html.parser may raise on pathological input
        raise ReadError("Die HTML-Datei ist nicht lesbar.") from exc
    parser.flush()
    if parser.table_depth:
        parser._end_table()
    title = collapse_ws(parser.h1) or collapse_ws(parser.title)
    return parser.out.extracted("html", title)


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odf_tag(node) -> str:
    return node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""


def _odf_inline(node, out: list[str]) -> None:
    """The text of one paragraph: spaces, tabs and line breaks expanded; notes skipped."""
    tag = _odf_tag(node)
    if tag == "s":
        out.append(" " * _int_attr(node.get(f"{{{_ODF_TEXT}}}c"), 1, 100))
    elif tag == "tab":
        out.append(" ")
    elif tag == "line-break":
        out.append("\n")
    elif tag not in ("note", "annotation", "list", "table"):
        if node.text:
            out.append(node.text)
        for child in node:
            _odf_inline(child, out)
            if child.tail:
                out.append(child.tail)


def _odf_para(node) -> str:
    buf: list[str] = []
    _odf_inline(node, buf)
    return "\n".join(" ".join(line.split()) for line in "".join(buf).split("\n")).strip()


def read_odt(data: bytes) -> ExtractedText:
    """An OpenDocument text (LibreOffice): headings with their outline level, nested lists."""
    from defusedxml import ElementTree as SafeET

    archive = _check_zip(data, "ODT")
    try:
        root = SafeET.fromstring(archive.read("content.xml"))
    except KeyError as exc:
        raise ReadError("Die Datei ist kein gültiges ODT-Dokument (content.xml fehlt).") from exc
    except Exception as exc:  # noqa: BLE001 - zip and XML errors of a damaged file
        raise ReadError("Das ODT-Dokument ist beschädigt.") from exc
    walker = _OdtWalker()
    walker.walk(root.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"), -1)
    return walker.out.extracted("odt", walker.title)


class _OdtWalker:
    """Headings, paragraphs, (nested) lists and tables of an ODT body, in order."""

    def __init__(self) -> None:
        self.out = _Blocks()
        self.title = ""
        self.paragraphs = 0
        self.tables = 0

    def walk(self, parent, level: int) -> None:
        for node in parent:
            tag = _odf_tag(node)
            if tag in ("p", "h"):
                self.paragraph(node, tag, level)
            elif tag == "list":
                for item in node:
                    if _odf_tag(item) in ("list-item", "list-header"):
                        self.walk(item, level + 1)
            elif tag == "table":
                self.tables += 1
                _table_or_cells(self.out, _odt_table_rows(node), f"Tabelle {self.tables}")
            elif tag in ("section", "text", "body", "index-body", "table-of-content"):
                self.walk(node, level)

    def paragraph(self, node, tag: str, level: int) -> None:
        text = _odf_para(node)
        if not text:
            return
        self.paragraphs += 1
        where = f"Absatz {self.paragraphs}"
        if level >= 0:
            self.out.item("  " * level + "- " + text, where)
        elif tag == "h":
            depth = _int_attr(node.get(f"{{{_ODF_TEXT}}}outline-level"), 1, 6)
            if depth == 1 and not self.title:
                self.title = text
            self.out.block("#" * depth + " " + text, where)
        else:
            self.out.block(text, where)


def _odt_table_rows(table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.iter(f"{{{_ODF_TABLE}}}table-row"):
        cells: list[str] = []
        last, left = "", 0
        for cell in row:
            tag = _odf_tag(cell)
            if tag == "table-cell":
                last = " ".join(_odf_para(p) for p in cell.iter() if _odf_tag(p) in ("p", "h"))
                left = _int_attr(cell.get(f"{{{_ODF_TABLE}}}number-columns-spanned"), 1, 50) - 1
                cells.append(last.strip())
            elif tag == "covered-table-cell":
                # a covered cell repeats the text of the cell spanning it (left or above)
                if left > 0:
                    left -= 1
                    cells.append(last.strip())
                else:
                    above = rows[-1] if rows else []
                    cells.append(above[len(cells)] if len(above) > len(cells) else "")
        rows.append(cells)
    return rows


@dataclass
class _PdfLine:
    page: int
    x: float
    y: float  # from the top of the page
    size: float
    bold: bool
    text: str
    col: int = 0
    heading: bool = False
    where: str = ""
    ended: bool = False  # the text layer ended the line after this piece
    column_start: bool = False  # starts a column beside a line on the same baseline
    lead: str = ""  # the bold run the line starts with, when the rest is not bold


_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:Seite|S\.|Page)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:von|/|of)\s*\d{1,4})?$", re.I
)
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)
# kerning that a PDF's text layer spells as a space ("T eam", "V erwaltung")
_KERN_RE = re.compile(r"\b([TVWYFP]) (?=[aeiouäöüyr][a-zäöüß]+)")
_FURNITURE_ZONE = 0.11  # top and bottom share of a page where running lines stand


def _mul(a: list[float], b: list[float]) -> list[float]:
    """a × b of two PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


# Operators whose operands are all numbers this step computes with.
_MOVES = (b"cm", b"TL", b"Tm", b"Td", b"TD")


def _numeric(values: list) -> bool:
    try:
        [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    return True


class _TextPosition:
    """Where the next text line starts on the page: the graphics matrix (q, Q, cm) times the
    text line matrix (BT, Tm, Td, TD, T*), as PDF 1.7 section 9.4.2 moves them."""

    def __init__(self) -> None:
        self.cm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.stack: list[list[float]] = []
        self.line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.leading = 0.0

    def apply(self, op: bytes, operands: list) -> bool:
        """Follow one operator; True when it moved to a new line."""
        values = [float(v) for v in operands] if op in _MOVES else []
        if op == b"q":
            self.stack.append(self.cm)
        elif op == b"Q" and self.stack:
            self.cm = self.stack.pop()
        elif op == b"cm" and len(values) == 6:
            self.cm = _mul(values, self.cm)
        elif op == b"BT":
            self.line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif op == b"TL" and values:
            self.leading = values[0]
        elif op == b"Tm" and len(values) == 6:
            self.line = values
            return True
        elif op in (b"Td", b"TD") and len(values) == 2:
            self.leading = -values[1] if op == b"TD" else self.leading
            self.line = _mul([1.0, 0.0, 0.0, 1.0, values[0], values[1]], self.line)
            return True
        elif op == b"T*":
            self.line = _mul([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], self.line)
            return True
        return False

    def on_page(self) -> list[float]:
        return _mul(self.line, self.cm)


def _split_columns(page) -> set[tuple[int, int]]:
    """Where a text object moves to another column on the same baseline (the left and the
    right column's line side by side), end it and start a new one: pypdf would otherwise
    join both lines into one ("… sicher. Ich melde …"). Returns the page positions (rounded)
    where such a column starts, so that the lines are not joined again."""
    from pypdf.generic import ContentStream, FloatObject, NameObject

    contents = page.get_contents()
    if contents is None:
        return set()
    stream = ContentStream(contents, page.pdf, "bytes")
    operations = list(stream.operations)
    if not all(_numeric(operands) for operands, op in operations if op in _MOVES):
        # A damaged positioning operator: pypdf reads such a page as well as it can, unsplit.
        return set()
    width = float(page.mediabox.width)
    position = _TextPosition()
    shown: list[float] | None = None  # page position of the last line that showed text
    starts: set[tuple[int, int]] = set()
    ops: list[tuple[list, bytes]] = []
    for operands, op in operations:
        if op == b"BT":
            shown = None
        if position.apply(op, operands):
            here = position.on_page()
            if shown is not None and abs(here[5] - shown[5]) < 1 and here[4] - shown[4] > width / 3:
                # ET/BT flushes pypdf's line; BT resets the matrix, so set it absolutely.
                ops += [([], b"ET"), ([], b"BT")]
                ops.append(([FloatObject(v) for v in position.line], b"Tm"))
                starts.add((round(here[4]), round(here[5])))
                shown = here
                continue
        if op in (b"Tj", b"TJ", b"'", b'"'):
            shown = position.on_page()
        ops.append((operands, op))
    if starts:
        stream.operations = ops
        # Only this read's copy of the page changes (the reader is not written back).
        page[NameObject("/Contents")] = stream
    return starts


def _pdf_fragments(page, number: int) -> list[_PdfLine]:
    """Text pieces with their position, size and weight (pypdf's text visitor)."""
    height = float(page.mediabox.height)
    frags: list[_PdfLine] = []
    starts = _split_columns(page)

    def visit(text, cm, tm, font, font_size):
        ended = text.endswith("\n")
        text = text.replace("\n", " ")
        if not text.strip():
            return
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size * math.hypot(c, d)) or abs(font_size) or 10.0
        name = str((font or {}).get("/BaseFont", ""))
        bold = bool(_BOLD_FONT_RE.search(name))
        frags.append(
            _PdfLine(
                number,
                x,
                height - y,
                size,
                bold,
                text,
                ended=ended,
                column_start=(round(x), round(y)) in starts,
            )
        )

    page.extract_text(visitor_text=visit)
    return frags


def _pdf_lines(frags: list[_PdfLine]) -> list[_PdfLine]:
    """Pieces joined into lines, in the order of the text layer, up to where it ends a line."""
    lines: list[_PdfLine] = []
    for frag in frags:
        last = lines[-1] if lines else None
        if (
            last is not None
            and not last.ended
            and not frag.column_start
            and abs(last.y - frag.y) <= 0.4 * max(last.size, frag.size)
            and frag.x - (last.x + 0.6 * last.size * len(last.text)) < 2.5 * frag.size
            and frag.x >= last.x
        ):
            sep = "" if last.text.endswith(" ") or frag.text.startswith(" ") else " "
            if last.bold and not frag.bold and not last.lead:
                last.lead = " ".join(last.text.split())
            last.text += sep + frag.text
            last.bold = last.bold and frag.bold
            last.size = max(last.size, frag.size)
            last.ended = frag.ended
        else:
            lines.append(frag)
    for line in lines:
        line.text = _KERN_RE.sub(r"\1", " ".join(line.text.split()))
    return [ln for ln in lines if ln.text]


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _pdf_furniture(pages: list[list[_PdfLine]], heights: list[float]) -> list[Furniture]:
    """Running headers and footers (the same line on several pages) and page numbers."""
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        for key in {_furniture_key(ln.text) for ln in lines if _in_zone(ln, height)}:
            seen[key] += 1
    repeated = max(2, math.ceil(len(pages) / 2))
    found: list[Furniture] = []
    for p, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        keep = []
        for ln in lines:
            top = ln.y < height / 2
            if _in_zone(ln, height) and _PAGE_NUMBER_RE.match(ln.text):
                kind = "page_number"
            elif _in_zone(ln, height) and seen[_furniture_key(ln.text)] >= repeated:
                kind = "header" if top else "footer"
            else:
                keep.append(ln)
                continue
            found.append(Furniture(ln.text, kind, f"Seite {p + 1}, {'oben' if top else 'unten'}"))
        pages[p] = keep
    return found


def _in_zone(line: _PdfLine, height: float) -> bool:
    return line.y < height * _FURNITURE_ZONE or line.y > height * (1 - _FURNITURE_ZONE)


def _pdf_columns(lines: list[_PdfLine], width: float) -> None:
    """Two columns when many lines start right of the middle and many left of it."""
    right = [ln for ln in lines if ln.x > width * 0.45]
    left = [ln for ln in lines if ln.x < width * 0.3]
    if len(right) >= 3 and len(left) >= 3:
        for ln in right:
            ln.col = 1
    lines.sort(key=lambda ln: (ln.col, ln.y, ln.x))


def read_pdf(data: bytes) -> ExtractedText:
    """The text layer with its layout: columns in reading order, headings by size and weight,
    headings wrapped over several lines joined, running header/footer and page numbers apart."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ReadError("Die PDF-Datei ist verschlüsselt und kann nicht gelesen werden.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReadError(f"Die PDF-Datei hat mehr als {MAX_PDF_PAGES} Seiten.")
        pages, widths, heights = [], [], []
        for number, page in enumerate(reader.pages, start=1):
            width = float(page.mediabox.width)
            widths.append(width)
            heights.append(float(page.mediabox.height))
            pages.append(_pdf_lines(_pdf_fragments(page, number)))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise ReadError("Die PDF-Datei ist beschädigt oder nicht lesbar.") from exc
    if not any(pages):
        raise ReadError(
            "Die PDF-Datei enthält keine Textebene (eingescanntes Dokument?). "
            "Bitte eine PDF-Datei mit Text oder eine Textfassung hochladen."
        )
    furniture = _pdf_furniture(pages, heights)
    for lines, width in zip(pages, widths, strict=True):
        _pdf_columns(lines, width)
    out = _Blocks()
    out.furniture = furniture
    _pdf_text(out, pages)
    return out.extracted("pdf", "")


def _pdf_text(out: _Blocks, pages: list[list[_PdfLine]]) -> None:
    sizes: Counter[float] = Counter()
    for ln in (ln for lines in pages for ln in lines):
        sizes[round(ln.size, 1)] += len(ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    for ln in (ln for lines in pages for ln in lines):
        ln.heading = ln.size >= body * 1.15 or (
            ln.bold and len(ln.text.split()) <= 14 and not ln.text.endswith((".", ",", ";"))
        )
    levels = sorted(
        {round(ln.size, 1) for lines in pages for ln in lines if ln.heading}, reverse=True
    )
    prev: _PdfLine | None = None
    heading: list[_PdfLine] = []

    def end_heading() -> None:
        if heading:
            text = " ".join(h.text for h in heading)
            text = re.sub(r"([a-zäöüß])[-\u2010\u00ad] (?=[a-zäöüß])", r"\1", text)
            level = min(6, levels.index(round(heading[0].size, 1)) + 1)
            out.block("#" * level + " " + text, heading[0].where)
            heading.clear()

    for lines in pages:
        for n, ln in enumerate(lines, start=1):
            ln_where = f"Seite {ln.page}, Zeile {n}"
            same_flow = (
                prev is not None and prev.page == ln.page and prev.col == ln.col
                and 0 < ln.y - prev.y <= 1.9 * max(ln.size, prev.size)
            )  # fmt: skip
            if ln.heading:
                if not (
                    heading
                    and same_flow
                    and abs(heading[-1].size - ln.size) < 0.3
                    and heading[-1].bold == ln.bold
                ):
                    end_heading()
                heading.append(ln)
                ln.where = ln_where
            else:
                end_heading()
                continues = (
                    same_flow
                    and prev is not None
                    and not prev.heading
                    and (ln.y - prev.y <= 1.5 * ln.size)
                )
                # a paragraph broken by a column or page continues in lower case
                carried = (
                    prev is not None
                    and not prev.heading
                    and not same_flow
                    and (ln.text[:1].islower() or not prev.text.endswith((".", "!", "?", ":")))
                )
                if (continues or carried) and out.lines and out.lines[-1]:
                    out.lines.append(ln.text)
                    out.where.append(ln_where)
                else:
                    out.block(lead_label(ln.lead, ln.text), ln_where)
            prev = ln
    end_heading()


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<" in head:
        return True
    return len(re.findall(r"</?(p|div|li|ul|h[1-6]|br|body)\b", text[:20000], re.I)) >= 3


_ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"


def extract_text(data: bytes, filename: str) -> ExtractedText:
    """Detects the format by content first (magic bytes), then by the file name's extension."""
    name = filename.lower()
    if data.startswith(b"%PDF-") or (name.endswith(".pdf") and b"%PDF-" in data[:1024]):
        return read_pdf(data)
    if name.endswith(".odt") or (data.startswith(b"PK\x03\x04") and _ODT_MIMETYPE in data[:200]):
        return read_odt(data)
    if data.startswith(b"PK\x03\x04") or name.endswith((".docx", ".docm")):
        return read_docx(data)
    if name.endswith(".pdf"):
        raise ReadError("Die Datei endet auf .pdf, ist aber keine PDF-Datei.")
    if name.endswith((".doc", ".xlsx", ".xls", ".pptx", ".ods", ".odp")):
        raise ReadError(
            "Dieses Dateiformat wird nicht unterstützt (bitte TXT, MD, DOCX, ODT, HTML oder PDF)."
        )
    text = decode_text(data)
    if name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        return read_html(text)
    if name.endswith((".md", ".markdown")):
        return ExtractedText(text, "markdown")
    return ExtractedText(text, "text")
