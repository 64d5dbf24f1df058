"""Pickers that scale (issue 25): Leitbild statements and Vorhaben in groups, searchable with
JavaScript and usable without it; the alignment page links to one picker per statement."""

from __future__ import annotations

import re

import pytest

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def test_strategy_office_links_a_statement_from_the_alignment_page(new_page):
    page = new_page("musterstadt-strategy")
    response = page.goto("/arbeitsbereich/controlling/ausrichtung/")
    size = len(response.body())
    print(f"Ausrichtung am Leitbild: {size / 1024:.0f} KB")  # noqa: T201 - figure for the note
    assert page.locator("main table select").count() == 0
    assert not blocking(page), "Ausrichtung: axe schwerwiegend"
    page.get_by_role("link", name=re.compile("^Vorhaben verknüpfen")).first.click()
    page.wait_for_url(re.compile(r"/ausrichtung/aussage/\d+/vorhaben/$"))
    groups = page.locator(".picker__group legend")
    assert groups.count() >= 2, "Vorhaben grouped by plan and Aktionsfeld"
    search = page.get_by_label("Liste durchsuchen")
    free = page.locator(".picker .choice").filter(has=page.locator("input:not(:checked)"))
    first = free.first.locator("label").inner_text()
    search.fill(first.split()[-1])
    assert page.get_by_role("status").filter(has_text="angezeigt").count() == 1
    screenshot(page, "pickers-ausrichtung-verknuepfen")
    assert not blocking(page), "Verknüpfen: axe schwerwiegend"
    page.get_by_label(first).check()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/controlling/ausrichtung/#aussage-\d+$"))
    assert page.get_by_text("Gespeichert: 1 verknüpft").count() == 1


def test_goal_form_groups_statements_without_javascript(new_page):
    page = new_page("musterstadt-strategy", js=False)
    page.goto("/arbeitsbereich/ziele/")
    page.locator("main a[href*='/ziele/ziel/']").first.click()
    page.get_by_role("link", name="Ziel bearbeiten").click()
    picker = page.locator("[data-picker]")
    assert picker.count() == 1
    legends = picker.locator("legend").all_inner_texts()
    assert len(legends) >= 2 and all(" – " in text or text for text in legends)
    assert page.get_by_label("Liste durchsuchen").count() == 0  # the search is an addition
    picker.scroll_into_view_if_needed()
    screenshot(page, "pickers-ziel-aussagen")
