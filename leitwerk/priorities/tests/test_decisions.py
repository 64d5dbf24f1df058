"""Decisions written on adoption stay internal until the strategy office publishes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.tests.factories import BodyFactory
from leitwerk.priorities import services
from leitwerk.priorities.models import Decision, RoundStatus
from leitwerk.priorities.tests.factories import PriorityItemFactory, PriorityRoundFactory

pytestmark = pytest.mark.django_db

OPARL = "https://ris.musterstadt.example/oparl/paper/4711"


@pytest.fixture
def adopted_decision(musterstadt, strategy_user):
    round = PriorityRoundFactory(municipality=musterstadt, status=RoundStatus.CLOSED)
    PriorityItemFactory(round=round, municipality=musterstadt)
    services.round_adopt(
        round=round,
        actor=strategy_user,
        body=BodyFactory(municipality=musterstadt, name="Rat"),
        adopted_on=dt.date(2026, 3, 1),
        decision_reference="RAT/0900/2026",
        oparl_url=OPARL,
    )
    return Decision.objects.get(priority_round=round)


def _portal(client):
    return client.get(reverse("portal:decisions", kwargs={"municipality_slug": "musterstadt"}))


def test_adoption_decision_is_hidden_until_published(
    adopted_decision, strategy_user, client, client_for
):
    assert adopted_decision.public is False
    assert adopted_decision.title not in _portal(client).content.decode()

    office = client_for(strategy_user)
    response = office.post(
        reverse("priorities:decisions"),
        {"form": "publish", "decision": adopted_decision.pk, "public": "1"},
    )
    assert response.status_code == 302
    page = _portal(client).content.decode()
    assert adopted_decision.title in page
    assert f'href="{OPARL}"' in page
    assert AuditLogEntry.objects.filter(action="priorities.decision_publish").count() == 1

    office.post(
        reverse("priorities:decisions"),
        {"form": "publish", "decision": adopted_decision.pk, "public": "0"},
    )
    assert adopted_decision.title not in _portal(client).content.decode()
    assert AuditLogEntry.objects.filter(action="priorities.decision_withdraw").count() == 1


def test_only_the_strategy_office_publishes(adopted_decision, viewer, client_for):
    page = client_for(viewer).get(reverse("priorities:decisions")).content.decode()
    assert "Im Portal zeigen" not in page
    response = client_for(viewer).post(
        reverse("priorities:decisions"),
        {"form": "publish", "decision": adopted_decision.pk, "public": "1"},
    )
    # The viewer sees the decision in the log, publishing it is not allowed: 403.
    assert response.status_code == 403
    adopted_decision.refresh_from_db()
    assert adopted_decision.public is False


def test_a_decision_of_another_town_cannot_be_published(
    adopted_decision, other_town_admin, client_for
):
    response = client_for(other_town_admin).post(
        reverse("priorities:decisions"),
        {"form": "publish", "decision": adopted_decision.pk, "public": "1"},
    )
    assert response.status_code == 404
    adopted_decision.refresh_from_db()
    assert adopted_decision.public is False
