"""The quarterly Beschlusskontrolle as an information paper (Informationsvorlage), PDF or DOCX.

The paper has the fields of a Sitzungsvorlage as council information systems ask for them
(Vorlagenart, Betreff, Beratungsfolge, federführend, Beschlussvorschlag, Sachverhalt,
finanzielle Auswirkungen, Anlagen), so its parts can be pasted into the RIS mask. The data is
built once as plain values (`paper_data`), then rendered: PDF with WeasyPrint (tagged,
PDF/UA-1), DOCX with python-docx. The reports app renders its own council paper the same way;
the two may share one Sitzungsvorlage renderer later.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.template.loader import render_to_string

from leitwerk.core.text import xml_safe_tree

from .models import DecisionFollowUp
from .selectors import row_of

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

HEADERS_OPEN = ["Beschluss vom", "Gremium", "Gegenstand", "federführend", "Frist", "Stand"]
HEADERS_DONE = ["Beschluss vom", "Gremium", "Gegenstand", "federführend", "erledigt am", "Vermerk"]


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "–"


def _count(n: int, one: str, many: str) -> str:
    """ "1 Beschluss ist", "3 Beschlüsse sind"."""
    return f"{n} Beschluss {one}" if n == 1 else f"{n} Beschlüsse {many}"


def _decision_text(f: DecisionFollowUp) -> str:
    d = f.decision
    parts = [d.title]
    if d.reference:
        parts.append(f"(Drucksache {d.reference})")
    if d.result:
        parts.append(f"– {d.result}")
    return " ".join(parts)


def paper_data(
    *,
    municipality: Any,
    year: int,
    quarter: int,
    open_rows: list[DecisionFollowUp],
    done_rows: list[DecisionFollowUp],
    today: dt.date,
) -> dict[str, Any]:
    """Every value the paper prints, as text (the same for PDF and DOCX)."""
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    label = f"Q{quarter}/{year}"
    # The light as of the quarter's end, or today while the quarter still runs.
    as_of = min(today, end)
    open_lines = []
    counts = {"rot": 0, "gelb": 0, "grün": 0}
    for f in open_rows:
        row = row_of(f, as_of)
        light = row.light_label.split(" ")[0]
        counts[light] = counts.get(light, 0) + 1
        state = f"{row.symbol} {light}, {f.get_status_display()}"
        if f.delay_reason:
            state += f" – Grund: {f.delay_reason}"
        open_lines.append(
            [
                _date(f.decision.decided_on),
                str(f.decision.body or "–"),
                _decision_text(f),
                str(f.unit or "–"),
                _date(f.deadline),
                state,
            ]
        )
    done_lines = [
        [
            _date(f.decision.decided_on),
            str(f.decision.body or "–"),
            _decision_text(f),
            str(f.unit or "–"),
            _date(f.done_on),
            f.done_note,
        ]
        for f in done_rows
    ]
    data = {
        "municipality": municipality.name,
        "kind": "Informationsvorlage",
        "subject": f"Beschlusskontrolle {label}: Stand der Umsetzung der Beschlüsse",
        "date": _date(today),
        "as_of": _date(as_of),
        "quarter": label,
        "lead": "Stabsstelle Strategie / Steuerung",
        "sequence": "Hauptausschuss (Kenntnisnahme), Rat (Kenntnisnahme)",
        "proposal": (
            f"Der Rat nimmt den Bericht zur Beschlusskontrolle für das {label} zur Kenntnis."
        ),
        "facts": (
            f"Zum {_date(as_of)} {_count(len(open_lines), 'ist', 'sind')} in Umsetzung "
            f"({counts['rot']} rot – Frist überschritten, {counts['gelb']} gelb – verzögert "
            f"oder bald fällig, {counts['grün']} grün). Im {label} "
            f"{'wurde' if len(done_lines) == 1 else 'wurden'} "
            f"{_count(len(done_lines), '', '').strip()} erledigt; erledigte Beschlüsse "
            "verlassen mit ihrem Vermerk die Liste."
        ),
        "open_headers": HEADERS_OPEN,
        "open": open_lines,
        "done_headers": HEADERS_DONE,
        "done": done_lines,
        "finance": "Keine. Der Bericht dient der Information.",
        "annexes": "keine",
        "follow_up_flag": "ja – Beschlusskontrolle",
    }
    return xml_safe_tree(data)


def render_pdf(data: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only this download needs.
    from weasyprint import HTML

    html = render_to_string("council/paper_pdf.html", {"p": data})
    pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)


def render_docx(data: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    # Landscape like the PDF: six columns need the width.
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    props = doc.core_properties
    props.title = data["subject"]
    props.author = data["municipality"]
    props.language = "de-DE"
    doc.add_paragraph(f"{data['municipality']} · {data['kind']}")
    doc.add_heading(data["subject"], level=1)
    head = doc.add_table(rows=0, cols=2)
    head.style = "Table Grid"
    for label, value in (
        ("Vorlagenart", data["kind"]),
        ("Datum", data["date"]),
        ("Stichtag", data["as_of"]),
        ("federführend", data["lead"]),
        ("Beratungsfolge", data["sequence"]),
        ("Beschlusskontrolle", data["follow_up_flag"]),
    ):
        cells = head.add_row().cells
        cells[0].text = label
        cells[1].text = value
    for title, text in (
        ("Beschlussvorschlag", data["proposal"]),
        ("Sachverhalt", data["facts"]),
    ):
        doc.add_heading(title, level=2)
        doc.add_paragraph(text)
    for title, headers, rows, empty in (
        ("Beschlüsse in Umsetzung", data["open_headers"], data["open"], "Keine offenen."),
        ("Im Quartal erledigt", data["done_headers"], data["done"], "Keine erledigt."),
    ):
        doc.add_heading(title, level=3)
        if not rows:
            doc.add_paragraph(empty)
            continue
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    doc.add_heading("Finanzielle Auswirkungen", level=2)
    doc.add_paragraph(data["finance"])
    doc.add_heading("Anlagen", level=2)
    doc.add_paragraph(data["annexes"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(data: dict[str, Any], fmt: str) -> bytes:
    return render_pdf(data) if fmt == "pdf" else render_docx(data)
