"""Rahmenkonzepte: the strategy office records them with validity, body, goals and plans."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.goals.models import FrameworkConcept
from leitwerk.goals.tests.factories import FrameworkConceptFactory, GoalFactory
from leitwerk.plans.tests.factories import ActionPlanFactory


def test_a_concept_is_created_with_body_goals_and_plans_and_listed(
    strategy_user, viewer, council_body, client_for, musterstadt
):
    goal = GoalFactory(municipality=musterstadt, title="CO2 halbieren")
    plan = ActionPlanFactory(municipality=musterstadt, title="Klimaplan 2030")
    response = client_for(strategy_user).post(
        reverse("goals:framework_create"),
        {
            "title": "Klimaschutzkonzept",
            "valid_from": "2025-01-01",
            "valid_to": "2030-12-31",
            "adopted_by": council_body.pk,
            "adopted_on": "2024-11-20",
            "goals": [goal.pk],
            "plans": [plan.pk],
        },
    )
    assert response.status_code == 302
    concept = FrameworkConcept.objects.get(title="Klimaschutzkonzept")
    assert concept.adopted_by == council_body and list(concept.goals.all()) == [goal]
    assert list(concept.action_plans.all()) == [plan]
    assert AuditLogEntry.objects.filter(action="framework_concept.plans").exists()
    page = client_for(viewer).get(reverse("goals:frameworks")).content.decode()
    for text in ("Klimaschutzkonzept", "CO2 halbieren", "Klimaplan 2030", council_body.name):
        assert text in page
    assert reverse("goals:framework_create") not in page  # viewers only read


def test_editing_replaces_the_linked_plans(strategy_user, client_for, musterstadt):
    old_plan = ActionPlanFactory(municipality=musterstadt, title="Alt")
    new_plan = ActionPlanFactory(municipality=musterstadt, title="Neu")
    concept = FrameworkConceptFactory(municipality=musterstadt, title="Mobilität")
    old_plan.framework_concepts.add(concept)
    url = reverse("goals:framework_edit", args=[concept.pk])
    form = client_for(strategy_user).get(url).content.decode()
    assert re.search(rf'name="plans" value="{old_plan.pk}"[^>]*checked', form)
    response = client_for(strategy_user).post(
        url, {"title": "Mobilität", "plans": [new_plan.pk], "expected_version": concept.version}
    )
    assert response.status_code == 302
    assert list(concept.action_plans.all()) == [new_plan]


def test_validity_ending_before_it_starts_is_refused(strategy_user, client_for):
    response = client_for(strategy_user).post(
        reverse("goals:framework_create"),
        {"title": "Falsch", "valid_from": "2030-01-01", "valid_to": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "„gültig bis“ liegt vor „gültig ab“." in response.content.decode()
    assert not FrameworkConcept.objects.exists()


def test_a_stale_edit_is_a_conflict_and_links_stay(strategy_user, client_for, musterstadt):
    plan = ActionPlanFactory(municipality=musterstadt)
    concept = FrameworkConceptFactory(municipality=musterstadt, title="Alt")
    FrameworkConcept.objects.filter(pk=concept.pk).update(version=3, title="Anders")
    response = client_for(strategy_user).post(
        reverse("goals:framework_edit", args=[concept.pk]),
        {"title": "Meins", "plans": [plan.pk], "expected_version": 1},
    )
    assert response.status_code == 409
    concept.refresh_from_db()
    assert concept.title == "Anders" and not concept.action_plans.exists()


def test_deleting_a_concept_keeps_goals_and_plans(strategy_user, client_for, musterstadt):
    plan = ActionPlanFactory(municipality=musterstadt)
    concept = FrameworkConceptFactory(municipality=musterstadt)
    plan.framework_concepts.add(concept)
    client_for(strategy_user).post(reverse("goals:framework_delete", args=[concept.pk]))
    assert not FrameworkConcept.objects.exists()
    plan.refresh_from_db()


@pytest.mark.parametrize("persona", ["viewer", "project_lead", "council_member"])
def test_only_the_strategy_office_and_admins_write(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("goals:framework_create"), {"title": "X"})
    assert response.status_code == 403
    assert not FrameworkConcept.objects.exists()


def test_a_plan_of_another_town_cannot_be_linked(strategy_user, client_for, other_town):
    foreign = ActionPlanFactory(municipality=other_town)
    response = client_for(strategy_user).post(
        reverse("goals:framework_create"), {"title": "X", "plans": [foreign.pk]}
    )
    assert response.status_code == 422
    assert not FrameworkConcept.objects.exists()
