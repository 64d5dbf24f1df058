"""The Sitzungsvorlage as DOCX: the fields councils' information systems ask for, 1:1.

`render_vorlage_docx` is the one entry point for every paper that goes to a body (the
Sachstandsbericht here, other stages' papers such as the Beschlusskontrolle): it writes the
Vorlage's head (Vorlagenart, Betreff, federführende Stelle, Beratungsfolge) and its sections
(Beschlussvorschlag, Sachverhalt, finanzielle Auswirkungen, Klimarelevanz, Anlagen) in that
order, and puts the caller's content parts (headings, paragraphs, tables as plain data) into
the Sachverhalt and the finance section. Word's own heading styles, A4, page numbers, the
municipality's colour and logo; table columns as wide as their longest word needs, so no word
is broken inside.

A part is one of:
    {"heading": "…", "level": 2}
    {"paragraph": "…", "label": "optional bold lead-in", "meta": False}
    {"table": {"headers": [...], "rows": [[...], ...], "notes": {...}, "empty": "…"}}
`notes` ({row_index: [label, text]}) adds a full-width row below that row, e.g.
["Warum und was nun?", "…"].
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from leitwerk.core.printing import reproducible_zip
from leitwerk.core.text import xml_safe_tree

from .formatting import de_date, de_date_short

DEFAULT_COLOUR = "0B5394"
PAGE_WIDTH_CM = 21.0
MARGIN_CM = 2.2
BODY_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
FONT_PT = 9.5
# A generous advance of a DejaVu Sans character at FONT_PT (wide letters, bold headers), plus
# Word's cell margins: a column narrower than its longest word would break that word.
CHAR_CM = 0.245 * FONT_PT / 10
HEADER_CHAR_CM = 0.27 * FONT_PT / 10
CELL_PADDING_CM = 0.5


def _rgb(colour: str | None) -> Any:
    from docx.shared import RGBColor

    text = (colour or DEFAULT_COLOUR).lstrip("#")
    try:
        return RGBColor.from_string(text.upper())
    except ValueError:
        return RGBColor.from_string(DEFAULT_COLOUR)


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], total_cm: float = BODY_WIDTH_CM
) -> list[float]:
    """Widths (cm) that fit the content: each column at least as wide as its longest word,
    the rest shared by how much text a column holds (long texts wrap, words never break)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _h in headers]
    minimum, wanted = [], []
    for header, cells in zip(headers, columns, strict=True):
        words = [len(w) * CHAR_CM for text in cells for w in str(text).split()]
        words += [len(w) * HEADER_CHAR_CM for w in str(header).split()]
        minimum.append(max(words, default=0.0) + CELL_PADDING_CM)
        longest = max([len(str(text)) for text in cells] + [len(str(header))])
        wanted.append(min(longest, 60) * CHAR_CM + CELL_PADDING_CM)
    if sum(minimum) >= total_cm:
        scale = total_cm / sum(minimum)
        return [round(m * scale, 2) for m in minimum]
    spare = total_cm - sum(minimum)
    extra = [max(w - m, 0.0) for w, m in zip(wanted, minimum, strict=True)]
    if sum(extra) <= spare:
        # Everything fits on one line: give the rest to the widest column.
        widths = [m + e for m, e in zip(minimum, extra, strict=True)]
        widths[widths.index(max(widths))] += total_cm - sum(widths)
        return [round(w, 2) for w in widths]
    return [round(m + spare * e / sum(extra), 2) for m, e in zip(minimum, extra, strict=True)]


def _fixed_layout(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _no_split(row: Any, *, header: bool = False) -> None:
    """Keep a row on one page; repeat the header row on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        head = OxmlElement("w:tblHeader")
        head.set(qn("w:val"), "true")
        tr_pr.append(head)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def add_table(
    doc: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    colour: str | None = None,
    notes: dict[int, list[str]] | None = None,
) -> Any:
    """A table with a repeated bold header row, widths from the content and fixed layout."""
    from docx.shared import Cm

    widths = column_widths(headers, rows)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    _fixed_layout(table)
    fill = (colour or DEFAULT_COLOUR).lstrip("#")
    for n, (cell, text) in enumerate(zip(table.rows[0].cells, headers, strict=True)):
        cell.width = Cm(widths[n])
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.color.rgb = _rgb("FFFFFF")
        _shade(cell, fill)
    _no_split(table.rows[0], header=True)
    for index, values in enumerate(rows):
        row = table.add_row()
        _no_split(row)
        for n, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(widths[n])
            cell.text = str(text)
        note = (notes or {}).get(index)
        if note:
            # [label, text]: e.g. ["Warum und was nun?", "…"], the label in bold.
            extra = table.add_row()
            _no_split(extra)
            merged = extra.cells[0].merge(extra.cells[-1])
            merged.text = ""
            paragraph = merged.paragraphs[0]
            paragraph.add_run(f"{note[0]} ").bold = True
            paragraph.add_run(note[1])
            _shade(merged, "F2F2F2")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    doc.add_paragraph()
    return table


def _page_setup(
    *, doc: Any, municipality: str, kind_label: str, colour: str | None, logo: bytes | None
) -> None:
    """A4 portrait with the house margins, styles, header and page numbers."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.top_margin = section.bottom_margin = Cm(2.0)
    _styles(doc, colour)
    _header(section, municipality, kind_label, logo)
    _page_number_footer(section)


def _properties(
    *, doc: Any, subject: str, kind_label: str, municipality: str, when: dt.datetime
) -> None:
    """The document's properties, dated by the Stichtag so the same report gives the same file."""
    props = doc.core_properties
    props.title = subject
    props.subject = kind_label
    props.author = municipality
    props.language = "de-DE"
    props.created = props.modified = when
    props.last_modified_by = "Leitwerk"
    props.revision = 1


def _overview(
    *,
    doc: Any,
    v: dict[str, Any],
    subject: str,
    municipality: str,
    as_of: str,
    colour: str | None,
) -> None:
    """Title, the table of key data and the Beratungsfolge that open the Vorlage."""
    doc.add_paragraph(f"{municipality} · {v['kind_label']}", style="Subtitle")
    doc.add_heading(subject, level=0)
    add_table(
        doc,
        ["Angabe", "Inhalt"],
        [
            ["Vorlagenart", v["kind_label"]],
            ["Betreff", subject],
            ["Federführende Stelle", v["lead_unit"] or "–"],
            ["Stichtag", de_date(as_of)],
        ],
        colour=colour,
    )
    doc.add_heading("Beratungsfolge", level=1)
    if v["consultations"]:
        add_table(
            doc,
            ["Gremium", "Sitzung", "Tagesordnungspunkt", "Zuständigkeit"],
            [
                [c["body"], de_date_short(c["date"]), c["agenda_item"] or "–", c["role"] or "–"]
                for c in v["consultations"]
            ],
            colour=colour,
        )
    else:
        doc.add_paragraph("Keine Beratungsfolge angegeben.")


def _page_number_footer(section: Any) -> None:
    """ "Seite X von Y" with Word's PAGE and NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Seite ")
    for name, tail in (("PAGE", " von "), ("NUMPAGES", "")):
        # A simple field is a child of the paragraph (not of a run); Word and LibreOffice
        # fill in the number when the document is laid out.
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f"{name} \\* MERGEFORMAT")
        inner = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        inner.append(text)
        field.append(inner)
        paragraph._p.append(field)
        if tail:
            paragraph.add_run(tail)


def _header(section: Any, municipality: str, right: str, logo: bytes | None) -> None:
    from docx.shared import Cm

    paragraph = section.header.paragraphs[0]
    if logo:
        paragraph.add_run().add_picture(io.BytesIO(logo), height=Cm(1.0))
        paragraph.add_run("  ")
    paragraph.add_run(f"{municipality} · {right}").font.size = _pt(8.5)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _styles(doc: Any, colour: str | None) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = _pt(FONT_PT)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11), ("Heading 3", 10)):
        style = doc.styles[name]
        style.font.name = "DejaVu Sans"
        style.font.size = _pt(size)
        style.font.color.rgb = _rgb(colour)


def _text(doc: Any, text: str, empty: str) -> None:
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    for p in paragraphs or [empty]:
        doc.add_paragraph(p)


def _parts(doc: Any, parts: Sequence[dict[str, Any]], colour: str | None) -> None:
    for part in parts:
        if "heading" in part:
            doc.add_heading(part["heading"], level=part.get("level", 2))
        elif "paragraph" in part:
            paragraph = doc.add_paragraph()
            if part.get("label"):
                paragraph.add_run(part["label"] + " ").bold = True
            run = paragraph.add_run(part["paragraph"])
            if part.get("meta"):
                run.font.size = _pt(8.5)
        elif "table" in part:
            table = part["table"]
            if table["rows"]:
                add_table(
                    doc,
                    table["headers"],
                    table["rows"],
                    colour=colour,
                    notes=table.get("notes"),
                )
            elif table.get("empty"):
                doc.add_paragraph(table["empty"])


def render_vorlage_docx(
    vorlage: dict[str, Any],
    *,
    municipality: str,
    as_of: str,
    facts_parts: Sequence[dict[str, Any]] = (),
    finance_parts: Sequence[dict[str, Any]] = (),
    look: dict[str, Any] | None = None,
    title: str = "",
) -> bytes:
    """A Sitzungsvorlage DOCX. `vorlage` has the keys of `meeting.vorlage_dict` (subject, kind,
    kind_label, lead_unit, consultations, proposal, facts, finance, climate, attachments);
    `as_of` is an ISO date (Stichtag, also the document's date, so files are reproducible)."""
    from docx import Document

    v = xml_safe_tree(vorlage)
    look = look or {}
    colour = look.get("colour")
    logo = base64.b64decode(look["logo_b64"]) if look.get("logo_b64") else None
    doc = Document()
    _page_setup(
        doc=doc, municipality=municipality, kind_label=v["kind_label"], colour=colour, logo=logo
    )

    subject = v["subject"] or title
    when = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time(12, 0))
    _properties(
        doc=doc, subject=subject, kind_label=v["kind_label"], municipality=municipality, when=when
    )

    _overview(doc=doc, v=v, subject=subject, municipality=municipality, as_of=as_of, colour=colour)

    doc.add_heading("Beschlussvorschlag", level=1)
    _text(
        doc,
        v["proposal"],
        "Der Bericht dient zur Kenntnisnahme. Ein Beschluss ist nicht erforderlich.",
    )
    doc.add_heading("Sachverhalt", level=1)
    if v["facts"] or not facts_parts:
        _text(doc, v["facts"], "Keine Angaben.")
    _parts(doc, xml_safe_tree(list(facts_parts)), colour)
    doc.add_heading("Finanzielle Auswirkungen", level=1)
    if v["finance"] or not finance_parts:
        _text(doc, v["finance"], "Keine Angaben.")
    _parts(doc, xml_safe_tree(list(finance_parts)), colour)
    doc.add_heading("Klimarelevanz", level=1)
    _text(doc, v["climate"], "Keine Angaben.")
    doc.add_heading("Anlagen", level=1)
    if v["attachments"]:
        for n, name in enumerate(v["attachments"], start=1):
            doc.add_paragraph(f"Anlage {n}: {name}", style="List Bullet")
    else:
        doc.add_paragraph("Keine Anlagen.")
    out = io.BytesIO()
    doc.save(out)
    return reproducible_zip(out.getvalue(), when)
