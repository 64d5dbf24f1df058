"""The quarterly Beschlusskontrolle as an information paper (Informationsvorlage), PDF or DOCX.

The paper has the fields of a Sitzungsvorlage as council information systems ask for them
(Vorlagenart, Betreff, Beratungsfolge, federführend, Beschlussvorschlag, Sachverhalt,
finanzielle Auswirkungen, Anlagen), so its parts can be pasted into the RIS mask. The data is
built once as plain values (`paper_data`), then rendered: PDF with WeasyPrint (tagged,
PDF/UA-1, through `core.printing` like every paper), DOCX through the one Sitzungsvorlage
renderer of the reports app (`reports.vorlage_docx`, a layer below council).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string

from leitwerk.core.printing import pdf_ua
from leitwerk.core.text import xml_safe_tree
from leitwerk.reports.vorlage_docx import render_vorlage_docx

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
        "as_of_iso": as_of.isoformat(),
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
    return pdf_ua(render_to_string("council/paper_pdf.html", {"p": data}))


def _vorlage(data: dict[str, Any]) -> dict[str, Any]:
    """The paper's fields as the shared Sitzungsvorlage renderer takes them."""
    consultations = []
    for step in data["sequence"].split(", "):
        body, _, role = step.partition(" (")
        consultations.append(
            {"body": body, "date": None, "agenda_item": "", "role": role.rstrip(")")}
        )
    return {
        "subject": data["subject"],
        "kind": "info",
        "kind_label": data["kind"],
        "lead_unit": data["lead"],
        "consultations": consultations,
        "proposal": data["proposal"],
        "facts": data["facts"],
        "finance": data["finance"],
        "climate": "",
        "attachments": [] if data["annexes"] == "keine" else [data["annexes"]],
    }


def render_docx(data: dict[str, Any]) -> bytes:
    """The paper through the one Sitzungsvorlage renderer (reports.vorlage_docx): the same
    head, Beratungsfolge, section order, fitted table widths and page numbers as a report."""
    facts = [
        {"paragraph": data["follow_up_flag"], "label": "Beschlusskontrolle:"},
        {"heading": "Beschlüsse in Umsetzung", "level": 2},
        {
            "table": {
                "headers": data["open_headers"],
                "rows": data["open"],
                "empty": "Keine offenen Beschlüsse.",
            }
        },
        {"heading": "Im Quartal erledigt", "level": 2},
        {
            "table": {
                "headers": data["done_headers"],
                "rows": data["done"],
                "empty": "Im Quartal wurde kein Beschluss erledigt.",
            }
        },
    ]
    return render_vorlage_docx(
        _vorlage(data),
        municipality=data["municipality"],
        as_of=data["as_of_iso"],
        facts_parts=facts,
    )


def render(data: dict[str, Any], fmt: str) -> bytes:
    return render_pdf(data) if fmt == "pdf" else render_docx(data)
