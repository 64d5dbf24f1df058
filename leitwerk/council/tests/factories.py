from __future__ import annotations

import datetime as dt

import factory

from leitwerk.council.models import CouncilDecision, DecisionFollowUp, DecisionSource
from leitwerk.municipalities.tests.factories import MunicipalityFactory


class CouncilDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilDecision

    municipality = factory.SubFactory(MunicipalityFactory)
    source = DecisionSource.MANUAL
    title = factory.Sequence(lambda n: f"Beschluss {n}")
    decided_on = dt.date(2026, 3, 12)
    result = "beschlossen"


class DecisionFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionFollowUp

    municipality = factory.LazyAttribute(lambda o: o.decision.municipality)
    decision = factory.SubFactory(CouncilDecisionFactory)
    deadline = dt.date(2026, 9, 30)
