from __future__ import annotations

import datetime as dt

import factory

from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory
from leitwerk.portal.models import ParticipationOpportunity


class ParticipationOpportunityFactory(TenantFactory):
    class Meta:
        model = ParticipationOpportunity

    _tenant_from = ("initiative",)

    municipality = factory.SubFactory(MunicipalityFactory)
    initiative = None
    title = factory.Sequence(lambda n: f"Bürgerwerkstatt {n}")
    description = "Wir sammeln Ideen für den Stadtpark."
    starts_at = dt.datetime(2026, 5, 20, 16, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2026, 5, 20, 18, 0, tzinfo=dt.UTC)
    location = "Rathaus, Saal 1"
    how_to_take_part = "Kommen Sie einfach vorbei. Eine Anmeldung ist nicht nötig."
    public = True
