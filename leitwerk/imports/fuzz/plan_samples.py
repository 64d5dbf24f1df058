"""Sample plan tables (Aktionsplan rows as municipalities write them) and one valid file per
format built from them.

The plan import tests read HEADER and ROWS; the malformed-file test mutates `plan_samples()`;
`make_corpus` writes them as the fuzzing seed corpus (D3). Test-support data, not imported by
the product.
"""

from __future__ import annotations

import functools
import io

HEADER = [
    "Lfd. Nr.",
    "Handlungsfeld",
    "Maßnahme",
    "Ziel",
    "Teilschritte",
    "Meilensteine",
    "Indikatoren",
    "Federführung",
    "Zeitraum",
    "Partnerstädte",
    "Hinweise",
    "Kosten",
]
ROWS = [
    [
        "1",
        "Handlungsfeld 1: Klima und Umwelt",
        "Stadtbäume pflanzen",
        "Mehr Schatten in der Innenstadt",
        "Standorte prüfen\nBürger beteiligen",
        "Konzept beschlossen\n100 Bäume gepflanzt",
        "Anzahl Bäume",
        "FB 67; Stabsstelle Klima",
        "2025–2027",
        "Halle (Saale), Mülheim an der Ruhr",
        "jährlich berichten",
        "50.000 €",
    ],
    [
        "2",
        "",
        "Dachbegrünung fördern",
        "Regenwasser halten",
        "",
        "Förderrichtlinie",
        "",
        "FB 61",
        "",
        "Frankfurt (Oder)",
        "",
        "",
    ],
    [
        "3",
        "Handlungsfeld 2: Mobilität",
        "Radwege ausbauen",
        "",
        "",
        "",
        "km Radweg",
        "",
        "ab 2026",
        "Karlsruhe Münster",
        "",
        "",
    ],
]


@functools.cache
def plan_samples() -> dict[str, bytes]:
    """One valid file per format, the raw material the mutations start from."""
    import csv

    import docx
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    from openpyxl import Workbook

    out: dict[str, bytes] = {}
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([HEADER, *ROWS])
    out["csv"] = buf.getvalue().encode("utf-8")
    out["tsv"] = "\n".join("\t".join(r).replace("\n", " ") for r in [HEADER, *ROWS]).encode()

    wb = Workbook()
    for row in [HEADER, *ROWS]:
        wb.active.append(row)
    b = io.BytesIO()
    wb.save(b)
    out["xlsx"] = b.getvalue()

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Plan")
    for row in [HEADER, *ROWS]:
        tr = TableRow()
        for value in row:
            tc = TableCell()
            tc.addElement(P(text=value))
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    b = io.BytesIO()
    doc.write(b)
    out["ods"] = b.getvalue()

    document = docx.Document()
    t = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    for r, row in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    b = io.BytesIO()
    document.save(b)
    out["docx"] = b.getvalue()

    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in ROWS)
    out["html"] = f"<html><body><table><tr>{head}</tr>{body}</table></body></html>".encode()
    return out
