"""The network overview lists the own Vorhaben a page at a time (audit 2, L2): a plan with
30,000 Vorhaben made it 7.3 MB and 6 s. Queries and size stay the same for any plan size."""

from __future__ import annotations

from django.urls import reverse

from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.network import selectors
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory


def _vorhaben(municipality, count: int, *, start: int = 0) -> None:
    plan = ActionPlanFactory(municipality=municipality)
    field = ActionFieldFactory(municipality=municipality, plan=plan, code="A", order=1)
    for n in range(start, start + count):
        InitiativeFactory(
            municipality=municipality,
            action_field=field,
            number=f"{n:04d}",
            title=f"Vorhaben {n:04d}",
        )


def test_the_overview_shows_the_own_vorhaben_page_by_page(
    viewer, musterstadt, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "OWN_PAGE_SIZE", 2)
    _vorhaben(musterstadt, 3)
    client = client_for(viewer)
    url = reverse("network:list")

    one = client.get(url).content.decode()
    assert "Vorhaben 0000" in one and "Vorhaben 0001" in one and "Vorhaben 0002" not in one
    assert "Vorhaben 1–2 von 3 (Seite 1 von 2)" in one and "?seite=2" in one

    two = client.get(url, {"seite": 2}).content.decode()
    assert "Vorhaben 0002" in two and "Vorhaben 0000" not in two
    assert "Seite 2 von 2" in two and "?seite=1" in two

    # A page number that does not exist shows the last page instead of an error.
    assert "Vorhaben 0002" in client.get(url, {"seite": "99"}).content.decode()


def test_the_overview_costs_the_same_queries_and_size_for_a_large_plan(
    viewer, musterstadt, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "OWN_PAGE_SIZE", 5)
    _vorhaben(musterstadt, 5)
    client = client_for(viewer)
    url = reverse("network:list")
    small = len(client.get(url).content)
    assert_constant_queries(lambda: client.get(url), lambda: _vorhaben(musterstadt, 60, start=5))
    large = client.get(url).content.decode()
    # Only the pager line is new; the 60 further Vorhaben are on the next pages.
    assert "Vorhaben 0064" not in large and "von 65" in large
    assert len(large.encode()) < small + 600
