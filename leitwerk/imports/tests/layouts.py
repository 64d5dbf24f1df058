"""Action-plan workbooks in the layouts municipalities use, built in code (invented text).

Each builder returns (file name, bytes). The layouts: several sheets (one per Aktionsfeld) after
a cover sheet, totals and footnote rows, a title block over the header, two header rows with a
group row ("Planung" over "Ziel | Maßnahmen"), merged cells in the body, a hidden column, an ODS
plan with Aktionsfelder numbered "1", "2", a CSV with a title line, a totals row and a
footnote, and Teilvorhaben with their own (bulleted or indented) ideas. Shared by the import tests and the browser journey; never seed text.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

COVER = [
    ["Aktionsplan Klimafreundliches Lindenau 2030"],
    ["Beschlossen vom Stadtrat am 12. März 2025"],
    [],
    ["Titelbild: © Stadtarchiv Lindenau"],
]

SHEET_A = [
    ["Nr.", "Vorhaben", "Zielsetzung", "Meilensteine", "Verantwortlich", "Kosten (€)"],
    [
        "1",
        "Stadtbäume pflanzen",
        "Mehr Schatten in der Innenstadt",
        "Standorte geprüft\nErste 50 Bäume gepflanzt",
        "Grünflächenamt",
        "40.000",
    ],
    [
        "2",
        "Dächer begrünen",
        "Regenwasser zurückhalten",
        "Förderprogramm beschlossen",
        "Bauamt; Umweltamt",
        "60.000",
    ],
    ["Summe", "", "", "", "", "100.000"],
    ["* Kosten geschätzt, Stand Januar 2025"],
]

SHEET_B = [
    ["Nr.", "Vorhaben", "Zielsetzung", "Meilensteine", "Verantwortlich", "Kosten (€)"],
    [
        "3",
        "Radwege lückenlos verbinden",
        "Sicher mit dem Rad zur Schule",
        "Lückenkarte erstellt\nDrei Lücken geschlossen",
        "Tiefbauamt",
        "250.000",
    ],
    ["4", "Busse im Takt", "Alle 15 Minuten ein Bus", "Fahrplan abgestimmt", "Verkehrsbetrieb", ""],
    ["Gesamt", "", "", "", "", "250.000"],
]


def _xlsx(build) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def multi_sheet_xlsx() -> tuple[str, bytes]:
    """A cover sheet, then one sheet per Aktionsfeld, each with a totals row; a footnote."""

    def build(wb):
        for name, rows in (
            ("Deckblatt", COVER),
            ("Aktionsfeld A Klima", SHEET_A),
            ("Aktionsfeld B Mobilität", SHEET_B),
        ):
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)

    return "massnahmen-lindenau.xlsx", _xlsx(build)


TITLE_BLOCK = [
    ["Aktionsplan Soziale Stadt Birkenfeld"],
    ["Fortschreibung 2025"],
    [],
]
GROUP_HEADER = [
    ["Nr.", "Aktionsfeld", "Vorhaben", "Planung", "", "Umsetzung", "", "Interne Notiz"],
    ["", "", "", "Ziel", "Maßnahmen", "Zeitraum", "Verantwortlich", ""],
]
GROUP_BODY = [
    [
        "1",
        "Aktionsfeld A Nachbarschaft",
        "Stadtteiltreff öffnen",
        "Begegnung im Quartier",
        "Räume anmieten\nEhrenamt gewinnen",
        "2025–2026",
        "Sozialamt",
        "Mietvertrag prüfen",
    ],
    [
        "2",
        "",
        "Nachbarschaftsfest",
        "Nachbarn lernen sich kennen",
        "Termin festlegen",
        "2026",
        "",
        "",
    ],
    [
        "3",
        "Aktionsfeld B Bildung",
        "Hausaufgabenhilfe",
        "Bessere Noten",
        "Lernpaten suchen",
        "ab 2025",
        "Schulamt",
        "",
    ],
]


def title_block_xlsx() -> tuple[str, bytes]:
    """Title block over two header rows ("Planung" over "Ziel | Maßnahmen", merged), an
    Aktionsfeld and a responsibility merged down over two Vorhaben, a hidden column, and a
    notes sheet after the table (not assigned)."""

    def build(wb):
        ws = wb.create_sheet("Plan")
        for row in TITLE_BLOCK + GROUP_HEADER + GROUP_BODY:
            ws.append(row)
        # Header rows 4–5: Nr., Aktionsfeld and Vorhaben span both; the groups span two columns.
        for col in "ABC":
            ws.merge_cells(f"{col}4:{col}5")
        ws.merge_cells("D4:E4")
        ws.merge_cells("F4:G4")
        ws.merge_cells("H4:H5")
        # Body: Aktionsfeld A and Sozialamt hold for Vorhaben 1 and 2.
        ws.merge_cells("B6:B7")
        ws.merge_cells("G6:G7")
        ws.column_dimensions["H"].hidden = True
        notes = wb.create_sheet("Notizen")
        notes.append(["Abstimmung mit dem Quartiersbeirat steht noch aus"])

    return "soziale-stadt.xlsx", _xlsx(build)


ODS_ROWS = [
    ["Aktionsplan Wasser und Wärme Eichstedt"],
    [],
    ["Nr.", "Aktionsfeld", "Vorhaben", "Umsetzungsideen", "Meilensteine", "Zeitraum"],
    [
        "1",
        "1. Wasser",
        "Zisternen fördern",
        "Teilvorhaben 1: Beratung\nTeilvorhaben 2: Zuschuss",
        "Richtlinie beschlossen",
        "2025",
    ],
    ["2", "", "Bachlauf öffnen", "Gutachten einholen", "Planfeststellung", "2026–2028"],
    [
        "3",
        "2. Wärme",
        "Wärmeplan aufstellen",
        "Bestand erheben",
        "Wärmeplan beschlossen",
        "bis 2026",
    ],
]


def numbered_ods() -> tuple[str, bytes]:
    """An ODS plan whose Aktionsfelder are numbered "1. Wasser", "2. Wärme"."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Aktionsplan")
    for row in ODS_ROWS:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            for line in value.split("\n"):
                cell.addElement(P(text=line))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return "wasser-waerme.ods", buf.getvalue()


CSV_ROWS = [
    ["Aktionsplan Digitale Verwaltung Ahornberg"],
    [],
    ["Nr.", "Aktionsfeld", "Vorhaben", "Indikatoren", "Kosten"],
    ["1", "Aktionsfeld A Service", "Online-Termine", "Wartezeit unter 10 Minuten", "15.000 €"],
    ["2", "", "E-Akte einführen", "Papierverbrauch halbiert", "80.000 €"],
    ["Summe", "", "", "", "95.000 €"],
    ["Quelle: Haushaltsplan 2025"],
]


def csv_plan() -> tuple[str, bytes]:
    """A CSV with a title line, a totals row and a footnote."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(CSV_ROWS)
    return "digitale-verwaltung.csv", buf.getvalue().encode("utf-8")


NESTED_ROWS = [
    ["Aktionsplan Regenwasser Tannau"],
    [],
    ["Nr.", "Vorhaben", "Umsetzungsideen / Teilvorhaben", "Meilensteine"],
    [
        "1",
        "Zisternen fördern",
        "Vorab beraten\nTeilvorhaben 1: Förderung\n- Richtlinie schreiben\n- Antrag vereinfachen"
        "\nTeilvorhaben 2: Einbau\n  - Fachbetriebe finden",
        "Richtlinie beschlossen",
    ],
    [
        "2",
        "Schulhöfe entsiegeln",
        "Flächen auswählen\n  • Grundschule Nord\n  • Gesamtschule\nMit Eltern pflanzen",
        "Erster Schulhof grün",
    ],
]


def nested_xlsx() -> tuple[str, bytes]:
    """Teilvorhaben with their own items (bullets under an unbulleted "Teilvorhaben n:" line)
    and items indented under the idea they belong to."""

    def build(wb):
        ws = wb.create_sheet("Plan")
        for row in NESTED_ROWS:
            ws.append(row)

    return "regenwasser.xlsx", _xlsx(build)


FIXTURES = {
    "nested": nested_xlsx,
    "multi_sheet": multi_sheet_xlsx,
    "title_block": title_block_xlsx,
    "numbered_ods": numbered_ods,
    "csv": csv_plan,
}


WORD_RE = re.compile(r"[0-9A-Za-zÄÖÜäöüß]+")


def source_words(name: str, data: bytes) -> int:
    """Words in every non-empty cell of every sheet, counted independently of the readers."""
    cells: list[Any] = []
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    elif name.endswith(".ods"):
        from odf import teletype
        from odf.opendocument import load
        from odf.table import TableCell

        doc = load(io.BytesIO(data))
        for cell in doc.spreadsheet.getElementsByType(TableCell):
            paragraphs = [teletype.extractText(p) for p in cell.childNodes]
            cells.append("\n".join(paragraphs))
    else:
        cells = [
            c for row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";") for c in row
        ]
    return sum(len(WORD_RE.findall(str(v))) for v in cells if v not in (None, ""))
