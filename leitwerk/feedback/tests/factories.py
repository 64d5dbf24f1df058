from __future__ import annotations

import datetime as dt

import factory

from leitwerk.feedback.models import (
    Location,
    Service,
    Suggestion,
    SuggestionStatus,
    Survey,
    SurveyKind,
    SurveyStatus,
)
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory


class ServiceFactory(TenantFactory):
    class Meta:
        model = Service

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Leistung {n}")
    leika_key = factory.Sequence(lambda n: f"99{n:012d}")


class LocationFactory(TenantFactory):
    class Meta:
        model = Location

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Bürgeramt {n}")


class SurveyFactory(TenantFactory):
    class Meta:
        model = Survey

    _tenant_from = ("service", "guideline")

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Umfrage {n}")
    kind = SurveyKind.CITIZEN
    status = SurveyStatus.OPEN
    opens_on = dt.date(2026, 1, 1)
    closes_on = dt.date(2026, 12, 31)


class SuggestionFactory(TenantFactory):
    class Meta:
        model = Suggestion

    _tenant_from = ("unit",)

    municipality = factory.SubFactory(MunicipalityFactory)
    category = "Anregung"
    text = factory.Sequence(lambda n: f"Bitte längere Öffnungszeiten ({n}).")
    status = SuggestionStatus.NEW
    due_on = dt.date(2026, 4, 30)
