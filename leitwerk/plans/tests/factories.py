from __future__ import annotations

import datetime as dt

import factory

from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Direction,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Milestone,
    PlanStatus,
    Resolution,
    SubInitiative,
    SubInitiativeKind,
    TransferCity,
)


class ActionPlanFactory(TenantFactory):
    class Meta:
        model = ActionPlan

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Aktionsplan {n}")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2028, 12, 31)
    status = PlanStatus.ADOPTED
    reporting_interval_days = 90


class ActionFieldFactory(TenantFactory):
    class Meta:
        model = ActionField

    _tenant_from = ("plan",)

    municipality = factory.SubFactory(MunicipalityFactory)
    plan = factory.SubFactory(ActionPlanFactory, municipality=same_tenant())
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Aktionsfeld {n}")
    order = factory.Sequence(lambda n: n)


class InitiativeFactory(TenantFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    _tenant_from = ("action_field", "lead_unit")

    municipality = factory.SubFactory(MunicipalityFactory)
    action_field = factory.SubFactory(ActionFieldFactory, municipality=same_tenant())
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Vorhaben {n}")
    objective = "Verwaltungsabläufe vereinfachen."
    status = InitiativeStatus.ACTIVE
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2027, 12, 31)
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def responsible_people(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.responsible_people.set(extracted)


class _InitiativeChildFactory(TenantFactory):
    class Meta:
        abstract = True

    _tenant_from = ("initiative",)

    municipality = factory.SubFactory(MunicipalityFactory)
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())


class SubInitiativeFactory(_InitiativeChildFactory):
    class Meta:
        model = SubInitiative

    kind = SubInitiativeKind.IDEA
    text = factory.Sequence(lambda n: f"Umsetzungsidee {n}")


class MilestoneFactory(_InitiativeChildFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Meilenstein {n}")
    due_date = dt.date(2026, 6, 30)
    done_on = None


class IndicatorFactory(_InitiativeChildFactory):
    class Meta:
        model = Indicator

    _tenant_from = ("initiative", "goal")

    title = factory.Sequence(lambda n: f"Indikator {n}")
    kind = IndicatorKind.QUANTITATIVE
    unit = "%"
    baseline = 10
    baseline_date = dt.date(2026, 1, 1)
    target = 50
    target_date = dt.date(2027, 12, 31)
    direction = Direction.INCREASE


class TransferCityFactory(_InitiativeChildFactory):
    class Meta:
        model = TransferCity

    name = factory.Sequence(lambda n: f"Partnerstadt {n}")


class ResolutionFactory(TenantFactory):
    class Meta:
        model = Resolution

    _tenant_from = ("plan", "initiative")

    municipality = factory.SubFactory(MunicipalityFactory)
    plan = factory.SubFactory(ActionPlanFactory, municipality=same_tenant())
    initiative = None
    text = factory.Sequence(lambda n: f"Wir berichten offen über Verzögerungen ({n}).")
