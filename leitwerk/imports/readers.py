"""Text extraction from untrusted uploads: plain text, Markdown, DOCX, HTML and PDF.

Every reader returns plain text with one paragraph per block (blank line between blocks) and
list items prefixed with "- ", so that the guideline parser sees one uniform shape whatever
the source format. Nothing here executes content from the file; problems become
`ReadError` with a German message that the services turn into an `ImportFailed`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
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
class ExtractedText:
    text: str
    fmt: str  # "text" | "markdown" | "docx" | "html" | "pdf"
    title_hint: str = ""


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


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    # NotImplementedError: a zip version or method Python cannot read (fuzzing, D3).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
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
    """Paragraphs from word/document.xml, parsed with defusedxml (no entities, no DTDs)."""
    root = _docx_root(data)
    blocks: list[str] = []
    title = ""
    for para in root.iter(f"{_W}p"):
        text = _docx_para_text(para)
        if not text:
            continue
        style, is_list = _docx_style(para)
        if style in ("title", "titel") and not title:
            title = text
            blocks.append(text)
        elif re.match(r"(heading|berschrift)\s*\d", style):
            blocks.append(f"# {text}" if style.endswith("1") and not title else text)
            if style.endswith("1") and not title:
                title = text
        elif is_list and not re.match(r"^\d{1,2}[.)]\s", text):
            blocks.append("- " + text)
        else:
            blocks.append(text)
    return ExtractedText(_join_blocks(blocks), "docx", title)


def _docx_root(data: bytes):
    """The parsed word/document.xml of a checked archive."""
    from defusedxml import ElementTree as SafeET

    archive = _check_zip(data)
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


def _join_blocks(blocks: list[str]) -> str:
    out: list[str] = []
    for b in blocks:
        # consecutive list items form one block so that the parser sees one list
        if out and b.startswith("- ") and out[-1].split("\n")[-1].startswith("- "):
            out[-1] += "\n" + b
        else:
            out.append(b)
    return "\n\n".join(out) + "\n"


class _HTMLText(HTMLParser):
    """Collects visible text; scripts, styles and other non-content elements are skipped."""

    SKIP = {"script", "style", "template", "noscript", "head", "iframe", "object", "svg", "math"}
    BLOCK = {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
        "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "pre",
        "figure", "figcaption", "address", "hr", "form", "fieldset",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.title = ""
        self.in_title = False
        self.in_h1 = False
        self.h1 = ""

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.current))
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            if tag == "head":
                return
            self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
        if tag in self.BLOCK:
            self.flush()
        if tag == "li":
            self.flush()
            self.current.append("- ")
        elif tag == "br":
            self.current.append("\n")
        elif tag in ("td", "th"):
            self.current.append(" ")
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            if tag != "head":
                self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in self.BLOCK or tag == "li":
            self.flush()

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.current.append("\n")
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self.current.append(data)


def read_html(text: str) -> ExtractedText:
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # noqa: BLE001 - html.parser may raise on pathological input
        raise ReadError("Die HTML-Datei ist nicht lesbar.") from exc
    parser.flush()
    title = " ".join(parser.h1.split()) or " ".join(parser.title.split())
    return ExtractedText(_join_blocks(parser.blocks), "html", title)


def read_pdf(data: bytes) -> ExtractedText:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ReadError("Die PDF-Datei ist verschlüsselt und kann nicht gelesen werden.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReadError(f"Die PDF-Datei hat mehr als {MAX_PDF_PAGES} Seiten.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise ReadError("Die PDF-Datei ist beschädigt oder nicht lesbar.") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadError(
            "Die PDF-Datei enthält keine Textebene (eingescanntes Dokument?). "
            "Bitte eine PDF-Datei mit Text oder eine Textfassung hochladen."
        )
    return ExtractedText(text, "pdf")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<" in head:
        return True
    return len(re.findall(r"</?(p|div|li|ul|h[1-6]|br|body)\b", text[:20000], re.I)) >= 3


def extract_text(data: bytes, filename: str) -> ExtractedText:
    """Detects the format by content first (magic bytes), then by the file name's extension."""
    name = filename.lower()
    if data.startswith(b"%PDF-") or (name.endswith(".pdf") and b"%PDF-" in data[:1024]):
        return read_pdf(data)
    if data.startswith(b"PK\x03\x04") or name.endswith((".docx", ".docm")):
        return read_docx(data)
    if name.endswith(".pdf"):
        raise ReadError("Die Datei endet auf .pdf, ist aber keine PDF-Datei.")
    if name.endswith((".doc", ".odt", ".xlsx", ".xls", ".pptx")):
        raise ReadError(
            "Dieses Dateiformat wird nicht unterstützt (bitte TXT, MD, DOCX, HTML oder PDF)."
        )
    text = decode_text(data)
    if name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        return read_html(text)
    if name.endswith((".md", ".markdown")):
        return ExtractedText(text, "markdown")
    return ExtractedText(text, "text")
