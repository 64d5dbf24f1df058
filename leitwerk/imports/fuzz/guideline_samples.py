"""Synthetic guideline documents of the kinds the product must read (not copies of the seeds).

The guideline import tests read them and `make_corpus` writes them as fuzzing seeds (D3).
"""

from __future__ import annotations

import io
import zlib

GRUNDSAETZE = """Grundsätze der Zusammenarbeit im Amt Beispielland

Das Amt verwaltet die amtsangehörigen Gemeinden. Die Grundsätze hat der Amtsausschuss beschlossen.

Grundsatz 1
Die Politik setzt die Ziele, die Verwaltung setzt um
Die Gemeindevertretungen und der Amtsausschuss legen die Ziele fest und steuern. Die Verwaltung
setzt die Beschlüsse um und berichtet regelmäßig.

Grundsatz 2

Steuerung mit Zielfeldern, Rahmenkonzepten und Aktionsplänen

Gesteuert wird über Zielfelder:
- Rahmenkonzepte je Zielfeld
- Aktionspläne mit Meilensteinen

Grundsatz 3
Ausgewogene Interessen aller Gemeinden
Die Interessen aller Gemeinden werden unabhängig von Größe und Finanzkraft berücksichtigt.
Wird eine Gemeinde benachteiligt, gibt es einen Ausgleich.

Grundsatz 4: Ergebnis- und Ressourcenorientierung
Wir arbeiten ergebnisorientiert und vermeiden unnötigen Aufwand.

Grundsatz 5
Gut vorbereitete Sitzungen
Sitzungen werden gründlich vorbereitet; Unterlagen liegen rechtzeitig vor.

Grundsatz 6
Kontinuierliche Verbesserung
Wir überprüfen unsere Arbeit regelmäßig und verbessern sie fortlaufend.

Der Amtsdirektor
"""

BUERGERAMT = """Leitbild des Bürgeramtes

Das Bürgeramt ist die zentrale Anlaufstelle für alle Bürgerinnen und Bürger unserer Stadt.

Wichtige Anliegen sind uns:
• Unsere Besucher sind Kundinnen und Kunden, keine Bittsteller.
• Anregungen und Wünsche nehmen wir ernst.
• Unsere Entscheidungen machen wir transparent.

Dazu wollen wir
freundlich, kompetent und zügig beraten
kurze Wartezeiten ermöglichen
Beschwerden innerhalb von zwei Wochen beantworten

Ihr Team des Bürgeramtes
"""

MARKDOWN = """# Leitbild der Gemeinde Musterdorf

Wir sind eine *moderne* Verwaltung für alle Menschen in Musterdorf.

## 1. Bürgernähe

- **Wir** beraten freundlich und ver-
  ständlich.
- Wir sind für alle erreichbar, auch _digital_.

## 2. Zusammenarbeit

* Ich bringe mich __aktiv__ ein.
* Ich respektiere die Meinung der Kolleg*innen.
"""

HTML = """<!DOCTYPE html><html><head><title>Leitbild Musterstadt</title>
<script>alert('x'); document.write('Wir hacken')</script><style>p{color:red}</style></head>
<body><h1>Leitbild Musterstadt</h1>
<p>Unsere Verwaltung arbeitet f&uuml;r die Menschen.</p>
<h2>1. Offene Verwaltung</h2>
<ul><li>Wir informieren fr&uuml;hzeitig.</li><li>Wir erkl&auml;ren unsere Entscheidungen.</li></ul>
<h2>2. Verl&auml;ssliche Verwaltung</h2>
<ul><li>Wir halten Fristen ein.</li></ul>
<img src="x" onerror="alert(1)">
</body></html>
"""


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Leitlinien der Verwaltung Beispielstadt", level=0)
    document.add_paragraph("Diese Leitlinien gelten für alle Beschäftigten.")
    document.add_heading("1. Gemeinsam arbeiten", level=1)
    document.add_paragraph("Wir arbeiten vertrauensvoll zusammen.", style="List Bullet")
    document.add_paragraph("Ich teile mein Wissen.", style="List Bullet")
    document.add_heading("2. Gemeinsam lernen", level=1)
    document.add_paragraph("Wir lernen aus Fehlern.", style="List Bullet")
    document.add_paragraph("Ich frage nach Rückmeldung.", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (Helvetica, ASCII text), correct xref offsets."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    content = zlib.compress("\n".join(ops).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
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
