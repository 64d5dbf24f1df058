from __future__ import annotations

import datetime as dt

import factory

from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant
from leitwerk.plans.tests.factories import ActionPlanFactory
from leitwerk.reports.models import Report, ReportFormat


class ReportFactory(TenantFactory):
    class Meta:
        model = Report

    _tenant_from = ("plan",)

    municipality = factory.SubFactory(MunicipalityFactory)
    plan = factory.SubFactory(ActionPlanFactory, municipality=same_tenant())
    title = factory.Sequence(lambda n: f"Sachstandsbericht {n}")
    format = ReportFormat.PDF
    as_of = dt.date(2026, 3, 31)
