"""The dashboard of a very large plan (audit 2, L2): all Vorhaben page by page, the list
without a current report shortened; the figures still count every Vorhaben."""

from __future__ import annotations

from django.urls import reverse

from leitwerk.controlling import views
from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory


def test_the_dashboard_lists_its_vorhaben_page_by_page(
    viewer, musterstadt, client_for, monkeypatch
):
    monkeypatch.setattr(views, "OVERVIEW_PAGE_SIZE", 2)
    monkeypatch.setattr(views, "STALE_SHOWN", 1)
    plan = ActionPlanFactory(municipality=musterstadt, status=PlanStatus.ADOPTED)
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    for n in range(3):
        InitiativeFactory(
            municipality=musterstadt, action_field=field, number=str(n), title=f"Vorhaben Nr{n}"
        )
    client = client_for(viewer)
    one = client.get(reverse("controlling:overview")).content.decode()
    assert "Vorhaben 1 bis 2 von 3." in one and "?seite=2#all" in one
    two = client.get(reverse("controlling:overview"), {"seite": 2}).content.decode()
    assert "Seite 2 von 2" in two
    listed = [t for t in ("Vorhaben Nr0", "Vorhaben Nr1", "Vorhaben Nr2") if t in one + two]
    assert len(listed) == 3
    # Never reported: all three are stale; the list names one and counts the others.
    assert "und 2 weitere Vorhaben ohne aktuelle Meldung" in one
