"""Production findings a user meets in the browser (issue 24): re-importing a revised plan (M6)."""

from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine;Indikatoren\n"
    "1;Aktionsfeld A Wasser im Ort;Regenwasser in Parks nutzen;Weniger Trinkwasser;"
    "Zisternen geplant;Kubikmeter gesammeltes Regenwasser\n"
    "2;;Bäche renaturieren;Mehr Artenvielfalt;Gutachten fertig;Meter naturnaher Bach\n"
)


def upload_and_preview(page, content: str) -> None:
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Aktionsplan", exact=False).first.check()
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "wasserplan.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Vorschau anzeigen").click()
    # The file names no title: the preview asks for it the first time; a revised version of
    # the same file is recognised as the plan it became.
    title = page.get_by_label("Titel des Aktionsplans")
    if title.count():
        title.fill("Wasserplan")


def test_a_revised_plan_can_be_imported_again_without_javascript(new_page):
    """M6: the second upload of the same plan answered 500; now it previews and updates."""
    page = new_page("musterstadt-strategy", js=False)
    upload_and_preview(page, PLAN_CSV)
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/import/laeufe/\d+/$"))
    first_plan = page.get_by_role("link", name="Zum importierten Aktionsplan").get_attribute("href")

    revised = PLAN_CSV.replace("Bäche renaturieren", "Bäche und Gräben renaturieren").replace(
        "Gutachten fertig", "Gutachten beauftragt"
    )
    upload_and_preview(page, revised)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vorschau")
    assert "Serverfehler" not in page.content()
    assert page.get_by_text("Bäche und Gräben renaturieren").count() >= 1
    assert page.get_by_text("Vorhaben 2 aktualisiert: Titel, Meilensteine.").count() == 1
    screenshot(page, "prod-erneuter-import-vorschau", full_page=True)
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/import/laeufe/\d+/$"))
    assert page.get_by_text("fertig").count() >= 1
    screenshot(page, "prod-erneuter-import-fertig")
    page.get_by_role("link", name="Zum importierten Aktionsplan").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    # The same plan, updated in place.
    assert page.url.endswith(first_plan)
    assert page.get_by_role("link", name="Bäche und Gräben renaturieren").count() == 1
    assert page.get_by_role("link", name="Bäche renaturieren", exact=True).count() == 0
