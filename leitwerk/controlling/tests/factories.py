from __future__ import annotations

import datetime as dt

import factory

from leitwerk.core.status import Health
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.plans.models import Measurement, StatusReport
from leitwerk.plans.tests.factories import IndicatorFactory, InitiativeFactory


class MeasurementFactory(TenantFactory):
    class Meta:
        model = Measurement

    _tenant_from = ("indicator",)

    municipality = factory.SubFactory(MunicipalityFactory)
    indicator = factory.SubFactory(IndicatorFactory, municipality=same_tenant())
    measured_on = dt.date(2026, 3, 31)
    value = 20


class StatusReportFactory(TenantFactory):
    class Meta:
        model = StatusReport

    _tenant_from = ("initiative",)

    municipality = factory.SubFactory(MunicipalityFactory)
    initiative = factory.SubFactory(InitiativeFactory, municipality=same_tenant())
    period_label = "Q1 2026"
    reported_on = dt.date(2026, 3, 31)
    health = Health.ON_TRACK
    text = "Arbeiten laufen wie geplant."
