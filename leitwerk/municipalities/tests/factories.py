from __future__ import annotations

import factory

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.municipalities.models import (
    Body,
    BodyKind,
    Membership,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
    Role,
    UnitKind,
)


class TenantFactory(factory.django.DjangoModelFactory):
    """Base for tenant rows: `municipality` leads, sub-factories follow it.

    A caller may instead hand over a parent object (e.g. `action_field=...`) without naming
    the municipality; `_tenant_from` lists those parents, and the tenant is taken from the
    first one given, so a row never points into another municipality by accident.
    """

    class Meta:
        abstract = True

    _tenant_from: tuple[str, ...] = ()

    @classmethod
    def _generate(cls, strategy, params):
        if "municipality" not in params:
            for name in cls._tenant_from:
                parent = params.get(name)
                if parent is not None and hasattr(parent, "municipality_id"):
                    params["municipality"] = parent.municipality
                    break
        return super()._generate(strategy, params)


def same_tenant():
    """Pass to a SubFactory so the child is built in the parent's municipality."""
    return factory.SelfAttribute("..municipality")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    # 099… is not a real Land prefix, so test keys never collide with real AGS.
    ags = factory.Sequence(lambda n: f"099{n:05d}"[-8:])
    kind = MunicipalityKind.STADT
    population = 50000
    state = "Bayern"


class AmtFactory(MunicipalityFactory):
    kind = MunicipalityKind.AMT
    name = factory.Sequence(lambda n: f"Amt Test {n}")
    slug = factory.Sequence(lambda n: f"amt-test-{n}")
    state = "Schleswig-Holstein"


class MemberMunicipalityFactory(MunicipalityFactory):
    kind = MunicipalityKind.GEMEINDE
    name = factory.Sequence(lambda n: f"Testdorf {n}")
    slug = factory.Sequence(lambda n: f"testdorf-{n}")
    population = 1200
    parent = factory.SubFactory(AmtFactory)


class OrganisationalUnitFactory(TenantFactory):
    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Fachbereich {n}")
    code = factory.Sequence(lambda n: f"FB {n}")
    kind = UnitKind.FACHBEREICH
    parent = None
    # A team size from the organisation: it bounds the survey codes per wave.
    headcount = 20

    class Meta:
        model = OrganisationalUnit

    _tenant_from = ("parent",)


class BodyFactory(TenantFactory):
    class Meta:
        model = Body

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    kind = BodyKind.AUSSCHUSS


class MembershipFactory(TenantFactory):
    class Meta:
        model = Membership

    _tenant_from = ("unit", "body")

    municipality = factory.SubFactory(MunicipalityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER
    unit = None
    body = None
