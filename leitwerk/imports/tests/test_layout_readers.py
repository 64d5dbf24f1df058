"""The layout the readers see: Word numbering and merged cells, ODT tables, HTML frames, PDF runs."""

from __future__ import annotations

import io
import zipfile

import pytest

from leitwerk.imports import corrections, readers
from leitwerk.imports.guideline_parser import _locate, parse_text
from leitwerk.imports.readers import ExtractedText, ReadError
from leitwerk.imports.services.common import ImportFailed
from leitwerk.testing.guideline_layouts import (
    _docx_bytes,
    _docx_numbering,
    _numbered,
    pdf_with_runs,
)

# --- Word -------------------------------------------------------------------------------------


def test_word_numbering_formats_letters_and_roman_numerals_and_numbered_paragraphs():
    import docx

    document = docx.Document()
    numbers = _docx_numbering(
        document, [("upperRoman", "%1."), ("lowerLetter", "%2)"), ("decimal", "%1.%2.%3")]
    )
    for text, level in (
        ("Erster Teil", 0),
        ("Zweiter Teil", 0),
        ("Wir hören zu.", 1),
        ("Wir antworten.", 1),
        ("Vertiefung", 2),
    ):
        _numbered(document.add_paragraph(text), numbers, level)
    text = readers.extract_text(_docx_bytes(document), "l.docx").text
    assert "I. Erster Teil" in text and "II. Zweiter Teil" in text
    assert "a) Wir hören zu." in text and "b) Wir antworten." in text
    assert "II.b.1 Vertiefung" in text


def test_word_numbering_from_the_heading_style_and_a_broken_numbering_part():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    numbers = _docx_numbering(document, [("decimal", "%1.")])
    style = document.styles["Heading 1"].element
    ppr = style.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(numbers))
    numpr.append(num)
    ppr.append(numpr)
    document.add_paragraph("Leitbild", style="Title")
    document.add_paragraph("Offenheit", style="Heading 1")
    document.add_paragraph("Fairness", style="Heading 1")
    data = _docx_bytes(document)
    assert "# 2. Fairness" in readers.extract_text(data, "l.docx").text
    # An unreadable numbering part: the text is still read, without the numbers.
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, b"<kaputt" if item.filename == "word/numbering.xml" else body)
    assert "# Fairness" in readers.extract_text(broken.getvalue(), "l.docx").text


def test_word_tables_merged_cells_content_controls_and_wide_tables():
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    values = document.add_table(rows=3, cols=2)
    values.cell(0, 0).merge(values.cell(0, 1)).text = "Unsere Werte"
    values.cell(1, 0).merge(values.cell(2, 0)).text = "Offenheit"
    values.cell(1, 1).text = "Wir hören zu."
    values.cell(2, 1).text = "Wir sagen, was wir denken."
    wide = document.add_table(rows=1, cols=3)
    for cell, text in zip(wide.rows[0].cells, ("Mo", "8–12 Uhr", ""), strict=True):
        cell.text = text
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    content.append(document.add_paragraph("Im Steuerelement.")._p)
    sdt.append(content)
    document.element.body.append(sdt)
    empty = OxmlElement("w:sdt")
    document.element.body.append(empty)
    result = readers.extract_text(_docx_bytes(document), "l.docx")
    assert result.text.split("\n\n")[:2] == [
        "## Unsere Werte",
        "- Offenheit: Wir hören zu.\n- Offenheit: Wir sagen, was wir denken.",
    ]
    assert "Mo\n\n8–12 Uhr" in result.text
    assert "Im Steuerelement." in result.text


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # no header row: every row is an item
        ([["Offenheit", "Wir hören zu."], ["Fairness", "Wir sind gerecht."]], True),
        # the left column is prose: not a value | meaning table
        ([["Wir hören allen Menschen in der Stadt gut zu", "ja"], ["Fairness", "nein"]], False),
    ],
)
def test_two_column_tables(rows, expected):
    out = readers._Blocks()
    assert readers._table_blocks(out, rows, "Tabelle 1") is expected
    if expected:
        assert out.lines == ["- Offenheit: Wir hören zu.", "- Fairness: Wir sind gerecht."]


# --- ODT --------------------------------------------------------------------------------------


def odt(body: str) -> bytes:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return buf.getvalue()


def test_odt_spaces_tabs_breaks_sections_and_empty_paragraphs():
    data = odt(
        "<text:section><text:p>Wir<text:s text:c='2'/>hören<text:tab/>zu.<text:line-break/>"
        "Immer.</text:p><text:p/></text:section>"
    )
    assert readers.extract_text(data, "l.odt").text == "Wir hören zu.\nImmer.\n"


def test_odt_tables_with_spanned_and_covered_cells():
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    data = odt(
        "<table:table>"
        "<table:table-row><table:table-cell table:number-columns-spanned='2'><text:p>Werte"
        "</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"
        "<table:table-row>" + cell.format("Offenheit") + cell.format("Wir hören zu.") + "</table:table-row>"
        "<table:table-row><table:covered-table-cell/>" + cell.format("Wir fragen nach.") + "</table:table-row>"
        "</table:table>"
        "<table:table><table:table-row><table:covered-table-cell/>"
        + cell.format("a")
        + cell.format("b")
        + "</table:table-row></table:table>"
    )  # fmt: skip
    text = readers.extract_text(data, "l.odt").text
    assert text.startswith(
        "## Werte\n\n- Offenheit: Wir hören zu.\n- Offenheit: Wir fragen nach.\n"
    )
    assert text.endswith("a\n\nb\n")


def test_odt_without_content_or_with_broken_content_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(ReadError, match="content.xml fehlt"):
        readers.extract_text(buf.getvalue(), "l.odt")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<kaputt")
    with pytest.raises(ReadError, match="ODT-Dokument ist beschädigt"):
        readers.extract_text(buf.getvalue(), "l.odt")


# --- HTML -------------------------------------------------------------------------------------


def test_html_tables_spans_cells_with_paragraphs_and_a_table_in_the_frame():
    html = (
        "<html><body><main><table><td><p>Offen</p><p>heit</p></td><td>Wir hören zu.</td>"
        "<tr><td rowspan='3'>Fairness</td><td>Wir sind gerecht.</td></tr>"
        "<tr><td>Wir erklären.</td></tr><tr><td>Wir hören auf Einwände.</td></tr></table>"
        "</main><footer><table><tr><td>Impressum</td><td>Kontakt</td></tr></table></footer>"
        "<main><table><tr><td>offen</td></body></html>"
    )
    result = readers.extract_text(html.encode(), "l.html")
    assert result.text.split("\n")[:4] == [
        "- Offen heit: Wir hören zu.",
        "- Fairness: Wir sind gerecht.",
        "- Fairness: Wir erklären.",
        "- Fairness: Wir hören auf Einwände.",
    ]
    assert [(f.text, f.kind) for f in result.furniture] == [("Impressum Kontakt", "footer")]
    assert result.text.rstrip().endswith("offen")  # a table left open at the end is kept


def test_html_article_header_is_content_but_the_page_header_is_furniture():
    html = (
        "<html><body><header>Stadt</header><article><header><h1>Leitbild</h1></header>"
        "<p>Wir hören zu.</p></article><aside role='complementary'>Termine</aside></body></html>"
    )
    result = readers.extract_text(html.encode(), "l.html")
    assert result.title_hint == "Leitbild"
    assert result.text == "# Leitbild\n\nWir hören zu.\n"
    assert [f.kind for f in result.furniture] == ["header", "frame"]


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_runs_of_one_line_are_joined_and_a_bold_line_is_a_heading():
    data = pdf_with_runs(
        [
            "/F2 11 Tf 14 TL 50 700 Td (Offenheit) Tj T*",
            "/F1 11 Tf (Wir h\xf6ren ) Tj /F2 11 Tf (allen) Tj /F1 11 Tf ( zu.) Tj T*",
        ]
    )
    result = readers.extract_text(data, "l.pdf")
    assert result.text == "# Offenheit\n\nWir hören allen zu.\n"
    assert result.where[0] == "Seite 1, Zeile 1"


# --- parser and corrections -------------------------------------------------------------------


def test_a_grundsatz_heading_marked_as_heading_and_numbered_sections_with_wir_statements():
    parsed = parse_text(
        ExtractedText(
            "# Grundsätze der Gemeinde\n\n## Grundsatz 1: Offenheit\n\nDie Türen sind offen.\n\n"
            "## 2. Fairness\n\nWir behandeln alle gleich.\n",
            "markdown",
        )
    )
    assert [(s.number, s.title, s.is_grundsatz) for s in parsed.sections] == [
        ("1", "Offenheit", True),
        ("2", "Fairness", False),
    ]
    assert parsed.sections[1].statements[0].kind == "wir"


def test_a_text_not_in_the_file_is_located_by_its_line():
    assert _locate("Nirgends", ExtractedText("Wir hören zu.\n", "text"), 4) == "Zeile 5"


def test_a_piece_choice_from_an_unknown_list_is_stale():
    parsed = parse_text("Leitbild\n\n1. Offenheit\n- Wir hören zu.\n")
    with pytest.raises(ImportFailed, match="passt nicht mehr"):
        corrections.apply_piece_choices(parsed, [{"from": "x", "index": 0, "to_section": 0}])


# --- bold lead-ins ----------------------------------------------------------------------------


def test_a_bold_lead_in_is_the_label_and_the_sentence_after_it_decides_the_kind():
    import docx

    document = docx.Document()
    document.add_paragraph("Leitbild der Stadtwerke", style="Title")
    document.add_paragraph().add_run("Unsere Werte").bold = True
    for lead, sentence in (("Offenheit", " Wir hören zu."), ("Fairness:", " Wir sind gerecht.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(lead).bold = True
        paragraph.add_run(" ")
        paragraph.add_run(sentence)
    parsed = parse_text(readers.extract_text(_docx_bytes(document), "werte.docx"))
    assert [s.title for s in parsed.sections] == ["Unsere Werte"]
    assert [(st.kind, st.text) for st in parsed.sections[0].statements] == [
        ("wir", "Offenheit: Wir hören zu."),
        ("wir", "Fairness: Wir sind gerecht."),
    ]


def test_a_bold_lead_in_in_a_pdf_and_in_markdown():
    data = pdf_with_runs(
        ["/F2 11 Tf 14 TL 50 700 Td (Offenheit) Tj /F1 11 Tf ( Wir h\xf6ren zu.) Tj"]
    )
    assert readers.extract_text(data, "l.pdf").text == "Offenheit: Wir hören zu.\n"
    parsed = parse_text(
        "# Leitbild\n\n## Werte\n\n**Offenheit** Wir hören zu.\n\n**Wir** fragen.\n"
    )
    assert [(st.kind, st.text) for st in parsed.sections[0].statements] == [
        ("wir", "Offenheit: Wir hören zu."),
        ("wir", "Wir fragen."),
    ]


def test_without_a_main_element_the_heading_in_the_page_header_is_the_title():
    html = "<html><body><header><h1>Leitbild</h1><p>Menü</p></header><p>Wir hören zu.</p>"
    result = readers.extract_text(html.encode(), "l.html")
    assert result.title_hint == "Leitbild"
    assert result.text == "# Leitbild\n\nWir hören zu.\n"
    assert [(f.text, f.kind) for f in result.furniture] == [("Menü", "header")]


def test_a_lost_statement_over_two_lines_is_listed_once_as_a_whole():
    from leitwerk.imports.guideline_parser import account

    extracted = ExtractedText(
        "# Leitbild\n\n## Werte\n\nWir hören allen zu und\nantworten schnell.\n\nWir lernen.\n",
        "markdown",
    )
    parsed = parse_text(extracted)
    parsed.sections[0].statements.pop(0)
    parsed.unrecognised = []
    account(parsed, extracted)
    assert parsed.unrecognised == ["Wir hören allen zu und antworten schnell."]
    assert parsed.unrecognised_where == ["Zeile 5"]


def test_lines_of_two_columns_on_one_baseline_are_not_glued_together():
    from leitwerk.testing.guideline_layouts import SIDE_BY_SIDE, all_layouts

    layout = all_layouts()["side_by_side_pdf"]
    lines = readers.read_pdf(layout.data).text.splitlines()
    for left, right in SIDE_BY_SIDE:
        assert left in lines and right in lines
    # Reading order: the left column first, then the right one.
    assert lines.index(SIDE_BY_SIDE[-1][0]) < lines.index(SIDE_BY_SIDE[0][1])


def test_columns_side_by_side_are_split_whatever_operators_position_the_lines():
    # Relative moves (Td, TD, T*) and a shifted coordinate system (q … cm … Q) all reach a line
    # of the right column on the baseline of a line of the left one.
    data = pdf_with_runs(
        [
            "/F1 10 Tf 14 TL 50 700 Td (Wir planen Wege.) Tj 300 0 Td (Ich melde Schaeden.) Tj",
            "-300 -14 Td (Wir pflegen Gruen.) Tj 300 0 Td (Ich giesse Baeume.) Tj T*",
            "(Ich lade ein.) Tj -300 -14 TD (Wir antworten.) Tj 300 0 Td (Ich nenne Namen.) Tj",
            "ET q 1 0 0 1 0 -100 cm BT /F1 10 Tf 50 500 Td (Wir danken.) Tj",
            "300 0 Td (Ich helfe.) Tj ET Q BT",
        ]
    )
    lines = readers.extract_text(data, "spalten.pdf").text.split("\n")
    for text in ("Wir planen Wege.", "Ich melde Schaeden.", "Wir danken.", "Ich helfe."):
        assert text in lines


def test_a_pdf_with_an_empty_page_and_a_damaged_operator_is_still_read():
    from pypdf import PdfReader, PdfWriter

    damaged = pdf_with_runs(["/F1 10 Tf /X 0 0 1 50 700 Tm (Wir bleiben lesbar.) Tj"])
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_page(PdfReader(io.BytesIO(damaged)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert "Wir bleiben lesbar." in readers.extract_text(out.getvalue(), "leer.pdf").text
