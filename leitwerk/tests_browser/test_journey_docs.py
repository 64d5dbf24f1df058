"""Journey: a strategy person imports guideline documents in the layouts towns publish.

A two-column PDF brochure (running header, footer, page numbers), a LibreOffice document (ODT)
with nested points (kept under their point on the Leitbild page) and a text with a remark the
parser cannot place; the preview shows page furniture and unrecognised text with their place in
the file, and the person takes the remark into a section without JavaScript.
"""

from __future__ import annotations

import re

import pytest

from leitwerk.testing.guideline_layouts import all_layouts

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STRAY = """Wir lernen voneinander und teilen Wissen.

Ich frage nach.
Ich höre zu.

Diese Fassung hat der Personalrat im Mai beraten.

Wir achten auf unsere Gesundheit.

Ich mache Pausen.
Ich bewege mich.

GEMEINSAM LERNEN

GEMEINSAM GESUND
"""


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def preview(page, name: str, data: bytes, mime: str) -> None:
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Leitbild, Leitlinien oder Grundsätze", exact=False).check()
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_role("button", name="Vorschau anzeigen").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vorschau")


def confirm(page) -> None:
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/import/laeufe/\d+/$"))
    page.get_by_role("link", name="Zum importierten Leitbild").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/leitbild/.*\d+/$"))


def test_import_a_two_column_pdf_brochure_and_see_its_page_furniture(new_page):
    layout = all_layouts()["brochure_pdf"]
    page = new_page("musterstadt-strategy")
    preview(page, layout.filename, layout.data, "application/pdf")
    main = page.locator("main")
    assert main.get_by_role("heading", name="Leitlinien für Führung und Zusammenarbeit").count()
    assert main.get_by_role("heading", name="Offen und verständlich miteinander sprechen").count()
    furniture = page.get_by_role("table", name=re.compile("Seitenelemente"))
    assert furniture.get_by_role("cell", name="Kopfzeile").count() == 2
    assert furniture.get_by_role("cell", name="Seite 2, unten").count() == 2
    words = page.get_by_role("table", name="Verbleib aller Wörter der Datei")
    assert words.get_by_role("row", name=re.compile("nicht zugeordnet")).inner_text().endswith("0")
    assert not blocking(page), "Vorschau der Broschüre: axe schwerwiegend"
    screenshot(page, "docs-vorschau-broschuere", full_page=True)
    confirm(page)
    assert page.get_by_text("Ich höre zu, bevor ich urteile.").count() >= 1
    assert page.get_by_text("Seite 1", exact=True).count() == 0


def test_import_an_odt_with_nested_items(new_page):
    layout = all_layouts()["leitbild_odt"]
    page = new_page("musterstadt-strategy")
    preview(page, layout.filename, layout.data, "application/vnd.oasis.opendocument.text")
    assert page.get_by_role("heading", name="Leitbild der Gemeindebücherei Talbach").count()
    nested = page.locator("li.statement--nested")
    assert nested.count() == 2
    assert "Bücher und Zeitschriften" in nested.first.inner_text()
    assert not blocking(page), "Vorschau ODT: axe schwerwiegend"
    screenshot(page, "docs-vorschau-odt", full_page=True)
    confirm(page)
    assert page.get_by_text("Wir beraten freundlich und mit Geduld.").count() >= 1
    # Stored with their parent: the Leitbild page lists them inside their point's list item.
    parent = page.locator("li.statement").filter(has_text="Medien für Bildung und Freizeit").first
    own = parent.locator("ul.statements--nested > li")
    assert own.count() == 2
    assert "Bücher und Zeitschriften" in own.first.inner_text()
    assert not blocking(page), "Leitbild mit Unterpunkten: axe schwerwiegend"


def test_take_an_unrecognised_remark_into_a_section_without_javascript(new_page):
    page = new_page("musterstadt-strategy", js=False)
    preview(page, "leitlinien.txt", STRAY.encode(), "text/plain")
    table = page.get_by_role("table", name=re.compile("Nicht zugeordnete Textteile"))
    row = table.get_by_role("row", name=re.compile("Personalrat"))
    assert row.get_by_role("cell", name="Zeile 6").count() == 1
    row.get_by_role("combobox").select_option(label="GEMEINSAM GESUND")
    screenshot(page, "docs-vorschau-nicht-zugeordnet", full_page=True)
    confirm(page)
    assert page.get_by_text("Diese Fassung hat der Personalrat im Mai beraten.").count() >= 1
