"""The dashboard's content is kept per change and person (core.fragments, issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.plans import services
from leitwerk.plans.tests.factories import IndicatorFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualitative(musterstadt, editor_unit):
    initiative = InitiativeFactory(
        municipality=musterstadt, title="Bürgerbüro digital", lead_unit=editor_unit
    )
    IndicatorFactory(
        municipality=musterstadt, initiative=initiative, title="Zufriedenheit", kind="qualitative"
    )
    return initiative


def test_an_audited_change_shows_on_the_dashboard_at_once(qualitative, strategy_user, client_for):
    client = client_for(strategy_user)
    url = reverse("controlling:overview")
    assert "Bürgerbüro digital" in client.get(url).content.decode()
    services.initiative_update(
        initiative=qualitative,
        actor=strategy_user,
        expected_version=qualitative.version,
        changes={"title": "Bürgerbüro ganz digital"},
    )
    assert "Bürgerbüro ganz digital" in client.get(url).content.decode()


def test_one_persons_make_measurable_links_do_not_show_for_another(
    qualitative, strategy_user, viewer, client_for
):
    url = reverse("controlling:overview")
    link = reverse("controlling:make_measurable", args=[qualitative.indicators.get().pk])
    assert link in client_for(strategy_user).get(url).content.decode()
    seen_by_reader = client_for(viewer).get(url).content.decode()
    assert "Zufriedenheit" in seen_by_reader and link not in seen_by_reader


def test_filters_are_part_of_the_kept_page(qualitative, strategy_user, client_for, musterstadt):
    from leitwerk.plans.tests.factories import ActionPlanFactory

    other = ActionPlanFactory(municipality=musterstadt, title="Anderer Plan")
    client = client_for(strategy_user)
    url = reverse("controlling:overview")
    assert "Bürgerbüro digital" in client.get(url).content.decode()
    narrowed = client.get(url, {"plan": other.pk}).content.decode()
    assert "Keine Vorhaben in dieser Auswahl." in narrowed
