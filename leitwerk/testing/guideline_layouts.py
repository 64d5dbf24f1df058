"""Guideline documents in the layouts municipalities publish, generated for the tests.

Every text here is invented for the tests (the towns "Beispielhausen", "Talbach" …); none is
copied from the seed documents. Each layout is built with the tool a municipality would use
(WeasyPrint for a typeset PDF, python-docx for Word with real list numbering, odfpy for
LibreOffice, an HTML page as a browser saves it), so the readers see the real file structure:
running headers and page numbers, two columns, `numPr`/`numbering.xml`, `text:h`, `<main>`.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    name: str
    filename: str
    data: bytes
    title: str
    # (number, title) of every section, in order
    sections: list[tuple[str, str]] = field(default_factory=list)
    # statement kinds in document order
    kinds: list[str] = field(default_factory=list)
    # texts that must be furniture, never statements
    furniture: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# PDF (WeasyPrint)

_PAGE_CSS = """
@page { size: A4; margin: 2.6cm 2cm;
  @top-center { content: "%(header)s"; font-size: 8pt; color: #555 }
  @bottom-left { content: "%(footer)s"; font-size: 8pt; color: #555 }
  @bottom-right { content: "Seite " counter(page); font-size: 8pt } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.35 }
h1 { font-size: 22pt; margin: 0 0 18pt } h2 { font-size: 14pt; margin: 16pt 0 6pt }
p { margin: 0 0 8pt } ul { margin: 0 0 8pt; padding-left: 14pt }
"""

BROCHURE_DIMENSIONS = [
    (
        "Gemeinsam Verantwortung für unsere Stadt tragen",
        "Wir arbeiten über die Grenzen der Fachbereiche hinweg und stimmen uns frühzeitig ab. "
        "Wir teilen Wissen, damit gute Lösungen nicht an Zuständigkeiten scheitern.",
        [
            "Ich frage nach, wenn mir ein Auftrag unklar ist.",
            "Ich biete Kolleginnen und Kollegen meine Hilfe an, wenn es eng wird.",
        ],
    ),
    (
        "Offen und verständlich miteinander sprechen",
        "Wir informieren rechtzeitig über Entscheidungen und ihre Gründe. Wir schreiben so, "
        "dass Bürgerinnen und Bürger uns ohne Rückfragen verstehen.",
        [
            "Ich gebe Rückmeldung freundlich und konkret.",
            "Ich höre zu, bevor ich urteile.",
        ],
    ),
    (
        "Mit Freude Neues lernen und ausprobieren",
        "Wir sehen Fehler als Anlass zum Lernen und sprechen offen über sie. Wir probieren "
        "neue Arbeitsweisen aus und werten sie gemeinsam aus.",
        [
            "Ich bilde mich regelmäßig weiter.",
            "Ich bringe eigene Ideen ein und teile meine Erfahrungen.",
        ],
    ),
    (
        "Wertschätzend führen und begleiten",
        "Wir Führungskräfte fördern die Stärken jedes Menschen im Team. Wir geben Orientierung "
        "und übertragen Verantwortung mit Vertrauen.",
        [
            "Ich nehme mir Zeit für regelmäßige Gespräche mit meinem Team.",
            "Ich erkenne gute Arbeit an und sage es auch.",
        ],
    ),
]


def _pdf(html: str) -> bytes:
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html).write_pdf()


def pdf_with_runs(ops: list[str]) -> bytes:
    """One page whose lines consist of several runs in two fonts (regular and bold)."""
    import zlib

    content = zlib.compress("\n".join(["BT", *ops, "ET"]).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def brochure_pdf() -> Layout:
    """Two columns, a running header and footer, page numbers, headings wrapping over two lines."""
    css = _PAGE_CSS % {
        "header": "Leitlinien für Führung und Zusammenarbeit · Stadt Beispielhausen",
        "footer": "Stadtverwaltung Beispielhausen · Personal und Organisation",
    }
    css += (
        ".cols { columns: 2; column-gap: 1.2cm } h2 { font-size: 13pt; break-after: avoid }"
        " .dim { break-inside: avoid } p { hyphens: auto; text-align: justify }"
    )
    body = ['<h1>Leitlinien für Führung und Zusammenarbeit</h1><div class="cols">']
    body.append(
        "<p>Diese Leitlinien beschreiben, wie wir in der Stadtverwaltung Beispielhausen "
        "zusammenarbeiten. Sie sind in einem gemeinsamen Prozess mit allen Beschäftigten "
        "entstanden.</p>"
    )
    kinds: list[str] = []
    for title, wir, ich in BROCHURE_DIMENSIONS * 2:
        body.append(f'<div class="dim"><h2>{title}</h2><p>{wir}</p>')
        body.append("".join(f"<p>{s}</p>" for s in ich) + "</div>")
        kinds += ["wir"] * wir.count("Wir ") + ["ich"] * len(ich)
    body.append("</div>")
    # German hyphenation: words broken over lines must come back whole
    html = f"<html lang='de'><head><style>{css}</style></head><body>{''.join(body)}</body></html>"
    titles = [t for t, _w, _i in BROCHURE_DIMENSIONS] * 2
    return Layout(
        name="brochure_pdf",
        filename="leitlinien-broschuere.pdf",
        data=_pdf(html),
        title="Leitlinien für Führung und Zusammenarbeit",
        sections=[("", t) for t in titles],
        kinds=kinds,
        furniture=[
            "Leitlinien für Führung und Zusammenarbeit · Stadt Beispielhausen",
            "Stadtverwaltung Beispielhausen · Personal und Organisation",
            "Seite 1",
        ],
    )


SIDE_BY_SIDE = [
    ("Wir planen Wege für alle sicher.", "Ich melde Schäden dem Bauhof."),
    ("Wir pflegen Grün für Jung und Alt.", "Ich gieße die Bäume vor dem Haus."),
    ("Wir antworten binnen einer Woche.", "Ich nenne eine Ansprechperson."),
    ("Wir beteiligen die Nachbarschaft.", "Ich lade früh zu Treffen ein."),
]


def side_by_side_pdf() -> Layout:
    """Two columns whose lines stand side by side on the same baselines, written row by row
    (a grid: left line, right line, next left line …), so that the text layer puts a line of
    the left and one of the right column into one text line unless the reader splits it."""
    css = (
        "@page { size: A4; margin: 2.6cm 2cm } body { font-family: 'DejaVu Sans', sans-serif;"
        " font-size: 10pt } .grid { display: grid; grid-template-columns: 1fr 1fr;"
        " column-gap: 0.5cm } .grid p { margin: 0 0 4pt; text-align: justify;"
        " text-align-last: justify }"
    )
    cells = "".join(f"<p>{left}</p><p>{right}</p>" for left, right in SIDE_BY_SIDE)
    html = (
        f"<html lang='de'><head><style>{css}</style></head><body>"
        "<h1>Leitlinien Stadtgrün Beispieldorf</h1><h2>Gemeinsam für Wege und Grün</h2>"
        f"<div class='grid'>{cells}</div></body></html>"
    )
    return Layout(
        name="side_by_side_pdf",
        filename="stadtgruen.pdf",
        data=_pdf(html),
        title="Leitlinien Stadtgrün Beispieldorf",
        sections=[("", "Gemeinsam für Wege und Grün")],
        kinds=["wir"] * 4 + ["ich"] * 4,
    )


GRUNDSAETZE_PDF = [
    (
        "Verlässliche und nachvollziehbare Entscheidungen für alle Beteiligten",
        "Entscheidungen werden begründet und schriftlich festgehalten. Wer betroffen ist, "
        "erfährt rechtzeitig davon und kann Fragen stellen.",
    ),
    (
        "Sparsamer Umgang mit Geld, Zeit und den natürlichen Lebensgrundlagen",
        "Jede Ausgabe wird auf ihren Nutzen geprüft. Vorhaben werden so geplant, dass sie "
        "auch für kommende Generationen tragbar bleiben.",
    ),
    (
        "Beteiligung der Einwohnerinnen und Einwohner an wichtigen Vorhaben",
        "Bei größeren Vorhaben werden die Einwohnerinnen und Einwohner früh gefragt. "
        "Ihre Hinweise fließen sichtbar in die Planung ein.",
    ),
    (
        "Digitale Angebote, die einfach zu finden und leicht zu bedienen sind",
        "Anträge können online gestellt werden. Wer kein Internet nutzt, erhält dieselbe "
        "Leistung persönlich im Rathaus.",
    ),
    (
        "Zusammenarbeit mit den Nachbargemeinden und dem Landkreis auf Augenhöhe",
        "Aufgaben, die gemeinsam besser gelingen, werden gemeinsam erledigt. Absprachen "
        "werden eingehalten.",
    ),
    (
        "Gute Arbeitsbedingungen für alle Beschäftigten der Gemeindeverwaltung",
        "Die Gemeinde sorgt für gesunde Arbeitsplätze und Fortbildung. Familie und Beruf "
        "sollen gut vereinbar sein.",
    ),
]


def grundsaetze_pdf() -> Layout:
    """One column; every heading wraps over two lines; a running header with the town's name."""
    css = _PAGE_CSS % {"header": "Gemeinde Talbach", "footer": "Beschluss vom 12. März 2025"}
    css += "h2 { width: 9cm }"
    parts = ["<h1>Grundsätze des Verwaltungshandelns der Gemeinde Talbach</h1>"]
    for n, (title, body) in enumerate(GRUNDSAETZE_PDF, start=1):
        parts.append(f"<h2>{n}. {title}</h2><p>{body}</p>")
    html = f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    return Layout(
        name="grundsaetze_pdf",
        filename="grundsaetze.pdf",
        data=_pdf(html),
        title="Grundsätze des Verwaltungshandelns der Gemeinde Talbach",
        sections=[(str(n), t) for n, (t, _b) in enumerate(GRUNDSAETZE_PDF, start=1)],
        furniture=["Gemeinde Talbach", "Beschluss vom 12. März 2025", "Seite 1"],
    )


GRUNDSAETZE_BOLD = [
    (
        "Offen für alle Anliegen",
        "Jede Anfrage wird beantwortet, auch wenn wir nicht zuständig sind.",
    ),
    ("Klar in der Sprache", "Bescheide und Briefe sind so geschrieben, dass man sie versteht."),
    ("Verlässlich in den Fristen", "Zugesagte Termine werden gehalten oder früh verschoben."),
]


def grundsaetze_bold_pdf() -> Layout:
    """As Word prints it: headings bold in the body's size, "Grundsatz n" on a line of its
    own above the heading, a centred "- n -" page number and "Seite n von m" in the footer."""
    css = """
    @page { size: A5; margin: 2cm 1.8cm;
      @bottom-center { content: "- " counter(page) " -"; font-size: 9pt }
      @bottom-right { content: "Seite " counter(page) " von " counter(pages); font-size: 8pt } }
    body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }
    h1 { font-size: 16pt } h2 { font-size: 10pt; font-weight: bold; margin: 14pt 0 2pt }
    .gs { break-before: page }
    """
    parts = ["<h1>Grundsätze für den Bürgerservice</h1>"]
    for n, (title, body) in enumerate(GRUNDSAETZE_BOLD, start=1):
        parts.append(f'<h2 class="gs">Grundsatz {n}<br>{title}</h2><p>{body}</p>')
    html = f"<html lang='de'><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    return Layout(
        name="grundsaetze_bold_pdf",
        filename="grundsaetze-buergerservice.pdf",
        data=_pdf(html),
        title="Grundsätze für den Bürgerservice",
        sections=[(str(n), t) for n, (t, _b) in enumerate(GRUNDSAETZE_BOLD, start=1)],
        kinds=["grundsatz"] * len(GRUNDSAETZE_BOLD),
        furniture=["- 2 -", "Seite 2 von 4"],
    )


# ---------------------------------------------------------------------------------------------
# ODT (odfpy)


def leitbild_odt() -> Layout:
    """Headings as text:h with outline levels, paragraphs, a nested bullet list."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P, Span

    doc = OpenDocumentText()
    bold = Style(name="Fett", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    doc.text.addElement(H(outlinelevel=1, text="Leitbild der Gemeindebücherei Talbach"))
    doc.text.addElement(
        P(text="Die Bücherei ist ein offener Ort für alle Menschen in Talbach und Umgebung.")
    )
    doc.text.addElement(H(outlinelevel=2, text="Für wen wir da sind"))
    doc.text.addElement(P(text="Wir sind für Kinder, Jugendliche und Erwachsene gleichermaßen da."))
    doc.text.addElement(P(text="Wir beraten freundlich und mit Geduld."))
    doc.text.addElement(H(outlinelevel=2, text="Was wir anbieten"))
    doc.text.addElement(P(text="Wichtige Anliegen sind uns:"))
    outer = List()
    for text, children in (
        ("Medien für Bildung und Freizeit", ["Bücher und Zeitschriften", "Spiele und Hörbücher"]),
        ("Veranstaltungen für alle Altersgruppen", []),
        ("Wir öffnen auch am Samstagvormittag.", []),
    ):
        item = ListItem()
        item.addElement(P(text=text))
        if children:
            inner = List()
            for child in children:
                li = ListItem()
                li.addElement(P(text=child))
                inner.addElement(li)
            item.addElement(inner)
        outer.addElement(item)
    doc.text.addElement(outer)
    para = P()
    para.addElement(Span(stylename=bold, text="Unser Versprechen: "))
    para.addText("Wir nehmen jede Anregung ernst und antworten innerhalb einer Woche.")
    doc.text.addElement(para)
    buf = io.BytesIO()
    doc.write(buf)
    return Layout(
        name="leitbild_odt",
        filename="leitbild-buecherei.odt",
        data=buf.getvalue(),
        title="Leitbild der Gemeindebücherei Talbach",
        sections=[("", "Für wen wir da sind"), ("", "Was wir anbieten")],
        kinds=["wir", "wir", "anliegen", "anliegen", "anliegen", "anliegen", "wir", "wir"],
    )


# ---------------------------------------------------------------------------------------------
# "§ 1" with "(1)" paragraphs (plain text, as copied from a Satzung)

PARAGRAPHS_TEXT = """Leitlinien für die Bürgerbeteiligung in der Stadt Beispielhausen

§ 1 Zweck
(1) Wir beteiligen die Einwohnerinnen und Einwohner an Vorhaben, die sie betreffen.
(2) Wir machen transparent, was mit ihren Hinweisen geschieht.

§ 2 Vorhabenliste
(1) Die Stadt veröffentlicht eine Liste aller Vorhaben, an denen beteiligt werden kann.
(2) Die Liste wird zweimal im Jahr aktualisiert.
(3) Wir stellen die Liste auch gedruckt im Rathaus aus.

§ 3 Beirat
(1) Ein Beirat begleitet die Umsetzung dieser Leitlinien.
"""


def paragraphs_text() -> Layout:
    return Layout(
        name="paragraphs_text",
        filename="beteiligung.txt",
        data=PARAGRAPHS_TEXT.encode(),
        title="Leitlinien für die Bürgerbeteiligung in der Stadt Beispielhausen",
        sections=[("§ 1", "Zweck"), ("§ 2", "Vorhabenliste"), ("§ 3", "Beirat")],
        kinds=["wir", "wir", "other", "other", "wir", "other"],
    )


# ---------------------------------------------------------------------------------------------
# a Leitbild saved from the town's web site

WEB_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Unser Leitbild | Stadt Beispielhausen</title>
<style>.cookie-banner{position:fixed}</style></head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<div class="cookie-banner" id="cookie-consent"><p>Diese Website verwendet Cookies.
Mit der Nutzung stimmen Sie der Verwendung zu.</p><button>Alle akzeptieren</button></div>
<header class="site-header"><p class="logo">Stadt Beispielhausen</p>
<nav aria-label="Hauptnavigation"><ul><li><a href="/">Startseite</a></li>
<li><a href="/rathaus">Rathaus und Politik</a></li><li><a href="/leben">Leben in der Stadt</a></li>
</ul></nav></header>
<main id="inhalt">
<h1>Unser Leitbild</h1>
<p>Die Stadtverwaltung Beispielhausen arbeitet für die Menschen, die hier leben und arbeiten.</p>
<h2>Bürgernähe</h2>
<ul><li>Wir sind freundlich und hilfsbereit.</li>
<li>Wir erledigen Anliegen schnell und unbürokratisch.</li></ul>
<h2>Verlässlichkeit</h2>
<p>Wir halten, was wir zusagen. Wir informieren offen über den Stand der Dinge.</p>
<table><tr><th colspan="2">Unsere Zusagen</th></tr>
<tr><td rowspan="2">Termine</td><td>Wir antworten auf E-Mails innerhalb von drei Tagen.</td></tr>
<tr><td>Wir vergeben Termine auch online.</td></tr></table>
</main>
<aside class="teaser"><p>Veranstaltungen im Bürgerhaus</p></aside>
<footer><p>© Stadt Beispielhausen</p><p><a href="/impressum">Impressum</a>
<a href="/datenschutz">Datenschutz</a></p></footer>
</body></html>
"""


def web_page_html() -> Layout:
    return Layout(
        name="web_page_html",
        filename="leitbild.html",
        data=WEB_PAGE.encode(),
        title="Unser Leitbild",
        sections=[("", "Bürgernähe"), ("", "Verlässlichkeit"), ("", "Unsere Zusagen")],
        kinds=["wir", "wir", "wir", "wir", "wir", "wir"],
        furniture=[
            "Zum Inhalt springen",
            "Diese Website verwendet Cookies.",
            "Rathaus und Politik",
            "Impressum",
        ],
    )


# ---------------------------------------------------------------------------------------------
# Word: numbering from numbering.xml, a value | meaning table, nested bullets


def _docx_numbering(document, levels: list[tuple[str, str]]) -> int:
    """Adds an abstract numbering with the given (numFmt, lvlText) levels; returns its numId."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    abstract_id = str(100 + len(numbering.findall(qn("w:abstractNum"))))
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    for ilvl, (fmt, text) in enumerate(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    # abstractNum elements must come before the num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(int(abstract_id))
    return int(num.numId)


def _numbered(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    numid = OxmlElement("w:numId")
    numid.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(numid)
    ppr.append(numpr)


def _docx_restart(document, num_id: int) -> int:
    """Another instance of the same list that starts at 1 again (Word: "Neu beginnen")."""
    numbering = document.part.numbering_part.element
    abstract = next(n for n in numbering.num_lst if n.numId == num_id).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _docx_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def numbering_docx() -> Layout:
    """Headings "1.", "1.1" come from list numbering (numPr), not from the text."""
    import docx

    document = docx.Document()
    document.add_paragraph("Leitbild der Kreisverwaltung Talbach-Land", style="Title")
    headings = _docx_numbering(document, [("decimal", "%1."), ("decimal", "%1.%2")])
    bullets = _docx_numbering(document, [("bullet", "•"), ("bullet", "o")])
    for title, subs in (
        ("Unser Auftrag", [("Dienstleistung", ["Wir beraten kompetent und freundlich."])]),
        (
            "Unsere Zusammenarbeit",
            [
                ("Im Team", ["Wir unterstützen uns gegenseitig.", "Wir lösen Konflikte offen."]),
                ("Mit der Politik", ["Wir bereiten Beschlüsse sorgfältig vor."]),
            ],
        ),
    ):
        _numbered(document.add_paragraph(title, style="Heading 1"), headings, 0)
        for sub, items in subs:
            _numbered(document.add_paragraph(sub, style="Heading 2"), headings, 1)
            for item in items:
                _numbered(document.add_paragraph(item), bullets, 0)
    return Layout(
        name="numbering_docx",
        filename="leitbild-kreis.docx",
        data=_docx_bytes(document),
        title="Leitbild der Kreisverwaltung Talbach-Land",
        sections=[
            ("1", "Unser Auftrag"),
            ("1.1", "Dienstleistung"),
            ("2", "Unsere Zusammenarbeit"),
            ("2.1", "Im Team"),
            ("2.2", "Mit der Politik"),
        ],
        kinds=["wir", "wir", "wir", "wir"],
    )


def satzung_docx() -> Layout:
    """ "§ 1" headings and "(1)" paragraphs, both from Word's numbering, restarting per §."""
    import docx

    document = docx.Document()
    document.add_paragraph("Leitlinien für die Arbeit des Seniorenbeirats", style="Title")
    signs = _docx_numbering(document, [("decimal", "§ %1")])
    paragraphs = _docx_numbering(document, [("decimal", "(%1)")])
    for title, items in (
        (
            "Aufgaben",
            ["Wir beraten den Rat in allen Fragen des Alters.", "Der Beirat tagt öffentlich."],
        ),
        ("Zusammensetzung", ["Dem Beirat gehören neun Mitglieder an."]),
    ):
        _numbered(document.add_paragraph(title, style="Heading 1"), signs, 0)
        for item in items:
            _numbered(document.add_paragraph(item), paragraphs, 0)
        paragraphs = _docx_restart(document, paragraphs)
    return Layout(
        name="satzung_docx",
        filename="seniorenbeirat.docx",
        data=_docx_bytes(document),
        title="Leitlinien für die Arbeit des Seniorenbeirats",
        sections=[("§ 1", "Aufgaben"), ("§ 2", "Zusammensetzung")],
        kinds=["wir", "other", "other"],
    )


TABLE_VALUES = [
    ("Offenheit", "Wir gehen auf Menschen zu und hören ihnen zu."),
    ("Fairness", "Wir behandeln alle Anliegen nach denselben Regeln."),
    ("Nachhaltigkeit", "Wir denken bei jeder Entscheidung an die nächste Generation."),
]


def table_docx() -> Layout:
    """A two-column table "Wert | Was wir darunter verstehen" is the whole Leitbild."""
    import docx

    document = docx.Document()
    document.add_paragraph("Unsere Werte – Leitbild der Stadtwerke Beispielhausen", style="Title")
    document.add_paragraph(
        "Die folgenden Werte haben die Beschäftigten der Stadtwerke gemeinsam formuliert."
    )
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Wert"
    table.rows[0].cells[1].text = "Was wir darunter verstehen"
    for value, meaning in TABLE_VALUES:
        cells = table.add_row().cells
        cells[0].text = value
        cells[1].text = meaning
    return Layout(
        name="table_docx",
        filename="werte.docx",
        data=_docx_bytes(document),
        title="Unsere Werte – Leitbild der Stadtwerke Beispielhausen",
        sections=[("", "Wert – Was wir darunter verstehen")],
        kinds=["wir", "wir", "wir"],
    )


def nested_docx() -> Layout:
    """Bullets two levels deep (numPr ilvl 0 and 1) and a first heading naming the document."""
    import docx

    document = docx.Document()
    heading = document.add_paragraph("2.4. Leitbild der Stadtteilbüros Nordwest und Mitte")
    heading.style = document.styles["Heading 1"]
    bullets = _docx_numbering(document, [("bullet", "•"), ("bullet", "–")])
    document.add_paragraph("Die Stadtteilbüros sind Anlaufstellen im Quartier.")
    document.add_paragraph("Dazu wollen wir:")
    for text, level in (
        ("kurze Wege im Quartier anbieten", 0),
        ("Sprechstunden am Abend", 1),
        ("Hausbesuche für Menschen, die nicht mobil sind", 1),
        ("Wir arbeiten eng mit den Vereinen zusammen.", 0),
    ):
        _numbered(document.add_paragraph(text), bullets, level)
    return Layout(
        name="nested_docx",
        filename="stadtteilbueros.docx",
        data=_docx_bytes(document),
        title="Leitbild der Stadtteilbüros Nordwest und Mitte",
        sections=[("", "Dazu wollen wir")],
        kinds=["anliegen", "anliegen", "anliegen", "wir"],
    )


BUILDERS = (
    brochure_pdf,
    side_by_side_pdf,
    grundsaetze_pdf,
    grundsaetze_bold_pdf,
    leitbild_odt,
    paragraphs_text,
    web_page_html,
    numbering_docx,
    satzung_docx,
    table_docx,
    nested_docx,
)


@functools.cache
def all_layouts() -> dict[str, Layout]:
    """Every layout, built once per test process (WeasyPrint takes a moment)."""
    return {builder.__name__: builder() for builder in BUILDERS}
