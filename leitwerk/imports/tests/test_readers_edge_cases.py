"""Edge cases of the upload readers: odd encodings, damaged or hostile archives, size limits,
and the less common markup (tabs, line breaks, spans, merged cells) that must survive reading.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile

import pytest

from leitwerk.imports import plan_readers, readers
from leitwerk.imports.fuzz.guideline_samples import make_pdf
from leitwerk.imports.readers import ReadError
from leitwerk.imports.services.common import ImportFailed

HEADER = ["Nr.", "Aktionsfeld", "Arbeitstitel des Vorhabens", "Federführung"]
ROW = ["1", "Klima", "Stadtbäume pflanzen", "FB 67"]


def message(exc_info) -> str:
    assert len(exc_info.value.errors) == 1
    return exc_info.value.errors[0].message


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def declare_uncompressed_size(data: bytes, size: int) -> bytes:
    """Rewrite the sizes the central directory claims, as a crafted zip bomb would.

    The readers must judge an archive by these declarations alone, before inflating anything.
    """
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes(*sheets: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for n, rows in enumerate(sheets, start=1):
        ws = wb.create_sheet(f"Blatt {n}")
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, name: str, mutate) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return zip_of(
        {
            i.filename: mutate(src.read(i.filename)) if i.filename == name else src.read(i.filename)
            for i in src.infolist()
        }
    )


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_bytes(body: str) -> bytes:
    content = (
        f"<office:document-content {ODS_NS}><office:body><office:spreadsheet>"
        f"{body}</office:spreadsheet></office:body></office:document-content>"
    )
    return zip_of(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
        }
    )


def ods_row(*cells: str, repeat: int = 1) -> str:
    inner = "".join(f"<table:table-cell>{c}</table:table-cell>" for c in cells)
    return f'<table:table-row table:number-rows-repeated="{repeat}">{inner}</table:table-row>'


def ods_p(text: str) -> str:
    return f"<text:p>{text}</text:p>"


# --- readers.decode_text ------------------------------------------------------------------


def test_utf16_text_with_bom_is_decoded():
    data = "Leitlinien für Bürgerinnen".encode("utf-16")
    assert readers.extract_text(data, "leitlinien.txt").text == "Leitlinien für Bürgerinnen"


def test_truncated_utf16_text_is_refused_as_unreadable():
    # A BOM followed by an odd number of bytes: not UTF-16, and not worth guessing further.
    data = "Leitlinien".encode("utf-16") + b"x"
    with pytest.raises(ReadError, match="nicht lesbar kodiert"):
        readers.extract_text(data, "leitlinien.txt")


def test_text_outside_windows_1252_is_decoded_by_guessing():
    # Macedonian in Windows-1251 uses bytes (0x81, 0x8D) that Windows-1252 leaves undefined.
    original = "Ѓорѓи Ќосев работи во општината Скопје и ја води службата за граѓани."
    assert readers.decode_text(original.encode("cp1251")) == original


def test_bytes_no_encoding_fits_are_refused():
    # Neither UTF-8 nor Windows-1252 (0x81 is undefined there) and no plausible guess either.
    data = bytes(range(1, 256)) * 3
    with pytest.raises(ReadError, match="nicht lesbar kodiert"):
        readers.decode_text(data)


# --- readers: DOCX ------------------------------------------------------------------------


def test_docx_with_too_many_parts_is_refused():
    data = zip_of({f"word/media/bild{i}.png": b"" for i in range(readers.MAX_ZIP_ENTRIES + 1)})
    with pytest.raises(ReadError, match="zu viele Teile"):
        readers.extract_text(data, "leitlinien.docx")


def test_zip_without_word_document_is_not_a_docx():
    data = zip_of({"content.xml": b"<office:document/>"})
    with pytest.raises(ReadError, match=r"kein gültiges Word-Dokument \(DOCX\)"):
        readers.extract_text(data, "leitlinien.docx")


def test_docx_with_damaged_document_part_is_reported_as_damaged():
    xml = b"<w:document>Leitlinien der Verwaltung</w:document>"
    data = zip_of({"word/document.xml": xml}, method=zipfile.ZIP_STORED)
    # Flip the stored bytes so the CRC no longer matches.
    data = data.replace(b"Leitlinien der", b"Leitlinien DER", 1)
    with pytest.raises(ReadError, match=r"Word-Dokument ist beschädigt\.$"):
        readers.extract_text(data, "leitlinien.docx")


def test_docx_tabs_breaks_and_empty_paragraphs():
    def build(document):
        run = document.add_paragraph().add_run("Sprechzeiten:")
        run.add_tab()
        run.add_text("Mo–Fr")
        run.add_break()
        run.add_text("nach Vereinbarung")
        document.add_paragraph("")
        document.add_paragraph("   ")
        document.add_paragraph("Ende")

    result = readers.extract_text(docx_bytes(build), "leitlinien.docx")
    # Empty paragraphs leave no empty blocks behind.
    assert result.text == "Sprechzeiten: Mo–Fr\nnach Vereinbarung\n\nEnde\n"


def test_docx_first_heading_becomes_the_title_without_a_title_style():
    def build(document):
        document.add_heading("Leitlinien der Verwaltung", level=1)
        document.add_paragraph("Wir arbeiten zusammen.")
        document.add_heading("Zweites Kapitel", level=1)

    result = readers.extract_text(docx_bytes(build), "leitlinien.docx")
    assert result.title_hint == "Leitlinien der Verwaltung"
    # Headings stay headings (Markdown); the first level-1 heading is the title hint.
    assert result.text == (
        "# Leitlinien der Verwaltung\n\nWir arbeiten zusammen.\n\n# Zweites Kapitel\n"
    )


# --- readers: HTML ------------------------------------------------------------------------


def test_html_line_breaks_and_table_cells():
    html = (
        "<html><body><p>Rathaus<br>Marktplatz 1</p>"
        "<table><tr><td>Mo</td><td>8–12 Uhr</td></tr></table>"
        "<p>Telefon<br/>0123 456</p>Vorher<hr/>Nachher</body></html>"
    )
    result = readers.extract_text(html.encode(), "seite.html")
    assert result.fmt == "html"
    assert result.text == (
        "Rathaus\nMarktplatz 1\n\nMo 8–12 Uhr\n\nTelefon\n0123 456\n\nVorher\n\nNachher\n"
    )


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("\n  <!DOCTYPE html><title>Leitlinien</title>Text", "html"),
        ("Einleitung<p>Erstens</p><p>Zweitens</p><br>", "html"),
        ("Wir nutzen <p> nur einmal", "text"),
    ],
)
def test_html_is_recognised_by_its_tags_even_in_a_txt_file(text, fmt):
    assert readers.extract_text(text.encode(), "leitlinien.txt").fmt == fmt


def test_html_the_parser_chokes_on_is_refused():
    # CPython's markup base raises on an unknown marked-section keyword.
    with pytest.raises(ReadError, match="HTML-Datei ist nicht lesbar"):
        readers.extract_text(b"<html><![bogus[ x ]]></html>", "seite.html")


# --- readers: PDF -------------------------------------------------------------------------


def test_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("geheim", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ReadError, match="verschlüsselt"):
        readers.extract_text(buf.getvalue(), "leitlinien.pdf")


def test_pdf_with_too_many_pages_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(readers.MAX_PDF_PAGES + 1):
        writer.add_blank_page(10, 10)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ReadError, match="mehr als 500 Seiten"):
        readers.extract_text(buf.getvalue(), "leitlinien.pdf")


def test_pdf_name_without_pdf_content_is_refused():
    with pytest.raises(ReadError, match=r"endet auf \.pdf, ist aber keine PDF-Datei"):
        readers.extract_text(b"Leitlinien als Text", "leitlinien.pdf")


def test_pdf_signature_after_a_preamble_is_found_by_the_extension():
    # Some generators put junk before "%PDF-"; the name says PDF, so look a little further.
    data = b"\r\n" + make_pdf(["Wir arbeiten zusammen."])
    result = readers.extract_text(data, "leitlinien.pdf")
    assert result.fmt == "pdf"
    assert "Wir arbeiten zusammen." in result.text


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("leitlinien.doc", OLE_MAGIC + b"\x00" * 64),
        ("leitlinien.xlsx", b"Leitlinien als Text"),
    ],
)
def test_office_formats_other_than_docx_are_refused_with_the_supported_list(name, data):
    with pytest.raises(ReadError, match=r"bitte TXT, MD, DOCX, ODT, HTML oder PDF"):
        readers.extract_text(data, name)


def test_an_odt_that_is_no_archive_is_refused_as_odt_not_as_word():
    with pytest.raises(ReadError, match=r"kein gültiges ODT-Dokument\.$"):
        readers.extract_text(b"Leitlinien als Text", "leitlinien.odt")


# --- plan_readers: cells and dispatch -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "ja"),
        (False, "nein"),
        (3.0, "3"),
        (2.5, "2.5"),
        (dt.datetime(2025, 3, 1), "2025-03-01"),
        (dt.datetime(2025, 3, 1, 14, 30), "2025-03-01T14:30:00"),
        (dt.date(2026, 12, 31), "2026-12-31"),
        ("FB 67", "FB 67"),
    ],
)
def test_cell_values_as_the_user_typed_them(value, expected):
    assert plan_readers.cell_str(value) == expected


def test_blank_file_is_refused_as_empty():
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.csv", b" \r\n\t\n")
    assert message(exc) == "plan.csv: Datei ist leer."


def test_file_over_the_size_limit_is_refused(settings):
    settings.LEITWERK_IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.csv", b"x" * (1024 * 1024 + 1))
    assert message(exc) == "plan.csv: Datei ist größer als 1 MB."


@pytest.mark.parametrize(
    ("name", "member", "kind"),
    [
        ("plan.xlsx", "bild.png", "XLSX"),
        # An OpenDocument text renamed to .docx has content.xml, yet is no Word document.
        ("plan.docx", "content.xml", "DOCX"),
        ("plan", "bild.png", "Office"),
    ],
)
def test_archive_without_a_table_part_names_the_expected_format(name, member, kind):
    data = zip_of({member: b"<x/>"})
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read(name, data)
    assert message(exc) == f"{name}: keine gültige {kind}-Datei (das Archiv enthält keine Tabelle)."


@pytest.mark.parametrize("name", ["plan.xls", "plan.doc", "plan.csv"])
def test_legacy_office_files_are_refused_whatever_their_name(name):
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read(name, OLE_MAGIC + b"\x00" * 64)
    assert message(exc) == (
        f"{name}: altes Excel-/Word-Format (.xls/.doc) wird nicht unterstützt; "
        "bitte als .xlsx, .docx oder .csv speichern."
    )


def test_archive_with_too_many_members_is_refused():
    data = zip_of({f"xl/m{i}.xml": b"" for i in range(plan_readers.MAX_MEMBERS + 1)})
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == "plan.xlsx: das Archiv enthält zu viele Teile (5001)."


def test_archive_declaring_too_much_content_is_refused_before_unpacking():
    # Many members of exactly 1 MB each pass the per-member ratio check but not the total.
    members = {f"xl/worksheets/sheet{i}.xml": b"<x/>" for i in range(201)}
    data = declare_uncompressed_size(zip_of(members), 1024 * 1024)
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == (
        "plan.xlsx: entpackt größer als 200 MB; die Datei wird nicht eingelesen."
    )


# --- plan_readers: CSV/TSV ----------------------------------------------------------------


def test_utf16_csv_with_bom_is_read():
    text = ";".join(HEADER) + "\n" + ";".join(ROW) + "\n"
    table = plan_readers.read("plan.csv", text.encode("utf-16"))
    assert table.rows[:2] == [HEADER, ROW]


def test_latin1_csv_with_bytes_undefined_in_windows_1252_is_still_read():
    text = ";".join(HEADER) + "\n1;Klima;Grünfläche\x81;FB 67\n"
    table = plan_readers.read("plan.csv", text.encode("latin-1"))
    assert table.rows[0] == HEADER
    assert table.rows[1][2] == "Grünfläche\x81"


def test_truncated_utf16_csv_is_refused_as_binary():
    data = (";".join(HEADER)).encode("utf-16") + b"x"
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.csv", data)
    assert message(exc) == "plan.csv: keine Text- oder Tabellendatei (Binärdaten)."


def test_oversized_preamble_line_is_kept_verbatim():
    # csv refuses the giant field; the title line above the table must not be lost for it.
    title = "Aktionsplan; " + "x" * 140_000
    text = title + "\n" + ";".join(HEADER) + "\n" + ";".join(ROW) + "\n"
    table = plan_readers.read("plan.csv", text.encode())
    assert table.preamble == [title]
    assert table.rows[0] == HEADER
    assert table.row_numbers[0] == 2


def test_csv_with_far_too_many_lines_is_refused_before_parsing(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 1
    text = ";".join(HEADER) + "\n" + "\n".join(";".join(ROW) for _ in range(60))
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.csv", text.encode())
    assert message(exc) == "plan.csv: mehr als 1 Zeilen; die Datei wird nicht eingelesen."


def test_csv_with_an_oversized_cell_names_the_line():
    text = (
        "Aktionsplan Klima\n"
        + ";".join(HEADER)
        + "\n"
        + ";".join(ROW)
        + '\n2;Klima;"'
        + "x" * 140_000
        + '";FB 61\n'
    )
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.csv", text.encode())
    assert message(exc) == (
        "plan.csv, Zeile 4: Tabelle nicht lesbar "
        "(Zelle zu groß oder Anführungszeichen nicht geschlossen)."
    )
    assert exc.value.errors[0].row == 4


# --- plan_readers: XLSX -------------------------------------------------------------------


def test_xlsx_values_are_read_as_text():
    data = xlsx_bytes(
        [HEADER, [1, "Klima", "Radweg", True], [2, "Klima", dt.date(2025, 3, 1), None]]
    )
    table = plan_readers.read("plan.xlsx", data)
    assert table.fmt == "xlsx"
    assert table.rows == [HEADER, ["1", "Klima", "Radweg", "ja"], ["2", "Klima", "2025-03-01", ""]]


def test_xlsx_with_a_broken_workbook_part_is_refused():
    data = rezip(xlsx_bytes([HEADER, ROW]), "xl/workbook.xml", lambda x: b"<workbook")
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == "plan.xlsx: keine gültige XLSX-Datei."


def test_xlsx_with_too_many_rows_is_refused(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 1
    data = xlsx_bytes([HEADER, *([ROW] * 105)])
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == "plan.xlsx: mehr als 1 Zeilen; die Datei wird nicht eingelesen."
    assert exc.value.errors[0].row == 102


def test_xlsx_without_a_header_anywhere_returns_the_first_sheet():
    # The parser then reports the missing header against the sheet the user most likely meant.
    data = xlsx_bytes([["Deckblatt"]], [["Notizen"]])
    assert plan_readers.read("plan.xlsx", data).rows == [["Deckblatt"]]


def test_xlsx_table_on_a_later_sheet_is_found():
    data = xlsx_bytes([["Deckblatt"]], [HEADER, ROW])
    assert plan_readers.read("plan.xlsx", data).rows == [HEADER, ROW]


def test_xlsx_with_a_damaged_sheet_is_refused():
    data = rezip(xlsx_bytes([HEADER, ROW]), "xl/worksheets/sheet1.xml", lambda x: x[:-40])
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == "plan.xlsx: XLSX-Datei nicht lesbar."


def test_xlsx_without_worksheets_is_refused():
    data = rezip(
        xlsx_bytes([HEADER]),
        "xl/workbook.xml",
        lambda x: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", x),
    )
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.xlsx", data)
    assert message(exc) == "plan.xlsx: die Arbeitsmappe enthält kein Tabellenblatt."


# --- plan_readers: ODS --------------------------------------------------------------------


def test_ods_cell_text_keeps_spaces_tabs_breaks_spans_and_lists():
    rich = ods_p(
        'Rad<text:s text:c="3"/>weg<text:s/>neu<text:tab/>2025<text:line-break/>'
        "dann <text:span>fett</text:span> weiter"
    )
    listing = (
        "<text:list><text:list-item>"
        + ods_p("Standorte prüfen")
        + "</text:list-item><text:list-item>"
        + ods_p("Bürger beteiligen")
        + "</text:list-item></text:list>"
    )
    body = (
        '<table:table table:name="Plan">'
        + ods_row(*(ods_p(h) for h in HEADER))
        + ods_row(ods_p("1"), ods_p("Klima"), rich, listing)
        + "</table:table>"
    )
    table = plan_readers.read("plan.ods", ods_bytes(body))
    assert table.rows[1] == [
        "1",
        "Klima",
        "Rad   weg neu\t2025\ndann fett weiter",
        "Standorte prüfen\nBürger beteiligen",
    ]


def test_ods_ignores_foreign_elements_inside_a_row():
    # They must not shift the cells to their right into the wrong column.
    row = (
        "<table:table-row><table:table-cell>"
        + ods_p("1")
        + "</table:table-cell><office:annotation/><table:table-cell>"
        + ods_p("Klima")
        + "</table:table-cell></table:table-row>"
    )
    body = '<table:table table:name="Plan">' + ods_row(ods_p("Nr."), ods_p("Aktionsfeld"))
    body += row + "</table:table>"
    assert plan_readers.read("plan.ods", ods_bytes(body)).rows[1] == ["1", "Klima"]


def test_ods_without_a_table_is_refused():
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.ods", ods_bytes(""))
    assert message(exc) == "plan.ods: die Datei enthält keine Tabelle."


def test_ods_with_too_many_rows_is_refused(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 1
    body = (
        '<table:table table:name="Plan">'
        + ods_row(*(ods_p(h) for h in HEADER))
        + ods_row(*(ods_p(c) for c in ROW), repeat=200)
        + "</table:table>"
    )
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.ods", ods_bytes(body))
    assert message(exc) == "plan.ods: mehr als 1 Zeilen; die Datei wird nicht eingelesen."
    assert exc.value.errors[0].row == 102


# --- plan_readers: DOCX -------------------------------------------------------------------


def test_archive_with_a_broken_word_document_is_refused():
    data = zip_of({"word/document.xml": b"<w:document"})
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.docx", data)
    assert message(exc) == "plan.docx: keine gültige DOCX-Datei."


def test_docx_skips_empty_paragraphs_and_tables_without_header():
    def build(document):
        document.add_paragraph("Aktionsplan Klima")
        document.add_paragraph("")
        legend = document.add_table(rows=1, cols=2)
        legend.cell(0, 0).text = "Legende"
        legend.cell(0, 1).text = "FB = Fachbereich"
        table = document.add_table(rows=2, cols=len(HEADER))
        for r, row in enumerate([HEADER, ROW]):
            for c, value in enumerate(row):
                table.cell(r, c).text = value

    table = plan_readers.read("plan.docx", docx_bytes(build))
    assert table.rows == [HEADER, ROW]
    # The headerless table is kept as text above the plan, in case it holds the description.
    assert table.preamble == ["Aktionsplan Klima", "Legende FB = Fachbereich"]


def test_docx_without_a_plan_table_is_refused():
    def build(document):
        document.add_paragraph("Aktionsplan Klima")
        document.add_table(rows=1, cols=2).cell(0, 0).text = "Legende"

    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.docx", docx_bytes(build))
    assert message(exc) == (
        "plan.docx: das Dokument enthält keine Tabelle mit bekannten Spaltenköpfen "
        "(z. B. „Aktionsfeld“, „Arbeitstitel des Vorhabens“)."
    )


def test_docx_with_too_many_rows_is_refused(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 1

    def build(document):
        document.add_table(rows=102, cols=1).cell(0, 0).text = "Aktionsfeld"

    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.docx", docx_bytes(build))
    assert message(exc) == "plan.docx: mehr als 1 Zeilen; die Datei wird nicht eingelesen."
    assert exc.value.errors[0].row == 102


# --- plan_readers: HTML -------------------------------------------------------------------


def html_header() -> str:
    return "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"


def test_html_scripts_and_styles_do_not_leak_into_the_preamble():
    html = (
        "<html><head><style>p { color: red }</style></head><body>"
        "<script>document.write('<table>')</script>"
        "<p>Aktionsplan<br/>Klima</p><table>" + html_header() + "</table></body></html>"
    )
    table = plan_readers.read("plan.html", html.encode())
    assert table.preamble == ["Aktionsplan", "Klima"]
    assert table.rows == [HEADER]


def test_html_cells_keep_line_breaks_and_spans_fill_the_grid():
    html = (
        "<table>"
        + html_header()
        + '<tr><td>1</td><td rowspan="2" colspan="2">Klima<br/>und Umwelt</td><td>FB 67</td></tr>'
        + "<tr><td>2</td></td><td>FB 61</tr>"  # a stray end tag, a cell never closed
        + '<tr><td>3</td><td colspan="x">Mobilität</td><td>Radweg</td><td>FB 66</td>'
        + "</table>"  # neither is the last row
    )
    table = plan_readers.read("plan.html", html.encode())
    assert table.rows == [
        HEADER,
        ["1", "Klima<br/>und Umwelt", "", "FB 67"],
        ["2", "", "", "FB 61"],
        ["3", "Mobilität", "Radweg", "FB 66"],
    ]
    assert table.row_numbers == [1, 2, 3, 4]


def test_html_with_too_many_rows_is_refused(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 1
    html = "<table>" + html_header() + "<tr><td>1</td></tr>" * 105 + "</table>"
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.html", html.encode())
    assert message(exc) == "plan.html: mehr als 1 Zeilen."


def test_html_the_parser_chokes_on_is_refused_in_plans():
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.html", b"<html><![bogus[ x ]]><table></table></html>")
    assert message(exc) == "plan.html: HTML nicht lesbar."


def test_html_without_a_recognised_header_returns_the_first_table():
    html = (
        "<h1>Aktionsplan</h1><p>Stand 2025</p>"
        "<table><tr><td>Legende</td></tr></table><table><tr><td>Notizen</td></tr></table>"
    )
    table = plan_readers.read("plan.html", html.encode())
    assert table.rows == [["Legende"]]
    assert table.preamble == ["Aktionsplan", "Stand 2025"]
    assert table.headings == ["Aktionsplan"]


def test_html_without_any_table_is_refused():
    with pytest.raises(ImportFailed) as exc:
        plan_readers.read("plan.html", b"<html><body><p>Aktionsplan</p></body></html>")
    assert message(exc) == "plan.html: die HTML-Datei enthält keine Tabelle."
