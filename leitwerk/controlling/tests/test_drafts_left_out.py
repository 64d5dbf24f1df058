"""Draft plans do not count in the controlling dashboard unless asked for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    InitiativeFactory,
)

pytestmark = pytest.mark.django_db


def _plan(municipality, title, status, vorhaben):
    plan = ActionPlanFactory(municipality=municipality, title=title, status=status)
    field = ActionFieldFactory(municipality=municipality, plan=plan)
    for n in range(vorhaben):
        InitiativeFactory(municipality=municipality, action_field=field, title=f"{title} V{n}")
    return plan


def test_a_draft_plans_vorhaben_do_not_change_the_dashboard_until_drafts_are_shown(
    strategy_user, musterstadt, client_for
):
    _plan(musterstadt, "Beschlossener Plan", PlanStatus.ADOPTED, 2)
    _plan(musterstadt, "Importierter Entwurf", PlanStatus.DRAFT, 7)
    client = client_for(strategy_user)

    default = client.get(reverse("controlling:overview"))
    assert default.context["dashboard"].rollup.total == 2
    html = default.content.decode()
    assert "Importierter Entwurf V0" not in html
    assert "nicht mitgezählt" in html

    shown = client.get(reverse("controlling:overview"), {"drafts": "on"})
    assert shown.context["dashboard"].rollup.total == 9
    assert "Importierter Entwurf V0" in shown.content.decode()


def test_choosing_a_draft_plan_in_the_dashboard_shows_it(strategy_user, musterstadt, client_for):
    draft = _plan(musterstadt, "Entwurf", PlanStatus.DRAFT, 3)
    response = client_for(strategy_user).get(reverse("controlling:overview"), {"plan": draft.pk})
    assert response.context["dashboard"].rollup.total == 3
