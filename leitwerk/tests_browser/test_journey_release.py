"""Freigabe journey: what the workspace types reaches the portal only with the release.

Without JavaScript, as the strategy office and a project lead of the Musterstadt demo. Writes
docs/screenshots/release-*.png.
"""

from __future__ import annotations

import pytest

from .audit import run_axe
from .conftest import ROLES, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _leads_public_vorhaben():
    """A public Vorhaben of a public adopted Musterstadt plan that the demo project lead leads."""
    from leitwerk.plans.models import Initiative

    initiative = (
        Initiative.objects.filter(
            municipality__slug="musterstadt",
            responsible_people__email=ROLES["musterstadt-project_lead"],
        )
        .visible_in_portal()
        .order_by("pk")
        .first()
    )
    assert initiative is not None, "Die Demo hat kein öffentliches Vorhaben der Projektleitung"
    return initiative


def test_an_edited_title_reaches_the_portal_only_after_the_release(new_page):
    initiative = _leads_public_vorhaben()
    old_title = initiative.title
    new_title = "Termine in allen Bürgerbüros online buchen"
    portal_url = f"/musterstadt/vorhaben/{initiative.pk}/"

    # Each look at the portal in a fresh browser: portal pages may be kept for five minutes
    # by a browser that saw them (CACHE_SECONDS), so a new visitor is the honest check.
    citizen = new_page(js=False)
    citizen.goto(portal_url)
    assert citizen.get_by_role("heading", level=1).inner_text().endswith(old_title)

    office = new_page("musterstadt-strategy", js=False)
    office.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/bearbeiten/")
    office.get_by_label("Titel des Vorhabens").fill(new_title)
    office.get_by_role("button", name="Änderungen speichern").click()
    office.wait_for_url(f"**/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")

    # Saved in the workspace, not yet in the portal.
    citizen = new_page(js=False)
    citizen.goto(portal_url)
    heading = citizen.get_by_role("heading", level=1).inner_text()
    assert heading.endswith(old_title) and new_title not in heading

    panel = office.locator("#freigabe")
    assert "Änderungen seit der letzten Freigabe" in panel.inner_text()
    assert panel.get_by_role("listitem").filter(has_text="Titel").count() == 1
    panel.scroll_into_view_if_needed()
    screenshot(office, "release-aenderungen-vor-freigabe")
    # The plan page lists the changed Vorhaben by name.
    plan_page = new_page("musterstadt-strategy", js=False)
    plan_page.goto(f"/arbeitsbereich/plaene/{initiative.action_field.plan_id}/#freigabe")
    plan_panel = plan_page.locator("#freigabe")
    assert f"{new_title}: Titel" in plan_panel.inner_text()
    plan_panel.scroll_into_view_if_needed()
    screenshot(plan_page, "release-plan-aenderungen")
    # axe needs JavaScript: the same page once more, with it.
    checked = new_page("musterstadt-strategy")
    checked.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    assert not _blocking(checked), "Vorhaben mit Freigabe: axe schwerwiegend"

    office.get_by_role("button", name="Für das Portal freigeben").click()
    office.wait_for_url(f"**/arbeitsbereich/plaene/vorhaben/{initiative.pk}/#freigabe")
    panel = office.locator("#freigabe")
    assert "Freigegeben am" in panel.inner_text()
    assert "Keine Änderungen seit der letzten Freigabe" in panel.inner_text()
    screenshot(office, "release-freigegeben")

    citizen = new_page(js=False)
    citizen.goto(portal_url)
    assert citizen.get_by_role("heading", level=1).inner_text().endswith(new_title)
    screenshot(citizen, "release-portal-neuer-titel")
    citizen.goto("/musterstadt/vorhaben/")
    assert citizen.get_by_role("link", name=new_title, exact=False).count() == 1


def test_a_project_lead_has_no_publish_weight_budget_or_release_controls(new_page):
    initiative = _leads_public_vorhaben()
    lead = new_page("musterstadt-project_lead", js=False)
    lead.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/bearbeiten/")
    assert lead.get_by_label("Titel des Vorhabens").count() == 1
    for label in ("öffentlich", "Gewicht", "Budget (Euro)"):
        assert lead.get_by_label(label, exact=True).count() == 0, label
    screenshot(lead, "release-projektleitung-formular", full_page=True)

    lead.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    assert lead.get_by_role("button", name="Für das Portal freigeben").count() == 0
    panel = lead.locator("#freigabe")
    assert "Für das Portal freigeben kann das Strategiebüro" in panel.inner_text()
