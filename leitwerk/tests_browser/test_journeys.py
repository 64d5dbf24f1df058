"""Journeys end to end in Chromium; they also write the screenshots in docs/screenshots/.

Each journey runs inside the test's transaction (see conftest), so what it saves is gone again
for the next test.
"""

from __future__ import annotations

import re

import pytest

from .audit import run_axe, scroll_width_at
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine;Indikatoren\n"
    "1;Aktionsfeld A Klimaschutz vor Ort;Dachflächen für Photovoltaik;Mehr Strom vom Dach;"
    "Kataster fertig;Installierte Leistung in kWp\n"
    "2;;Radwege an Schulen;Sichere Schulwege;Planung beschlossen;Kilometer neue Radwege\n"
)


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def test_import_a_plan_upload_preview_confirm(new_page):
    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Aktionsplan", exact=False).first.check()
    page.get_by_label("Datei").set_input_files(
        {"name": "klimaplan.csv", "mimeType": "text/csv", "buffer": PLAN_CSV.encode()}
    )
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect_heading = page.get_by_role("heading", level=1)
    assert expect_heading.inner_text().startswith("Vorschau")
    assert page.get_by_text("Dachflächen für Photovoltaik").count() >= 1
    assert not blocking(page), "Vorschau: axe schwerwiegend"
    screenshot(page, "import-vorschau")
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    assert page.get_by_role("link", name="Radwege an Schulen").count() == 1


def test_answer_a_survey_on_a_phone_without_javascript(new_page):
    """Citizen journey: 360 px wide, JavaScript off, from the portal's survey list to „Danke“."""
    page = new_page(width=360, height=740, js=False)
    page.goto("/musterstadt/umfragen/")
    links = page.locator("main a[href*='/umfragen/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    links = [href for href in links if re.search(r"/umfragen/\d+/$", href)]
    assert links, "Keine öffentliche Umfrage in der Demo"
    for href in links:
        page.goto(href)
        if (
            page.locator("form button[type=submit]").count()
            and not page.locator("input[name=code]").count()
        ):
            break
    else:
        pytest.skip("Alle Demo-Umfragen verlangen einen Zugangscode")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "umfrage-360")
    # Answer every question with its first choice; free text gets one sentence.
    for group in page.locator("main form input[type=radio]").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    ):
        page.locator(f"main form input[type=radio][name='{group}']").first.check()
    for name in page.locator("main form textarea").evaluate_all("els => els.map(e => e.name)"):
        page.locator(f"main form textarea[name='{name}']").fill("Mehr Bänke am Marktplatz.")
    page.get_by_role("button", name="Antworten abschicken").click()
    assert "Dank" in page.get_by_role("heading", level=1).inner_text()


def test_read_the_portal(new_page):
    page = new_page()
    page.goto("/musterstadt/")
    assert page.get_by_role("heading", level=1).count() == 1
    screenshot(page, "portal")
    page.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Vorhaben").click()
    page.locator("main table a, main .card a").first.click()
    assert page.get_by_role("heading", level=1).count() == 1
    assert not blocking(page)
    assert scroll_width_at(page, 320)[0] <= 320


def test_screenshots_of_the_main_pages(new_page):
    """The pictures for README.md and docs/HANDBUCH.md, taken as the strategy office."""
    page = new_page("musterstadt-strategy")
    page.goto("/")
    screenshot(page, "start")
    page.locator("main .card__title a").first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    screenshot(page, "plan")
    page.locator("main table th a").first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/vorhaben/\d+/$"))
    screenshot(page, "vorhaben")
    page.goto("/arbeitsbereich/leitbild/")
    page.locator("main table a").first.click()
    screenshot(page, "leitbild")


@pytest.mark.parametrize(
    ("role", "name"),
    [("musterstadt-project_lead", "projektleitung"), ("musterstadt-council", "rat")],
)
def test_screenshots_per_role(new_page, role, name):
    page = new_page(role)
    page.goto("/")
    screenshot(page, name)


def test_project_lead_reports_status_with_an_error_first(new_page):
    """Project lead: „kritisch“ without a reason → accessible error, then a valid report."""
    from leitwerk.plans.models import Initiative

    initiative = Initiative.objects.filter(
        responsible_people__email="projekt@musterstadt.example"
    ).first()
    assert initiative is not None
    page = new_page("musterstadt-project_lead")
    page.goto(f"/arbeitsbereich/controlling/vorhaben/{initiative.pk}/sachstand/")
    form = page.locator("main form").filter(has=page.get_by_label("Sachstand"))
    form.get_by_label("kritisch").check()
    form.get_by_label("Sachstand").fill("Der Anbieter liefert die Schnittstelle später.")
    form.get_by_role("button", name="Meldung absenden").click()
    reason = page.get_by_label("Warum und was nun?")
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.get_by_text("bitte kurz erklären").count() >= 1
    assert not blocking(page), "Fehlerzustand: axe schwerwiegend"
    screenshot(page, "sachstand-fehler")
    reason.fill("Wir verschieben den Start um einen Monat und testen vorher im Bürgeramt Nord.")
    page.get_by_role("button", name="Meldung absenden").click()
    # The confirmation sits in the role=status region, so screen readers announce it.
    assert "ist gemeldet" in page.locator(".messages[role=status]").inner_text()
