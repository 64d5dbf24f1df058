from __future__ import annotations

import factory

from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant


class GoalFieldFactory(TenantFactory):
    class Meta:
        model = GoalField

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"Z{n}")
    title = factory.Sequence(lambda n: f"Zielfeld {n}")
    order = factory.Sequence(lambda n: n)


class GoalFactory(TenantFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    _tenant_from = ("goal_field",)

    municipality = factory.SubFactory(MunicipalityFactory)
    goal_field = factory.SubFactory(GoalFieldFactory, municipality=same_tenant())
    code = factory.Sequence(lambda n: f"Z-{n}")
    title = factory.Sequence(lambda n: f"Ziel {n}")

    @factory.post_generation
    def statements(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.statements.set(extracted)


class FrameworkConceptFactory(TenantFactory):
    class Meta:
        model = FrameworkConcept
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Rahmenkonzept {n}")

    @factory.post_generation
    def goal_fields(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.goal_fields.set(extracted)
