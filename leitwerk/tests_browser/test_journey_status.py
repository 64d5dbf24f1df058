"""Steering that tells the truth: two statuses side by side, drafts left out (issue 25).

Each journey runs inside the test's transaction (see conftest); screenshots are `status-*`.
"""

from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LEAD = "projekt@musterstadt.example"
REASON = "Der Dienstleister liefert die Schnittstelle erst im Frühjahr."


def _led_vorhaben():
    """A running Vorhaben of the project lead whose calculated health is not „gefährdet“."""
    from django.utils import timezone

    from leitwerk.plans.models import Initiative
    from leitwerk.plans.rollup import progress_for_initiatives

    candidates = list(
        Initiative.objects.filter(responsible_people__email=LEAD)
        .without_drafts()
        .unfinished()
        .exclude(status="paused")
        .select_related("action_field__plan")
    )
    infos = progress_for_initiatives(initiatives=candidates, today=timezone.localdate())
    for initiative in candidates:
        if infos[initiative.pk].calculated in ("on_track", "unknown", "done"):
            return initiative
    pytest.skip("Die Demo hat kein passendes Vorhaben der Projektleitung.")


def test_project_lead_reports_gefaehrdet_and_everybody_sees_it_with_the_reason(new_page):
    initiative = _led_vorhaben()
    page = new_page("musterstadt-project_lead", js=False)
    page.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/sachstand/neu/")
    page.get_by_label("gefährdet").check()
    page.get_by_label("Sachstand").fill("Die Anbindung an das Fachverfahren verzögert sich.")
    reason = page.get_by_label("Warum und was nun?")
    reason.fill(REASON)
    page.get_by_role("button", name="Sachstand melden").click()
    page.wait_for_load_state()
    assert "ist gemeldet" in page.locator(".messages").inner_text()

    # The Vorhaben page: the shown Ampel is „gefährdet“; both statuses with their reasons.
    page.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    facts = page.locator("main dl.facts").first
    shown = facts.locator(".health-pair > .badge").first
    assert "gefährdet" in shown.inner_text()
    text = facts.inner_text()
    assert "Berechnet" in text
    assert "Einschätzung der Projektleitung vom" in text and REASON in text
    screenshot(page, "status-vorhaben-gefaehrdet")

    # The plan page row of this Vorhaben.
    page.goto(f"/arbeitsbereich/plaene/{initiative.action_field.plan_id}/")
    row = page.locator("main table tr").filter(
        has=page.get_by_role("link", name=initiative.title, exact=True)
    )
    assert "gefährdet" in row.locator(".health-pair > .badge").first.inner_text()
    assert REASON[:40] in row.inner_text()
    row.scroll_into_view_if_needed()
    screenshot(page, "status-plan-zeile")

    # „Meine Aktualisierungen“.
    page.goto("/arbeitsbereich/controlling/meine-aktualisierungen/")
    card = page.locator("main section.due").filter(has_text=initiative.title).first
    assert "gefährdet" in card.locator(".health-pair > .badge").first.inner_text()
    assert REASON[:40] in card.inner_text()
    card.scroll_into_view_if_needed()
    screenshot(page, "status-meine-aktualisierungen")

    # A council member reads the same.
    council = new_page("musterstadt-council", js=False)
    council.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    facts = council.locator("main dl.facts").first
    assert "gefährdet" in facts.locator(".health-pair > .badge").first.inner_text()
    assert REASON in facts.inner_text()
    screenshot(council, "status-rat-sieht-gefaehrdet")


def _draft_plan(municipality, vorhaben: int = 7):
    from leitwerk.plans.models import ActionField, ActionPlan, Initiative, PlanStatus

    plan = ActionPlan.objects.create(
        municipality=municipality,
        title="Importierter Entwurf Klimaanpassung",
        status=PlanStatus.DRAFT,
        public=True,
    )
    field = ActionField.objects.create(
        municipality=municipality, plan=plan, code="E", title="Entwurfsfeld"
    )
    for n in range(1, vorhaben + 1):
        Initiative.objects.create(
            municipality=municipality,
            action_field=field,
            number=f"E{n}",
            title=f"Entwurfsvorhaben {n}",
            public=True,
        )
    return plan


def _dashboard_total(page) -> str:
    facts = page.locator("main dl.facts").first
    return facts.locator("div").filter(has_text=re.compile("^Vorhaben")).locator("dd").inner_text()


def test_a_draft_plan_changes_neither_the_dashboard_nor_the_council_home_nor_the_portal(
    new_page,
):
    from leitwerk.municipalities.models import Municipality

    musterstadt = Municipality.objects.get(slug="musterstadt")
    office = new_page("musterstadt-strategy", js=False)
    office.goto("/arbeitsbereich/controlling/")
    before = _dashboard_total(office)
    counts_before = office.locator("main .health-counts").first.inner_text()

    _draft_plan(musterstadt)

    office.goto("/arbeitsbereich/controlling/")
    assert _dashboard_total(office) == before
    assert office.locator("main .health-counts").first.inner_text() == counts_before
    assert office.get_by_text("Entwurfsvorhaben 1").count() == 0
    assert office.get_by_text("nicht mitgezählt").count() == 1
    screenshot(office, "status-fruehwarnung-ohne-entwurf")
    office.get_by_label("Entwürfe zeigen").check()
    office.get_by_role("button", name="Anzeigen").click()
    office.wait_for_load_state()
    assert int(_dashboard_total(office)) == int(before) + 7
    assert office.get_by_text("Entwurfsvorhaben 1").count() >= 1

    council = new_page("musterstadt-council", js=False)
    council.goto("/")
    main = council.locator("main").inner_text()
    assert "Importierter Entwurf" not in main
    screenshot(council, "status-rat-uebersicht-ohne-entwurf")

    visitor = new_page("anonym", js=False)
    visitor.goto("/musterstadt/vorhaben/")
    assert "Entwurfsvorhaben" not in visitor.locator("main").inner_text()
    visitor.goto("/musterstadt/")
    assert "Importierter Entwurf" not in visitor.locator("main").inner_text()
