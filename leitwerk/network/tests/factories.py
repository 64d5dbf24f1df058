from __future__ import annotations

import factory

from leitwerk.network.models import Network, RegistryMunicipality


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Netzwerk {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")
    public = True

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.members.set(extracted)


class RegistryMunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistryMunicipality
        django_get_or_create = ("ags",)

    ags = factory.Sequence(lambda n: f"098{n:05d}"[-8:])
    name = factory.Sequence(lambda n: f"Verzeichnisgemeinde {n}")
    state = "Bayern"
    population = 10000
