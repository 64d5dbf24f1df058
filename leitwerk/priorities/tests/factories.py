from __future__ import annotations

import datetime as dt

import factory

from leitwerk.municipalities.tests.factories import (
    AmtFactory,
    BodyFactory,
    MunicipalityFactory,
    TenantFactory,
    same_tenant,
)
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities.models import (
    BalanceSettings,
    Ballot,
    BallotEntry,
    CompensationMeasure,
    Decision,
    DecisionKind,
    ListVersion,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
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


class RoundParticipantFactory(TenantFactory):
    class Meta:
        model = RoundParticipant

    _tenant_from = ("round", "body", "unit")

    municipality = factory.SubFactory(MunicipalityFactory)
    round = factory.SubFactory(PriorityRoundFactory, municipality=same_tenant())
    body = factory.SubFactory(BodyFactory, municipality=same_tenant())
    unit = None


class CompensationMeasureFactory(TenantFactory):
    class Meta:
        model = CompensationMeasure

    municipality = factory.SubFactory(MunicipalityFactory)
    member = None
    title = factory.Sequence(lambda n: f"Ausgleich {n}")


class BallotFactory(TenantFactory):
    class Meta:
        model = Ballot

    _tenant_from = ("participant",)

    municipality = factory.SubFactory(MunicipalityFactory)
    participant = factory.SubFactory(RoundParticipantFactory, municipality=same_tenant())
    round = factory.SelfAttribute("participant.round")
    submitted_at = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


class BallotEntryFactory(TenantFactory):
    class Meta:
        model = BallotEntry

    _tenant_from = ("ballot",)

    municipality = factory.SubFactory(MunicipalityFactory)
    ballot = factory.SubFactory(BallotFactory, municipality=same_tenant())
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())
    rank = factory.Sequence(lambda n: n + 1)


class ListVersionFactory(TenantFactory):
    class Meta:
        model = ListVersion

    _tenant_from = ("round",)

    municipality = factory.SubFactory(MunicipalityFactory)
    round = factory.SubFactory(
        PriorityRoundFactory, municipality=same_tenant(), status=RoundStatus.ADOPTED
    )
    number = factory.Sequence(lambda n: n + 1)
    entries = factory.LazyFunction(lambda: [{"rank": 1, "number": "1", "title": "Vorhaben"}])


class PriorityChangeFactory(TenantFactory):
    class Meta:
        model = PriorityChange

    _tenant_from = ("round", "initiative")

    municipality = factory.SubFactory(MunicipalityFactory)
    round = factory.SubFactory(
        PriorityRoundFactory, municipality=same_tenant(), status=RoundStatus.ADOPTED
    )
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())
    old_rank = 3
    new_rank = 1
    justification = "Fördermittel laufen aus; das Vorhaben muss früher beginnen."
    changed_on = dt.date(2026, 5, 1)


class BalanceSettingsFactory(TenantFactory):
    class Meta:
        model = BalanceSettings
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(AmtFactory)
    threshold_points = 10
