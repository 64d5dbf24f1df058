"""The web preview speaks German and lets the person fix what the parser marked for review."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# Headings collected at the end (two-column layout): the Ich groups are assigned by position
# only and therefore marked for review.
TWO_COLUMN = """Wir lernen voneinander und teilen Wissen.

 Ich frage nach.
 Ich höre zu.

Wir achten auf unsere Gesundheit.

 Ich mache Pausen.
 Ich bewege mich.

GEMEINSAM LERNEN

GEMEINSAM GESUND

LEITLINIEN
""".encode()

# <ul> without <li>: the item boundaries are only proposed, so the fields are marked for review.
LOST_LISTS = (
    "Nr.;Vorhaben;Umsetzungsideen;Meilensteine\n"
    '1;Radwege;"<ul>Radwege planen Bürger beteiligen</ul>";'
    '"<ul>Konzept beschlossen Bau begonnen</ul>"\n'
).encode()

WITH_OTHER = """Leitbild der Gemeinde

1. Offenheit
- Die Verwaltung ist für alle da.
- Wir hören zu.
""".encode()


def preview(client, content, name, kind):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_plan_review_marks_name_the_fields_in_german(strategy_user, client_for):
    page = preview(client_for(strategy_user), LOST_LISTS, "plan.csv", "plan").content.decode()
    assert "Bitte prüfen Sie die Aufteilung in" in page
    assert "Umsetzungsideen, Meilensteine" in page
    assert "ideas" not in page and "milestones" not in page


def test_statement_kinds_are_shown_in_german(strategy_user, client_for):
    client = client_for(strategy_user)
    page = preview(client, TWO_COLUMN, "leitbild.txt", "guideline").content.decode()
    assert ">Wir<" in page and ">Ich<" in page
    page = preview(client, WITH_OTHER, "l.txt", "guideline").content.decode()
    assert "Sonstiges" in page
    assert ">Other<" not in page
