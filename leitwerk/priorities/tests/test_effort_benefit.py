"""Effort against benefit for the Vorhaben of a plan, linked from the resources page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.plans.tests.factories import ActionFieldFactory, InitiativeFactory
from leitwerk.priorities.models import RoundStatus
from leitwerk.priorities.tests.factories import PriorityItemFactory, PriorityRoundFactory

pytestmark = pytest.mark.django_db


def _plan_with(musterstadt, n):
    field = ActionFieldFactory(municipality=musterstadt)
    initiatives = [
        InitiativeFactory(
            municipality=musterstadt,
            action_field=field,
            title=f"Vorhaben {i}",
            effort_person_days=10 * (i + 1),
            budget_eur=1000 * (i + 1),
        )
        for i in range(n)
    ]
    return field.plan, initiatives


def test_table_shows_effort_budget_and_adopted_rank(musterstadt, viewer, client_for):
    plan, initiatives = _plan_with(musterstadt, 2)
    round = PriorityRoundFactory(municipality=musterstadt, status=RoundStatus.ADOPTED)
    PriorityItemFactory(municipality=musterstadt, round=round, initiative=initiatives[1], rank=1)
    client = client_for(viewer)
    assert (
        reverse("priorities:effort_benefit")
        in client.get(reverse("priorities:resources")).content.decode()
    )
    response = client.get(reverse("priorities:effort_benefit"), {"plan": plan.pk})
    rows = {r.initiative.title: r for r in response.context["rows"]}
    assert (rows["Vorhaben 1"].person_days, rows["Vorhaben 1"].rank) == (20, 1)
    assert rows["Vorhaben 0"].rank is None
    assert "nicht auf der Liste" in response.content.decode()


def test_query_count_does_not_grow_with_the_plan(musterstadt, viewer, client_for):
    small, _ = _plan_with(musterstadt, 1)
    large, _ = _plan_with(musterstadt, 6)
    client = client_for(viewer)
    url = reverse("priorities:effort_benefit")
    client.get(url, {"plan": small.pk})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"plan": small.pk})
    with CaptureQueriesContext(connection) as six:
        response = client.get(url, {"plan": large.pk})
    assert len(response.context["rows"]) == 6
    assert len(six) == len(one)


def test_unknown_plan_is_404(viewer, client_for):
    client = client_for(viewer)
    assert client.get(reverse("priorities:effort_benefit"), {"plan": "999999"}).status_code == 404
    assert client.get(reverse("priorities:effort_benefit"), {"plan": "x"}).status_code == 404
