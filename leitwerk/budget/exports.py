"""The "Ziele und Kennzahlen" section of a Teilhaushalt as DOCX and XLSX for the Kämmerei.

Both are built from `selectors.budget_section` (plain data). Numbers stay numbers in the
workbook (typed cells with a German-friendly format); text cells go through the formula
neutraliser (core.spreadsheet).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from leitwerk.core.formatting import number
from leitwerk.core.spreadsheet import xlsx_text
from leitwerk.core.text import xml_safe

from .selectors import BudgetSection, ProductEntry

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def section_title(section: BudgetSection) -> str:
    return f"Teilhaushalt {section.area_code} {section.area_title}".strip()


def file_stem(section: BudgetSection) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in section.area_code)
    return f"ziele-und-kennzahlen-th-{safe}-{section.year}"


def _text(value: Decimal | None) -> str:
    return "–" if value is None else number(value)


def _docx_figures(document: Any, section: BudgetSection, product: ProductEntry) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    headers = ["Kennzahl", "Einheit", *(c.label for c in section.columns)]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # The name needs the room; the value columns share the rest of the 17 cm text width.
    widths = [Cm(4.6), Cm(1.6), *([Cm(10.8 / len(section.columns))] * len(section.columns))]
    head = table.rows[0]
    # Repeat the header row on every page a long table runs over.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(head.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
    for _figure in product.key_figures:
        table.add_row()
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for figure, table_row in zip(product.key_figures, table.rows[1:], strict=True):
        cells = table_row.cells
        texts = [figure.name, figure.unit, *(_text(v) for v in figure.values)]
        for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.add_run(xml_safe(text)).font.size = Pt(9)
            if index >= 2:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_product(document: Any, section: BudgetSection, product: ProductEntry) -> None:
    document.add_heading(xml_safe(f"Produkt {product.code} {product.title}"), level=2)
    if product.responsible:
        document.add_paragraph(xml_safe(f"Verantwortlich: {product.responsible}"))
    if product.description:
        document.add_paragraph(xml_safe(product.description))
    document.add_heading("Ziele", level=3)
    for goal in product.goals:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(xml_safe(f"{goal.level_label}: ")).bold = True
        paragraph.add_run(xml_safe(f"{goal.code} {goal.title}".strip()))
    if not product.goals:
        document.add_paragraph("Noch keine Ziele verknüpft.")
    document.add_heading("Kennzahlen", level=3)
    if product.key_figures:
        _docx_figures(document, section, product)
    else:
        document.add_paragraph("Noch keine Kennzahlen.")


def section_docx(section: BudgetSection, *, municipality_name: str) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    for part in document.sections:
        part.left_margin = part.right_margin = Cm(2)
    document.core_properties.title = xml_safe(f"{section_title(section)}: Ziele und Kennzahlen")
    document.core_properties.language = "de-DE"
    document.add_heading(xml_safe(section_title(section)), level=1)
    document.add_paragraph(
        xml_safe(f"{municipality_name} · Haushaltsjahr {section.year} · Ziele und Kennzahlen")
    )
    if not section.products:
        document.add_paragraph("Diesem Teilhaushalt sind noch keine Produkte zugeordnet.")
    for product in section.products:
        _docx_product(document, section, product)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def section_xlsx(section: BudgetSection, *, municipality_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    figures = workbook.active
    figures.title = "Kennzahlen"
    figures.append([xlsx_text(f"{municipality_name}: {section_title(section)}, {section.year}")])
    header = [
        "Produkt-Nr.",
        "Produkt",
        "Kennzahl-Nr.",
        "Kennzahl",
        "Einheit",
        *(c.label for c in section.columns),
    ]
    figures.append(header)
    for cell in figures[2]:
        cell.font = Font(bold=True)
    for product in section.products:
        for figure in product.key_figures:
            figures.append(
                [
                    xlsx_text(product.code),
                    xlsx_text(product.title),
                    xlsx_text(figure.code),
                    xlsx_text(figure.name),
                    xlsx_text(figure.unit),
                    # Typed numbers: the Kämmerei calculates with them.
                    *(None if v is None else float(v) for v in figure.values),
                ]
            )
            for cell in figures[figures.max_row][5:]:
                cell.number_format = "#,##0.##"
    figures.freeze_panes = "A3"
    goals = workbook.create_sheet("Ziele")
    goals.append(["Produkt-Nr.", "Produkt", "Zielebene", "Ziel-Kürzel", "Ziel"])
    for cell in goals[1]:
        cell.font = Font(bold=True)
    for product in section.products:
        for goal in product.goals:
            goals.append(
                [
                    xlsx_text(product.code),
                    xlsx_text(product.title),
                    xlsx_text(goal.level_label),
                    xlsx_text(goal.code),
                    xlsx_text(goal.title),
                ]
            )
    for sheet, widths in ((figures, (14, 36, 14, 40, 12)), (goals, (14, 36, 20, 12, 60))):
        for letter, width in zip("ABCDE", widths, strict=True):
            sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
