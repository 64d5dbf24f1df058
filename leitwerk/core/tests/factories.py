from __future__ import annotations

import factory

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.tests.factories import MunicipalityFactory


class AuditLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditLogEntry

    municipality = factory.SubFactory(MunicipalityFactory)
    action = "test.action"
