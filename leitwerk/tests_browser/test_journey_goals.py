"""Goal scorecard journey: the strategy office adds a Kennzahl to a goal and records a value;
the goal page shows progress, Ampel with its reason, values and the contributing Vorhaben, and
a council member reads the same numbers. Screenshots: docs/screenshots/goals-*.png."""

from __future__ import annotations

import re

import pytest

from .audit import run_axe, scroll_width_at
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GOAL = "Z2.1 Leistungen online anbieten"


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _figures(page) -> tuple[str, str]:
    """The goal's progress text and Ampel label, as a reader sees them."""
    facts = page.locator("main dl.facts").first
    progress = facts.locator(".progress__text, .progress--none").first.inner_text()
    health = facts.locator(".badge").first.inner_text()
    return progress.strip(), health.strip()


def test_strategy_office_builds_a_goal_scorecard_and_council_reads_it(new_page):
    page = new_page("musterstadt-strategy", js=False)
    page.goto("/arbeitsbereich/ziele/")
    # The goal list shows progress and Ampel per goal.
    item = page.locator("main .goal-list li").filter(has_text=GOAL)
    assert item.locator(".badge").count() == 1
    assert item.locator(".progress__text, .progress--none").count() == 1
    screenshot(page, "goals-liste", full_page=True)
    item.get_by_role("link", name=GOAL).click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/ziele/ziel/\d+/$"))
    goal_url = page.url

    page.get_by_role("link", name="Kennzahl hinzufügen").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kennzahl hinzufügen")
    page.get_by_label(re.compile(r"^Indikator")).fill("Anteil online beantragter Leistungen")
    page.get_by_label(re.compile(r"^Art")).select_option("quantitative")
    page.get_by_label(re.compile(r"^Einheit")).fill("%")
    page.get_by_label(re.compile(r"^Ausgangswert")).fill("10")
    page.get_by_label(re.compile(r"^Zielwert")).fill("50")
    page.get_by_role("button", name=re.compile("speichern|anlegen", re.I)).click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/ziele/ziel/\d+/#indicator-\d+$"))

    card = page.locator("main section.indicator").filter(
        has=page.get_by_role("heading", name="Anteil online beantragter Leistungen")
    )
    card.get_by_role("link", name=re.compile("^Messwert erfassen")).click()
    page.get_by_label(re.compile(r"^Wert( \(Pflichtangabe\))?$")).fill("30")
    page.get_by_label("Anmerkung").fill("Auswertung des Serviceportals")
    page.get_by_role("button", name="Messwert speichern").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/ziele/ziel/\d+/#indicator-\d+$"))

    card = page.locator("main section.indicator").filter(
        has=page.get_by_role("heading", name="Anteil online beantragter Leistungen")
    )
    assert "30 %" in card.inner_text() and "50 %" in card.inner_text()
    assert "50 % erreicht" in card.inner_text()  # 10 → 50, now 30: half way
    table = card.get_by_role("table")
    assert "Auswertung des Serviceportals" in table.inner_text()
    assert card.locator("svg").count() == 1
    progress, health = _figures(page)
    assert re.search(r"\d+ % erreicht", progress), progress
    assert health
    assert "Warum diese Einschätzung" in page.locator("#health-reason").inner_text()
    vorhaben = page.get_by_role("table", name="Beitrag der Vorhaben zum Ziel")
    assert vorhaben.get_by_role("row").count() >= 2, vorhaben.inner_text()
    screenshot(page, "goals-scorecard", full_page=True)
    checked = new_page("musterstadt-strategy")  # axe needs JavaScript; the journey ran without
    for url in (goal_url, "/arbeitsbereich/ziele/"):
        checked.goto(url)
        assert _blocking(checked) == [], url
        # Reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px.
        width, culprits = scroll_width_at(checked, 320)
        assert width <= 320, (url, culprits)

    council = new_page("musterstadt-council", js=False)
    council.goto(goal_url)
    assert _figures(council) == (progress, health)
    assert council.get_by_role("link", name="Kennzahl hinzufügen").count() == 0
    assert council.get_by_role("link", name=re.compile("^Messwert erfassen")).count() == 0
    assert "Auswertung des Serviceportals" in council.locator("main").inner_text()
    screenshot(council, "goals-rat")
