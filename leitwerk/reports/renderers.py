"""Render a report snapshot (see builder.py) as PDF, DOCX or XLSX bytes.

Renderers only read the snapshot, never the database, so an archived snapshot can be rendered
again years later with the same result.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from leitwerk.core.printing import pdf_ua, reproducible_zip
from leitwerk.core.spreadsheet import xlsx_text
from leitwerk.core.text import xml_safe_tree

from .formatting import de_date, de_date_short, de_money, de_number, de_percent

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_HEALTH_SYMBOLS = {
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "✕",
    "done": "✓",
    "stale": "◌",
    "unknown": "?",
    "cancelled": "⊘",
    "paused": "Ⅱ",
}


def _health(row: dict[str, Any]) -> str:
    return f"{_HEALTH_SYMBOLS.get(row['health'], '?')} {row['health_label']}"


def _owner_text(row: dict[str, Any]) -> str:
    """The owner's latest assessment in words, e.g. "gefährdet (12.05.2026)"."""
    if not row.get("owner_health"):
        return "keine Sachstandsmeldung"
    return f"{row['owner_health_label']} ({de_date_short(row['owner_reported_on'])})"


def _both_statuses(row: dict[str, Any]) -> str:
    """The shown Ampel with the calculated one and the owner's beside it, for table cells."""
    return (
        f"{_health(row)} – berechnet: {row['calculated_health_label']}; "
        f"Projektleitung: {_owner_text(row)}"
    )


def _field_count(f: dict[str, Any]) -> str:
    # Snapshots before `count` existed only know the roll-up total.
    count, stopped = f.get("count", f["total"]), f.get("stopped", 0)
    return f"{count} (davon {stopped} eingestellt)" if stopped else str(count)


def _as_of_datetime(snapshot: dict[str, Any]) -> dt.datetime:
    # Document properties carry the reference day instead of "now", so files are reproducible.
    return dt.datetime.combine(dt.date.fromisoformat(snapshot["as_of"]), dt.time(12, 0))


# --- PDF ---------------------------------------------------------------------------------


def render_html(snapshot: dict[str, Any]) -> str:
    # Archived version-1 snapshots keep the long document they were made as.
    version = snapshot.get("version", 1)
    template = "reports/report_pdf.html" if version >= 2 else "reports/report_pdf_v1.html"
    return render_to_string(template, {"s": snapshot})


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    """Tagged PDF (PDF/UA-1) with embedded DejaVu fonts."""
    return pdf_ua(render_html(snapshot))


# --- DOCX --------------------------------------------------------------------------------


def render_docx(snapshot: dict[str, Any]) -> bytes:
    """The Sitzungsvorlage as an editable Word document, its fields 1:1 (for the council
    information system); archived version-1 snapshots keep their old layout."""
    if snapshot.get("version", 1) >= 2:
        return _render_docx_v2(snapshot)
    return _render_docx_v1(snapshot)


def _block_rows(block: dict[str, Any]) -> tuple[list[list[str]], dict[int, list[str]]]:
    rows, notes = [], {}
    for n, r in enumerate(block["rows"]):
        owner = (
            f"{r['owner_health_label']} ({de_date_short(r['owner_reported_on'])})"
            if r["owner_health_label"]
            else "keine Meldung"
        )
        state = f"{_health(r)}, {de_percent(r['progress'], '–')}"
        if r["expected"] is not None:
            state += f" (erwartet {r['expected']} %)"
        state += f"; berechnet: {r['calculated_health_label']}; Projektleitung: {owner}"
        ms = r["next_milestone"]
        milestone = "–"
        if ms:
            when = "überfällig seit" if ms["overdue"] else "fällig"
            milestone = f"{ms['title']} ({when} {de_date_short(ms['due_date'])})"
            if r["overdue_milestones"] > 1:
                milestone += f"; {r['overdue_milestones']} überfällig"
        ind = r["indicator"]
        figure = "–"
        if ind:
            unit = f" {ind['unit']}" if ind["unit"] else ""
            figure = f"{ind['title']}: {de_number(ind['latest'])}{unit}"
            if ind["target"] is not None:
                figure += f" (Ziel {de_number(ind['target'])}{unit})"
        rows.append([f"{r['label']} ({r['status_label']})", state, milestone, figure])
        if r["deviation"]:
            d = r["deviation"]
            why = d["explanation"] or d["status_text"] or "Keine Begründung gemeldet."
            notes[n] = ["Warum und was nun?", why]
    return rows, notes


def _facts_parts(s: dict[str, Any]) -> list[dict[str, Any]]:
    parts = _glance_parts(s=s)
    parts.append({"heading": "Stand nach Aktionsfeldern", "level": 2})
    parts.append(
        {
            "table": {
                "headers": ["Aktionsfeld", "Vorhaben", "Fortschritt", "erwartet", "Einschätzung"],
                "rows": [
                    [
                        f["label"],
                        _field_count(f),
                        de_percent(f["progress"], "–"),
                        de_percent(f["expected"], "–"),
                        _health(f),
                    ]
                    for f in s["action_fields"]
                ],
            }
        }
    )
    parts.append({"heading": "Die Vorhaben im Einzelnen", "level": 2})
    for block in s["blocks"]:
        rows, notes = _block_rows(block)
        parts.append({"heading": f"Aktionsfeld {block['label']}", "level": 3})
        parts.append(
            {
                "table": {
                    "headers": ["Vorhaben", "Stand", "Nächster Meilenstein", "Kennzahl"],
                    "rows": rows,
                    "notes": notes,
                }
            }
        )
    if not s["blocks"]:
        parts.append({"paragraph": "Keine Vorhaben in diesem Umfang."})
    parts += _goal_and_decision_parts(s=s)
    return parts


def _glance_parts(*, s: dict[str, Any]) -> list[dict[str, Any]]:
    """The section "Auf einen Blick": what is critical or at risk, what changed, the summary."""
    a, c = s["attention"], s.get("changes")
    parts: list[dict[str, Any]] = [{"heading": "Auf einen Blick", "level": 2}]
    parts += [{"paragraph": x["why"], "label": f"Kritisch: {x['label']}."} for x in a["critical"]]
    if a["critical_more"]:
        parts.append({"paragraph": f"… und {a['critical_more']} weitere kritische Vorhaben."})
    if not a["critical"]:
        parts.append({"paragraph": "Kein Vorhaben ist kritisch."})
    if a["at_risk"]:
        more = f" – und {a['at_risk_more']} weitere" if a["at_risk_more"] else ""
        parts.append({"paragraph": "; ".join(a["at_risk"]) + more + ".", "label": "Gefährdet:"})
    if c:
        text = (
            f"Seit dem {de_date(c['since'])}: {c['changed']} Vorhaben mit Änderungen; "
            f"{c['milestones_reached']} Meilensteine erreicht; {c['new_values']} neue Messwerte."
        )
        if c["worse"]:
            text += " Verschlechtert: " + "; ".join(
                f"{w['label']} ({w['before']} → {w['after']})" for w in c["worse"][:12]
            )
        parts.append({"paragraph": text, "label": "Seit dem letzten Bericht:"})
    else:
        parts.append({"paragraph": "Dies ist der erste Bericht zu diesem Plan."})
    parts += [{"paragraph": sentence} for sentence in s["summary"]]
    return parts


def _goal_and_decision_parts(*, s: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals' state and the decisions recorded, the Sachverhalt's last sections."""
    parts: list[dict[str, Any]] = [{"heading": "Stand der Ziele", "level": 2}]
    for gf in s["goal_fields"]:
        parts.append(
            {
                "table": {
                    "headers": [f"Ziel ({gf['label']})", "Zieldatum", "Fortschritt", "Stand"],
                    "rows": [
                        [
                            g["label"],
                            de_date_short(g["target_date"]),
                            de_percent(g["progress"], "–"),
                            _health(g),
                        ]
                        for g in gf["goals"]
                    ],
                }
            }
        )
    if not s["goal_fields"]:
        parts.append({"paragraph": "Die Vorhaben sind noch keinen Zielen zugeordnet."})
    parts.append({"heading": "Getroffene Entscheidungen", "level": 2})
    parts.append(
        {
            "table": {
                "headers": ["Datum", "Entscheidung", "Begründung"],
                "rows": [
                    [
                        de_date_short(d["decided_on"]),
                        f"{d['title']} ({d['kind_label']})",
                        d["justification"],
                    ]
                    for d in s["decisions"]["recorded"]
                ],
                "empty": "Bis zum Stichtag sind keine Entscheidungen zu Vorhaben erfasst.",
            }
        }
    )
    return parts


def _finance_parts(s: dict[str, Any]) -> list[dict[str, Any]]:
    fin = s["finance"]
    return [
        {
            "table": {
                "headers": ["Aktionsfeld", "Budget", "Aufwand (Personentage)", "ohne Budget"],
                "rows": [
                    [
                        f["label"],
                        de_money(f["budget_eur"]),
                        de_number(f["effort_person_days"], 1),
                        f"{f['without_budget']} von {f['initiatives']}",
                    ]
                    for f in fin["fields"]
                ]
                + [
                    [
                        "Summe",
                        de_money(fin["budget_eur"]),
                        de_number(fin["effort_person_days"], 1),
                        str(fin["without_budget"]),
                    ]
                ],
            }
        }
    ]


def _render_docx_v2(s: dict[str, Any]) -> bytes:
    from .vorlage_docx import render_vorlage_docx

    vorlage = {**s["vorlage"], "attachments": [a["title"] for a in s["annexes"]]}
    if not vorlage["subject"]:
        vorlage["subject"] = s["subject"]
    return render_vorlage_docx(
        vorlage,
        municipality=s["municipality"]["name"],
        as_of=s["as_of"],
        facts_parts=_facts_parts(s),
        finance_parts=_finance_parts(s),
        look=s.get("look"),
    )


def _render_docx_v1(snapshot: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    s = xml_safe_tree(snapshot)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    props = doc.core_properties
    props.title = f"{s['subject']} – Stand {de_date(s['as_of'])}"
    props.author = s["municipality"]["name"]
    props.language = "de-DE"
    props.created = props.modified = _as_of_datetime(s)
    props.last_modified_by = "Leitwerk"
    props.revision = 1
    for part in _DOCX_PARTS:
        part(doc, s)
    out = io.BytesIO()
    doc.save(out)
    return reproducible_zip(out.getvalue(), _as_of_datetime(s))


def _docx_table(doc, headers: list[str], rows: list[list[str]]) -> None:
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Light Grid Accent 1"
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    doc.add_paragraph()


def _docx_cover(doc, s: dict[str, Any]) -> None:
    """Title, the key facts and sections 1 (decision requested) and 2 (summary)."""
    p = s["plan"]
    doc.add_paragraph(f"{s['municipality']['name']} · Informationsvorlage", style="Subtitle")
    doc.add_heading(s["subject"], level=0)
    _docx_table(
        doc,
        ["Angabe", "Inhalt"],
        [
            ["Gegenstand", f"Sachstand der Umsetzung: {p['title']}"],
            ["Stichtag", de_date(s["as_of"])],
            *([["erstellt am", de_date(s["created_on"])]] if s["created_on"] else []),
            ["Aktionsplan", f"{p['title']} ({p['status_label']})"],
            [
                "Gesamteinschätzung",
                f"{_health(p)}, Fortschritt {de_percent(p['progress'])}",
            ],
        ],
    )

    doc.add_heading("1. Beschlussvorschlag", level=1)
    doc.add_paragraph(
        s["decisions"]["requested"]
        or "Der Bericht dient zur Kenntnisnahme. Ein Beschluss ist nicht erforderlich."
    )
    doc.add_heading("2. Zusammenfassung", level=1)
    for sentence in s["summary"]:
        doc.add_paragraph(sentence)


def _docx_action_fields(doc, s: dict[str, Any]) -> None:
    doc.add_heading("3. Sachstand nach Aktionsfeldern", level=1)
    _docx_table(
        doc,
        ["Aktionsfeld", "Vorhaben", "Fortschritt", "erwartet", "Einschätzung"],
        [
            [
                f["label"],
                _field_count(f),
                de_percent(f["progress"], "–"),
                de_percent(f["expected"], "–"),
                _health(f),
            ]
            for f in s["action_fields"]
        ],
    )
    for f in s["action_fields"]:
        doc.add_heading(f"Aktionsfeld {f['label']}", level=2)
        if f["initiatives"]:
            _docx_table(
                doc,
                ["Vorhaben", "Status", "federführend", "Fortschritt", "Einschätzung"],
                [
                    [
                        i["label"],
                        i["status_label"],
                        i["lead_unit"] or "–",
                        de_percent(i["progress"], "–"),
                        _both_statuses(i) + (" (ohne aktuelle Meldung)" if i["stale"] else ""),
                    ]
                    for i in f["initiatives"]
                ],
            )
        else:
            doc.add_paragraph("Keine Vorhaben in diesem Aktionsfeld.")


def _docx_goals(doc, s: dict[str, Any]) -> None:
    doc.add_heading("4. Stand der Ziele", level=1)
    for gf in s["goal_fields"]:
        doc.add_heading(f"Zielfeld {gf['label']}", level=2)
        _docx_table(
            doc,
            ["Ziel", "Zieldatum", "Fortschritt", "Einschätzung"],
            [
                [
                    g["label"],
                    de_date_short(g["target_date"]),
                    de_percent(g["progress"], "–"),
                    _health(g),
                ]
                for g in gf["goals"]
            ],
        )
    if not s["goal_fields"]:
        doc.add_paragraph("Die Vorhaben dieses Plans sind noch keinen Zielen zugeordnet.")


def _docx_milestones(doc, s: dict[str, Any]) -> None:
    doc.add_heading("5. Meilensteine", level=1)
    ms = s["milestones"]
    doc.add_heading(f"Überfällige Meilensteine ({len(ms['overdue'])})", level=2)
    if ms["overdue"]:
        _docx_table(
            doc,
            ["Meilenstein", "Vorhaben", "fällig am"],
            [[m["title"], m["initiative"], de_date_short(m["due_date"])] for m in ms["overdue"]],
        )
    else:
        doc.add_paragraph("Kein Meilenstein ist überfällig.")
    doc.add_heading(f"Erreichte Meilensteine ({len(ms['reached'])})", level=2)
    if ms["reached"]:
        _docx_table(
            doc,
            ["Meilenstein", "Vorhaben", "erreicht am"],
            [[m["title"], m["initiative"], de_date_short(m["done_on"])] for m in ms["reached"]],
        )
    else:
        doc.add_paragraph("Bis zum Stichtag wurde noch kein Meilenstein erreicht.")


def _docx_indicators(doc, s: dict[str, Any]) -> None:
    doc.add_heading("6. Indikatoren", level=1)
    for ind in s["indicators"]:
        doc.add_heading(ind["title"], level=2)
        doc.add_paragraph(
            f"Vorhaben {ind['initiative']} · {ind['kind_label']} · Ausgangswert "
            f"{de_number(ind['baseline'])} · Zielwert {de_number(ind['target'])} · "
            f"Zielerreichung {de_percent(ind['attainment'])}"
        )
        if ind["values"]:
            unit = f" ({ind['unit']})" if ind["unit"] else ""
            _docx_table(
                doc,
                ["Stichtag", "Zeitraum", f"Wert{unit}"],
                [
                    [de_date_short(v["date"]), v["period"] or "–", de_number(v["value"])]
                    for v in ind["values"]
                ],
            )
        elif ind.get("checklist"):
            _docx_table(
                doc,
                ["Punkt", "Stand"],
                [[i["text"], "erledigt" if i["done"] else "offen"] for i in ind["checklist"]],
            )
        else:
            doc.add_paragraph("Noch keine Messwerte bis zum Stichtag.")


def _docx_deviations(doc, s: dict[str, Any]) -> None:
    doc.add_heading("7. Abweichungen und Begründungen", level=1)
    for d in s["deviations"]:
        doc.add_heading(f"{d['initiative']} – {_health(d)}", level=2)
        doc.add_paragraph(f"Fortschritt {de_percent(d['progress'])}.")
        if d["reported_on"]:
            doc.add_paragraph(
                f"Sachstand vom {de_date_short(d['reported_on'])}: {d['status_text']}"
            )
            para = doc.add_paragraph()
            para.add_run("Warum und was nun? ").bold = True
            para.add_run(d["explanation"] or "Keine Begründung gemeldet.")
    if not s["deviations"]:
        doc.add_paragraph("Kein Vorhaben weicht vom Zeitplan ab.")


def _docx_decisions(doc, s: dict[str, Any]) -> None:
    doc.add_heading("8. Getroffene Entscheidungen", level=1)
    if s["decisions"]["recorded"]:
        _docx_table(
            doc,
            ["Datum", "Entscheidung", "Begründung"],
            [
                [
                    de_date_short(d["decided_on"]),
                    f"{d['title']} ({d['kind_label']})",
                    d["justification"],
                ]
                for d in s["decisions"]["recorded"]
            ],
        )
    else:
        doc.add_paragraph("Bis zum Stichtag sind keine Entscheidungen zu Vorhaben erfasst.")


def _docx_closing(doc, s: dict[str, Any]) -> None:
    """Sections 9 (finance), 10 (climate relevance) and 11 (annexes)."""
    doc.add_heading("9. Finanzielle Auswirkungen", level=1)
    fin = s["finance"]
    _docx_table(
        doc,
        ["Aktionsfeld", "Budget", "Aufwand (Personentage)", "ohne Budgetangabe"],
        [
            [
                f["label"],
                de_money(f["budget_eur"]),
                de_number(f["effort_person_days"], 1),
                f"{f['without_budget']} von {f['initiatives']}",
            ]
            for f in fin["fields"]
        ]
        + [
            [
                "Summe",
                de_money(fin["budget_eur"]),
                de_number(fin["effort_person_days"], 1),
                str(fin["without_budget"]),
            ]
        ],
    )
    doc.add_heading("10. Klima- und Nachhaltigkeitsrelevanz", level=1)
    doc.add_paragraph(s["climate_relevance"] or "Keine Angaben.")
    doc.add_heading("11. Anlagen", level=1)
    for a in s["annexes"]:
        doc.add_paragraph(f"Anlage {a['number']}: {a['title']}", style="List Bullet")


# The document's parts in order; each appends its headings, paragraphs and tables.
_DOCX_PARTS: tuple[Callable[[Any, dict[str, Any]], None], ...] = (
    _docx_cover,
    _docx_action_fields,
    _docx_goals,
    _docx_milestones,
    _docx_indicators,
    _docx_deviations,
    _docx_decisions,
    _docx_closing,
)


# --- XLSX --------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """Numbers as numbers (so the data can be calculated with), text neutralised (C6)."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | dt.date):
        # Typed cells: numbers to calculate with, dates to sort and filter by.
        return value
    return xlsx_text(str(value))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _date(value: str | None) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(value)


def render_xlsx(snapshot: dict[str, Any]) -> bytes:
    """The report's data, one sheet per level (plan, action fields, Vorhaben, …)."""
    from openpyxl import Workbook

    s = snapshot
    wb = Workbook()
    wb.properties.creator = s["municipality"]["name"]
    wb.properties.title = f"{s['subject']} – Stand {de_date(s['as_of'])}"
    wb.properties.created = wb.properties.modified = _as_of_datetime(s)
    wb.properties.language = "de-DE"
    sheets = _XLSX_SHEETS
    if s.get("version", 1) >= 2:
        sheets = (_xlsx_vorlage, _xlsx_blocks, *_XLSX_SHEETS)
    for n, sheet in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        _xlsx_fill(ws, *sheet(s))
    out = io.BytesIO()
    wb.save(out)
    return reproducible_zip(out.getvalue(), _as_of_datetime(s))


# A sheet's title, headers and rows.
_Sheet = tuple[str, list[str], list[list[Any]]]


# Number formats by header: Excel and LibreOffice show them with the reader's separators, so a
# German reader sees "1.234,50 €" and "31.12.2026"; the cells stay numbers and dates.
_MONEY = '#,##0.00 "€"'
_PERCENT = '0" %"'
_DECIMAL = "#,##0.##"
_DATE = "DD.MM.YYYY"


def _number_format(header: str) -> str:
    if "(Euro)" in header:
        return _MONEY
    if "(%)" in header:
        return _PERCENT
    return _DECIMAL


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, Decimal | int | float):
        return len(f"{value:,.2f}") + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def _xlsx_fill(ws, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append([_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B5394")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [_number_format(h) for h in headers]
    widths = [len(h) + 2 for h in headers]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row in rows:
        ws.append([_cell(v) for v in row])
        lines = 1
        for n, cell in enumerate(ws[ws.max_row]):
            value = cell.value
            cell.alignment = top
            if isinstance(value, dt.date):
                cell.number_format = _DATE
            elif isinstance(value, Decimal | float) or (
                isinstance(value, int) and not isinstance(value, bool)
            ):
                cell.number_format = formats[n]
            elif isinstance(value, str) and (len(value) > 43 or "\n" in value):
                cell.alignment = wrap
                lines = max(lines, sum(len(p) // 43 + 1 for p in value.splitlines()))
            widths[n] = max(widths[n], _width(value))
        if lines > 1:
            # Wrapped text needs its height: spreadsheet programs do not always grow the row.
            ws.row_dimensions[ws.max_row].height = 15 * min(lines, 20)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    # Printed (or converted to PDF): landscape, all columns on one page width, header repeated.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    for n, width in enumerate(widths, start=1):
        # Widths from the content; long texts wrap.
        ws.column_dimensions[get_column_letter(n)].width = max(8, min(45, width + 2))


def _xlsx_vorlage(s: dict[str, Any]) -> _Sheet:
    v = s.get("vorlage", {})
    rows: list[list[Any]] = [
        ["Betreff", v.get("subject") or s["subject"]],
        ["Vorlagenart", v.get("kind_label", "")],
        ["Federführende Stelle", v.get("lead_unit", "")],
        ["Stichtag", _date(s["as_of"])],
        ["Umfang", s.get("scope", {}).get("label", "")],
    ]
    for n, c in enumerate(v.get("consultations", []), start=1):
        rows.append(
            [
                f"Beratung {n}",
                f"{c['body']}, {de_date_short(c['date'])}"
                + (f", TOP {c['agenda_item']}" if c["agenda_item"] else "")
                + (f" ({c['role']})" if c["role"] else ""),
            ]
        )
    rows += [
        ["Beschlussvorschlag", v.get("proposal", "")],
        ["Sachverhalt", v.get("facts", "")],
        ["Finanzielle Auswirkungen", v.get("finance", "")],
        ["Klimarelevanz", v.get("climate", "")],
        ["Anlagen", "\n".join(a["title"] for a in s["annexes"])],
    ]
    return ("Vorlage", ["Feld", "Inhalt"], rows)


def _xlsx_blocks(s: dict[str, Any]) -> _Sheet:
    rows = []
    for b in s.get("blocks", []):
        for r in b["rows"]:
            ms, ind, dev = r["next_milestone"], r["indicator"], r["deviation"]
            rows.append(
                [
                    b["label"],
                    r["label"],
                    r["health_label"],
                    r["progress"],
                    r["expected"],
                    ms["title"] if ms else None,
                    _date(ms["due_date"]) if ms else None,
                    r["overdue_milestones"],
                    ind["title"] if ind else None,
                    _decimal(ind["latest"]) if ind else None,
                    _decimal(ind["target"]) if ind else None,
                    (dev["explanation"] or dev["status_text"]) if dev else None,
                ]
            )
    return (
        "Vorhaben kompakt",
        [
            "Aktionsfeld",
            "Vorhaben",
            "Einschätzung",
            "Fortschritt (%)",
            "erwartet (%)",
            "nächster Meilenstein",
            "fällig am",
            "überfällige Meilensteine",
            "Kennzahl",
            "letzter Wert",
            "Zielwert",
            "Warum und was nun?",
        ],
        rows,
    )


def _xlsx_plan(s: dict[str, Any]) -> _Sheet:
    p = s["plan"]
    return (
        "Plan",
        ["Angabe", "Wert"],
        [
            ["Kommune", s["municipality"]["name"]],
            ["Betreff", s["subject"]],
            ["Stichtag", _date(s["as_of"])],
            ["Aktionsplan", p["title"]],
            ["Status", p["status_label"]],
            ["Fortschritt (%)", p["progress"]],
            ["erwartet (%)", p["expected"]],
            ["Einschätzung", p["health_label"]],
            ["Vorhaben ohne aktuelle Meldung", p["stale"]],
            ["Budget gesamt (Euro)", _decimal(s["finance"]["budget_eur"])],
            ["Aufwand gesamt (Personentage)", _decimal(s["finance"]["effort_person_days"])],
            ["Beschlussvorschlag", s["decisions"]["requested"]],
            ["Klima- und Nachhaltigkeitsrelevanz", s["climate_relevance"]],
        ],
    )


def _xlsx_action_fields(s: dict[str, Any]) -> _Sheet:
    return (
        "Aktionsfelder",
        [
            "Aktionsfeld",
            "Vorhaben",
            "davon eingestellt",
            "Fortschritt (%)",
            "erwartet (%)",
            "Einschätzung",
            "ohne aktuelle Meldung",
            "Budget (Euro)",
            "Aufwand (Personentage)",
        ],  # fmt: skip
        [
            [
                f["label"],
                f.get("count", f["total"]),
                f.get("stopped", 0),
                f["progress"],
                f["expected"],
                f["health_label"],
                f["stale"],
                _decimal(fin["budget_eur"]),
                _decimal(fin["effort_person_days"]),
            ]  # fmt: skip
            for f, fin in zip(s["action_fields"], s["finance"]["fields"], strict=True)
        ],
    )


def _xlsx_initiatives(s: dict[str, Any]) -> _Sheet:
    return (
        "Vorhaben",
        [
            "Aktionsfeld",
            "Nummer",
            "Vorhaben",
            "Status",
            "federführend",
            "Beginn",
            "Ende",
            "Fortschritt (%)",
            "erwartet (%)",
            "Einschätzung",
            "berechnete Einschätzung",
            "Einschätzung der Projektleitung",
            "gemeldet am",
            "ohne aktuelle Meldung",
            "Budget (Euro)",
            "Aufwand (Personentage)",
        ],  # fmt: skip
        [
            [
                f["label"],
                i["number"],
                i["title"],
                i["status_label"],
                i["lead_unit"],
                _date(i["start_date"]),
                _date(i["end_date"]),
                i["progress"],
                i["expected"],
                i["health_label"],
                i["calculated_health_label"],
                i["owner_health_label"],
                _date(i["owner_reported_on"]),
                "ja" if i["stale"] else "nein",
                _decimal(i["budget_eur"]),
                _decimal(i["effort_person_days"]),
            ]  # fmt: skip
            for f in s["action_fields"]
            for i in f["initiatives"]
        ],
    )


def _xlsx_goals(s: dict[str, Any]) -> _Sheet:
    return (
        "Ziele",
        ["Zielfeld", "Ziel", "Zieldatum", "Fortschritt (%)", "Einschätzung"],
        [
            [gf["label"], g["label"], _date(g["target_date"]), g["progress"], g["health_label"]]
            for gf in s["goal_fields"]
            for g in gf["goals"]
        ],
    )


def _xlsx_milestones(s: dict[str, Any]) -> _Sheet:
    ms = s["milestones"]
    return (
        "Meilensteine",
        ["Stand", "Meilenstein", "Vorhaben", "fällig am", "erreicht am"],
        [
            ["überfällig", m["title"], m["initiative"], _date(m["due_date"]), None]
            for m in ms["overdue"]
        ]  # fmt: skip
        + [
            ["erreicht", m["title"], m["initiative"], _date(m["due_date"]), _date(m["done_on"])]
            for m in ms["reached"]
        ],  # fmt: skip
    )


def _xlsx_indicators(s: dict[str, Any]) -> _Sheet:
    return (
        "Indikatoren",
        [
            "Indikator",
            "Vorhaben",
            "Art",
            "Einheit",
            "Ausgangswert",
            "Zielwert",
            "Zieldatum",
            "letzter Wert",
            "Zielerreichung (%)",
        ],  # fmt: skip
        [
            [
                ind["title"],
                ind["initiative"],
                ind["kind_label"],
                ind["unit"],
                _decimal(ind["baseline"]),
                _decimal(ind["target"]),
                _date(ind["target_date"]),
                _decimal(ind["latest"]),
                ind["attainment"],
            ]  # fmt: skip
            for ind in s["indicators"]
        ],
    )


def _xlsx_values(s: dict[str, Any]) -> _Sheet:
    return (
        "Messwerte",
        ["Indikator", "Vorhaben", "Stichtag", "Zeitraum", "Wert", "Einheit"],
        [
            [
                ind["title"],
                ind["initiative"],
                _date(v["date"]),
                v["period"],
                _decimal(v["value"]),
                ind["unit"],
            ]  # fmt: skip
            for ind in s["indicators"]
            for v in ind["values"]
        ],
    )


def _xlsx_deviations(s: dict[str, Any]) -> _Sheet:
    return (
        "Abweichungen",
        [
            "Vorhaben",
            "Einschätzung",
            "Fortschritt (%)",
            "erwartet (%)",
            "gemeldet am",
            "Sachstand",
            "Warum und was nun?",
        ],  # fmt: skip
        [
            [
                d["initiative"],
                d["health_label"],
                d["progress"],
                d["expected"],
                _date(d["reported_on"]),
                d["status_text"],
                d["explanation"],
            ]  # fmt: skip
            for d in s["deviations"]
        ],
    )


def _xlsx_decisions(s: dict[str, Any]) -> _Sheet:
    return (
        "Entscheidungen",
        ["Datum", "Entscheidung", "Art", "Vorhaben", "Gremium", "Beschlussnummer", "Begründung"],
        [
            [
                _date(d["decided_on"]),
                d["title"],
                d["kind_label"],
                d["initiative"],
                d["body"],
                d["reference"],
                d["justification"],
            ]  # fmt: skip
            for d in s["decisions"]["recorded"]
        ],
    )


_XLSX_SHEETS: tuple[Callable[[dict[str, Any]], _Sheet], ...] = (
    _xlsx_plan,
    _xlsx_action_fields,
    _xlsx_initiatives,
    _xlsx_goals,
    _xlsx_milestones,
    _xlsx_indicators,
    _xlsx_values,
    _xlsx_deviations,
    _xlsx_decisions,
)


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}


def render(snapshot: dict[str, Any], fmt: str) -> bytes:
    return RENDERERS[fmt](snapshot)


# --- briefing book (Sitzungsmappe) ---------------------------------------------------------


def render_briefing_html(*, title: str, entries: list[tuple[str, dict[str, Any]]]) -> str:
    """One HTML document: the table of contents, then each report in agenda order.

    `entries` are (agenda item, snapshot) pairs. Each report keeps its headings, so the PDF's
    bookmarks list every report with its sections under it.
    """
    reports = []
    for n, (agenda_item, snapshot) in enumerate(entries, start=1):
        reports.append({**snapshot, "anchor": str(n), "agenda_item": agenda_item})
    return render_to_string("reports/briefing_pdf.html", {"title": title, "reports": reports})


def render_briefing_pdf(*, title: str, entries: list[tuple[str, dict[str, Any]]]) -> bytes:
    """The briefing book as one tagged PDF (PDF/UA-1) with contents and bookmarks."""
    return pdf_ua(render_briefing_html(title=title, entries=entries))


def render_briefing_zip(*, entries: list[tuple[str, dict[str, Any]]], when: dt.date) -> bytes:
    """The DOCX of every report of the book, named by agenda order, in one ZIP."""
    stamp = (when.year, when.month, when.day, 12, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for n, (agenda_item, snapshot) in enumerate(entries, start=1):
            subject = snapshot.get("vorlage", {}).get("subject") or snapshot["subject"]
            prefix = f"{n:02d}" + (f"-TOP-{slugify(agenda_item)}" if agenda_item else "")
            name = f"{prefix}-{slugify(subject)[:60] or 'vorlage'}.docx"
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            package.writestr(info, render_docx(snapshot))
    return out.getvalue()
