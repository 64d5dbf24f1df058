from __future__ import annotations

import factory

from leitwerk.guidelines.models import (
    GuidelineDocument,
    GuidelineKind,
    GuidelineSection,
    GuidelineStatus,
    Statement,
    StatementKind,
)
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory, same_tenant


class GuidelineDocumentFactory(TenantFactory):
    class Meta:
        model = GuidelineDocument

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Leitbild {n}")
    kind = GuidelineKind.LEITBILD
    status = GuidelineStatus.ADOPTED
    preamble = "Wir arbeiten für die Menschen in unserer Stadt."


class GuidelineSectionFactory(TenantFactory):
    class Meta:
        model = GuidelineSection

    _tenant_from = ("document",)

    municipality = factory.SubFactory(MunicipalityFactory)
    document = factory.SubFactory(GuidelineDocumentFactory, municipality=same_tenant())
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Abschnitt {n}")
    order = factory.Sequence(lambda n: n)


class StatementFactory(TenantFactory):
    class Meta:
        model = Statement

    _tenant_from = ("section",)

    municipality = factory.SubFactory(MunicipalityFactory)
    section = factory.SubFactory(GuidelineSectionFactory, municipality=same_tenant())
    kind = StatementKind.WIR
    text = factory.Sequence(lambda n: f"Wir handeln verlässlich (Aussage {n}).")
    order = factory.Sequence(lambda n: n)
