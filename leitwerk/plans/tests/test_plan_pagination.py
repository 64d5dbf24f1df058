"""A very large plan is shown a page of Vorhaben at a time (audit 2, L2); the plan's figures
still count all of them, and the filters stay when turning pages."""

from __future__ import annotations

from django.urls import reverse

from leitwerk.plans import views
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory


def test_the_plan_page_shows_its_vorhaben_page_by_page(
    viewer, musterstadt, client_for, monkeypatch
):
    monkeypatch.setattr(views, "PLAN_PAGE_SIZE", 2)
    plan = ActionPlanFactory(municipality=musterstadt)
    first = ActionFieldFactory(municipality=musterstadt, plan=plan, code="A", order=1)
    second = ActionFieldFactory(municipality=musterstadt, plan=plan, code="B", order=2)
    for field, number, title in [
        (first, "1", "Erstes Vorhaben"),
        (first, "2", "Zweites Vorhaben"),
        (second, "1", "Drittes Vorhaben"),
    ]:
        InitiativeFactory(municipality=musterstadt, action_field=field, number=number, title=title)
    client = client_for(viewer)
    url = reverse("plans:detail", args=[plan.pk])

    one = client.get(url).content.decode()
    assert "Erstes Vorhaben" in one and "Zweites Vorhaben" in one
    assert "Drittes Vorhaben" not in one
    assert "Vorhaben 1 bis 2 von 3." in one and "?seite=2" in one

    two = client.get(url, {"seite": 2}).content.decode()
    assert "Drittes Vorhaben" in two and "Erstes Vorhaben" not in two
    assert "Seite 2 von 2" in two and "?seite=1" in two

    # Filters are kept in the links to the other pages.
    filtered = client.get(url, {"status": "", "seite": 1}).content.decode()
    assert "?status=&amp;seite=2" in filtered


def test_a_plan_that_fits_one_page_has_no_page_links(viewer, musterstadt, client_for):
    initiative = InitiativeFactory(municipality=musterstadt, title="Einziges Vorhaben")
    html = (
        client_for(viewer)
        .get(reverse("plans:detail", args=[initiative.action_field.plan_id]))
        .content.decode()
    )
    assert "Einziges Vorhaben" in html and "seite=" not in html
