from __future__ import annotations

import factory

from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.obstacles.models import Obstacle, ObstacleRating, SolutionConcept


class ObstacleFactory(TenantFactory):
    class Meta:
        model = Obstacle
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Hemmnis {n}")
    category = "Organisation"
    impact = 3
    frequency = 3

    @factory.post_generation
    def initiatives(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.initiatives.set(extracted)


class SolutionConceptFactory(TenantFactory):
    class Meta:
        model = SolutionConcept

    _tenant_from = ("obstacle",)

    municipality = factory.SubFactory(MunicipalityFactory)
    obstacle = factory.SubFactory(ObstacleFactory, municipality=same_tenant())
    title = factory.Sequence(lambda n: f"Lösungskonzept {n}")


class ObstacleRatingFactory(TenantFactory):
    class Meta:
        model = ObstacleRating

    _tenant_from = ("obstacle",)

    municipality = factory.SubFactory(MunicipalityFactory)
    obstacle = factory.SubFactory(ObstacleFactory, municipality=same_tenant())
    impact = 4
    frequency = 3
