from __future__ import annotations

import factory

from leitwerk.imports.models import ImportRun
from leitwerk.municipalities.tests.factories import MunicipalityFactory, TenantFactory


class ImportRunFactory(TenantFactory):
    class Meta:
        model = ImportRun

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "plan"
    source_name = factory.Sequence(lambda n: f"aktionsplan-{n}.csv")
    source_hash = factory.Sequence(lambda n: f"{n:064x}")
    result = factory.LazyFunction(dict)
