"""Multi-tenancy by construction: every domain row carries its municipality."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from leitwerk.core.models import TenantModel
from leitwerk.municipalities.models import Municipality, OrganisationalUnit

# Rows that are not owned by one municipality, each for a stated reason.
NOT_TENANT_OWNED = {
    "municipalities.Municipality": "the tenant itself",
    "accounts.User": "a person may hold roles in several municipalities (Membership is tenant-owned)",
    "core.AuditLogEntry": "also records actions without a tenant; carries a nullable municipality",
    "network.Network": "a network spans municipalities by definition",
    "network.RegistryMunicipality": "the public German municipality directory",
    "network.BenchmarkDefinition": "a shared indicator definition is the same for every participant",
}


def domain_models():
    for model in apps.get_models():
        if model.__module__.startswith("leitwerk.") and not model.__name__.startswith("Historical"):
            yield model


def test_every_domain_model_belongs_to_a_municipality():
    untenanted = [
        m._meta.label
        for m in domain_models()
        if not issubclass(m, TenantModel) and m._meta.label not in NOT_TENANT_OWNED
    ]
    assert untenanted == []


@pytest.mark.django_db
def test_links_across_municipalities_are_refused():
    a = Municipality.objects.create(name="A", slug="a")
    b = Municipality.objects.create(name="B", slug="b")
    parent = OrganisationalUnit.objects.create(municipality=a, name="Dezernat I")
    child = OrganisationalUnit(municipality=b, name="FB 1", parent=parent)
    with pytest.raises(ValidationError, match="anderen Kommune"):
        child.full_clean()
