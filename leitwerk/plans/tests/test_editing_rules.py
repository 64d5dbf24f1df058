"""Who may edit what: every role against every state of a Vorhaben (and plan/goal/Leitbild)."""

from __future__ import annotations

import pytest

from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory

ROLES = [
    "admin_user",
    "strategy_user",
    "unit_editor",
    "project_lead",
    "council_member",
    "viewer",
    "other_town_admin",
]
STATES = ["own_active", "other_unit", "own_archived"]

# role → states in which the person may edit the Vorhaben (and report on it)
MAY_EDIT = {
    "admin_user": set(STATES),
    "strategy_user": set(STATES),
    "unit_editor": {"own_active"},
    "project_lead": {"own_active"},
    "council_member": set(),
    "viewer": set(),
    "other_town_admin": set(),
}


@pytest.fixture
def initiatives(musterstadt, led_initiative, project_lead, editor_unit):
    archived_plan = ActionPlanFactory(municipality=musterstadt, status=PlanStatus.ARCHIVED)
    archived = InitiativeFactory(
        municipality=musterstadt,
        action_field=ActionFieldFactory(municipality=musterstadt, plan=archived_plan),
        lead_unit=editor_unit,
    )
    archived.responsible_people.add(project_lead)
    return {
        "own_active": led_initiative,
        "other_unit": InitiativeFactory(municipality=musterstadt),
        "own_archived": archived,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_initiative_edit_matrix(request, role, state, initiatives):
    user = request.getfixturevalue(role)
    initiative = initiatives[state]
    expected = state in MAY_EDIT[role]
    assert user.has_perm("plans.change_initiative", initiative) is expected
    assert user.has_perm("plans.record_progress", initiative) is expected
    assert user.has_perm("plans.delete_initiative", initiative) is (
        role in ("admin_user", "strategy_user")
    )
    assert user.has_perm("plans.view_initiative", initiative) is (role != "other_town_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_plan_goal_and_guideline_editing_is_for_the_strategy_office(request, role, musterstadt):
    user = request.getfixturevalue(role)
    expected = role in ("admin_user", "strategy_user")
    plan = ActionPlanFactory(municipality=musterstadt)
    assert user.has_perm("plans.change_plan", plan) is expected
    assert user.has_perm("plans.add_initiative", musterstadt) is expected
    assert user.has_perm("goals.change_goal", musterstadt) is expected
    assert user.has_perm("guidelines.change_guideline", musterstadt) is expected
