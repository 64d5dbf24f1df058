"""Importing a plan workbook with a cover sheet and one sheet per Aktionsfeld (issue 26).

The preview shows what is not part of the structure (totals rows, footnotes, the cover's photo
credit) with its place in the file, and the person can move a piece into the plan; without
JavaScript. Screenshots are `sheets-*`.
"""

from __future__ import annotations

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_multi_sheet_workbook_is_previewed_with_furniture_and_imported(new_page, tmp_path):
    from leitwerk.imports.tests import layouts
    from leitwerk.plans.models import ActionPlan

    name, data = layouts.multi_sheet_xlsx()
    path = tmp_path / name
    path.write_bytes(data)
    page = new_page("musterstadt-strategy", js=False)
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Aktionsplan").check()
    page.get_by_label("Datei", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    page.wait_for_load_state()

    main = page.locator("main")
    assert "Aktionsplan Klimafreundliches Lindenau 2030" in main.locator("h2").all_inner_texts()
    headings = main.locator("h3").all_inner_texts()
    assert any("Aktionsfeld A: Klima" in h for h in headings)
    assert any("Aktionsfeld B: Mobilität" in h for h in headings)
    table = page.locator("section[aria-labelledby='pieces-title'] table")
    rows = table.locator("tbody tr")
    assert rows.count() == 7
    text = table.inner_text()
    assert "Blatt „Aktionsfeld A Klima“, Zeile 4, Spalte A" in text
    assert "Beiwerk (Summenzeile)" in text and "Beiwerk (Fußnote)" in text
    assert "Beiwerk (Bildnachweis)" in text
    screenshot(page, "sheets-preview", full_page=True)

    # The photo credit goes into the plan's description after all.
    credit = table.locator("tr", has_text="Bildnachweis")
    credit.get_by_label("übernehmen in").select_option("plan")
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_load_state()
    plan = ActionPlan.objects.get(title="Aktionsplan Klimafreundliches Lindenau 2030")
    assert plan.description.endswith("Titelbild: © Stadtarchiv Lindenau")
    assert plan.action_fields.count() == 2
    screenshot(page, "sheets-imported")


def test_a_plan_with_teilvorhaben_keeps_their_own_ideas_nested(new_page, tmp_path):
    from leitwerk.imports.tests import layouts
    from leitwerk.plans.models import Initiative

    name, data = layouts.nested_xlsx()
    path = tmp_path / name
    path.write_bytes(data)
    page = new_page("musterstadt-strategy", js=False)
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Aktionsplan").check()
    page.get_by_label("Datei", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    page.wait_for_load_state()
    # In the preview, a Teilvorhaben's own ideas are a list inside its list item.
    teil = page.locator("main li").filter(has_text="Teilvorhaben 1: Förderung").last
    assert teil.locator("ul > li").all_inner_texts() == [
        "Richtlinie schreiben",
        "Antrag vereinfachen",
    ]
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_load_state()
    initiative = Initiative.objects.get(title="Zisternen fördern")
    page.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    teil = page.locator("main li").filter(has_text="Teilvorhaben 1: Förderung").last
    own = teil.locator("ul > li")
    assert own.count() == 2 and "Richtlinie schreiben" in own.first.inner_text()
    screenshot(page, "sheets-teilvorhaben", full_page=True)
