from __future__ import annotations

import datetime as dt
import hashlib

import factory

from leitwerk.feedback.models import (
    Answer,
    AnswerAggregate,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Response,
    Service,
    Suggestion,
    SuggestionStatus,
    Survey,
    SurveyCode,
    SurveyIndicatorBinding,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.plans.models import IndicatorKind
from leitwerk.plans.tests.factories import IndicatorFactory


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


def make_open_survey(municipality, *, locations=(), k: int | None = None, title="Bürgeramt"):
    """A citizen survey with the core questions and a running wave."""
    from leitwerk.feedback import services

    survey = services.survey_create(
        municipality=municipality,
        actor=None,
        title=title,
        locations=list(locations),
        min_group_size=k,
    )
    services.wave_open(survey=survey, actor=None, label="2026-1", today=dt.date(2026, 3, 1))
    return survey


class QuestionFactory(TenantFactory):
    class Meta:
        model = Question

    _tenant_from = ("survey",)

    municipality = factory.SubFactory(MunicipalityFactory)
    survey = factory.SubFactory(SurveyFactory, municipality=same_tenant())
    text = factory.Sequence(lambda n: f"Wie zufrieden sind Sie (Frage {n})?")
    kind = QuestionKind.SCALE_5
    order = factory.Sequence(lambda n: n)


class WaveFactory(TenantFactory):
    class Meta:
        model = Wave

    _tenant_from = ("survey",)

    municipality = factory.SubFactory(MunicipalityFactory)
    survey = factory.SubFactory(SurveyFactory, municipality=same_tenant())
    label = factory.Sequence(lambda n: f"Welle {n + 1}")
    status = WaveStatus.OPEN
    opened_on = dt.date(2026, 1, 15)


class ResponseFactory(TenantFactory):
    class Meta:
        model = Response

    _tenant_from = ("wave",)

    municipality = factory.SubFactory(MunicipalityFactory)
    wave = factory.SubFactory(WaveFactory, municipality=same_tenant())


class AnswerFactory(TenantFactory):
    class Meta:
        model = Answer

    _tenant_from = ("response",)

    municipality = factory.SubFactory(MunicipalityFactory)
    response = factory.SubFactory(ResponseFactory, municipality=same_tenant())
    # The question belongs to the same survey as the response's wave.
    question = factory.SubFactory(
        QuestionFactory,
        municipality=same_tenant(),
        survey=factory.SelfAttribute("..response.wave.survey"),
    )
    value = 4


class AnswerAggregateFactory(TenantFactory):
    class Meta:
        model = AnswerAggregate

    _tenant_from = ("wave",)

    municipality = factory.SubFactory(MunicipalityFactory)
    wave = factory.SubFactory(
        WaveFactory, municipality=same_tenant(), status="closed", closed_on=dt.date(2026, 3, 31)
    )
    question = None
    count = 12


class SurveyCodeFactory(TenantFactory):
    class Meta:
        model = SurveyCode

    _tenant_from = ("wave",)

    municipality = factory.SubFactory(MunicipalityFactory)
    wave = factory.SubFactory(WaveFactory, municipality=same_tenant())
    code_hash = factory.Sequence(lambda n: hashlib.sha256(f"code-{n}".encode()).hexdigest())
    issued_on = dt.date(2026, 1, 15)


class SurveyIndicatorBindingFactory(TenantFactory):
    class Meta:
        model = SurveyIndicatorBinding

    _tenant_from = ("survey", "indicator")

    municipality = factory.SubFactory(MunicipalityFactory)
    survey = factory.SubFactory(SurveyFactory, municipality=same_tenant())
    indicator = factory.SubFactory(
        IndicatorFactory, municipality=same_tenant(), kind=IndicatorKind.SURVEY
    )
    measure = IndicatorMeasure.MEAN
