"""Draft plans are not shown on the home page that council members read."""

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


def test_the_council_home_page_does_not_show_draft_plans(
    council_member, strategy_user, musterstadt, client_for
):
    _plan(musterstadt, "Beschlossener Plan", PlanStatus.ADOPTED, 1)
    _plan(musterstadt, "Importierter Entwurf", PlanStatus.DRAFT, 7)
    council_home = client_for(council_member).get(reverse("home")).content.decode()
    assert "Beschlossener Plan" in council_home
    assert "Importierter Entwurf" not in council_home
    assert "Plan-Entwurf" not in council_home

    office_home = client_for(strategy_user).get(reverse("home")).content.decode()
    assert "Importierter Entwurf" not in office_home
    assert "1 Plan-Entwurf" in office_home


def test_a_draft_plans_page_says_that_it_does_not_count(strategy_user, musterstadt, client_for):
    draft = _plan(musterstadt, "Importierter Entwurf", PlanStatus.DRAFT, 1)
    html = client_for(strategy_user).get(reverse("plans:detail", args=[draft.pk])).content
    assert "Dieser Plan ist ein Entwurf" in html.decode()
