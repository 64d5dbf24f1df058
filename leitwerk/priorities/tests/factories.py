from __future__ import annotations

import datetime as dt

import factory

from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities.models import (
    Decision,
    DecisionKind,
    PriorityItem,
    PriorityRound,
    RoundStatus,
)


class PriorityRoundFactory(TenantFactory):
    class Meta:
        model = PriorityRound

    _tenant_from = ("adopted_by",)

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Prioritätenliste {n}")
    year = 2026
    status = RoundStatus.OPEN


class PriorityItemFactory(TenantFactory):
    class Meta:
        model = PriorityItem

    _tenant_from = ("round", "initiative")

    municipality = factory.SubFactory(MunicipalityFactory)
    round = factory.SubFactory(PriorityRoundFactory, municipality=same_tenant())
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())
    rank = factory.Sequence(lambda n: n + 1)


class DecisionFactory(TenantFactory):
    class Meta:
        model = Decision

    _tenant_from = ("initiative", "body")

    municipality = factory.SubFactory(MunicipalityFactory)
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())
    kind = DecisionKind.START
    title = factory.Sequence(lambda n: f"Entscheidung {n}")
    justification = "Das Vorhaben dient unmittelbar dem Leitbild."
    decided_on = dt.date(2026, 2, 1)
    public = True
