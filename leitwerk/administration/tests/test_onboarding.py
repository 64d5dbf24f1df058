"""The operator onboards a municipality from the Gemeindeverzeichnis, without the command line."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from leitwerk.accounts.models import Invitation
from leitwerk.accounts.tests.factories import SuperUserFactory
from leitwerk.municipalities.models import Membership, Municipality, MunicipalityKind, Role
from leitwerk.municipalities.tests.factories import MunicipalityFactory
from leitwerk.network.models import RegistryMunicipality


@pytest.fixture
def operator(db):
    return SuperUserFactory(email="betrieb@leitwerk.test")


@pytest.fixture
def registry(db):
    return RegistryMunicipality.objects.create(
        ags="13071107", name="Neustrelitz", state="Mecklenburg-Vorpommern", population=20000
    )


def test_the_operator_finds_a_municipality_by_name_or_ags(operator, registry, client_for):
    client = client_for(operator)
    assert (
        "13071107"
        in client.get(reverse("administration:onboard"), {"q": "strelitz"}).content.decode()
    )
    assert (
        "Neustrelitz"
        in client.get(reverse("administration:onboard"), {"q": "130711"}).content.decode()
    )


def test_taking_a_registry_entry_fills_the_form(operator, registry, client_for):
    page = (
        client_for(operator)
        .get(reverse("administration:onboard"), {"q": "Neu", "eintrag": registry.pk})
        .content.decode()
    )
    assert 'value="neustrelitz"' in page and 'value="13071107"' in page


def test_onboarding_creates_the_municipality_in_its_amt_and_invites_its_admin(
    operator, client_for, django_capture_on_commit_callbacks
):
    amt = MunicipalityFactory(name="Amt Seenland", slug="amt-seenland", kind=MunicipalityKind.AMT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(
            reverse("administration:onboard"),
            {
                "name": "Neustadt",
                "slug": "neustadt",
                "ags": "13071999",
                "kind": MunicipalityKind.GEMEINDE,
                "parent": amt.pk,
                "population": "4200",
                "state": "Mecklenburg-Vorpommern",
                "admin_email": "admin@neustadt.example",
            },
        )
    assert response.status_code == 302
    neustadt = Municipality.objects.get(slug="neustadt")
    assert neustadt.parent == amt and neustadt.population == 4200
    membership = Membership.objects.get(municipality=neustadt)
    assert membership.role == Role.ADMIN and membership.user.email == "admin@neustadt.example"
    assert Invitation.objects.filter(municipality=neustadt).exists()
    assert mail.outbox[-1].to == ["admin@neustadt.example"]


def test_a_taken_short_name_is_refused_and_nothing_is_created(operator, musterstadt, client_for):
    page = client_for(operator).post(
        reverse("administration:onboard"),
        {
            "name": "Musterstadt 2",
            "slug": "musterstadt",
            "kind": "stadt",
            "admin_email": "a@b.example",
        },
    )
    assert page.status_code == 422
    assert "Kurznamen" in page.content.decode()
    assert not Invitation.objects.exists()


def test_the_bundled_registry_loads_from_the_page(operator, client_for):
    response = client_for(operator).post(reverse("administration:registry_load"))
    assert response.status_code == 302
    assert RegistryMunicipality.objects.count() > 100


def test_a_municipal_admin_cannot_onboard(admin_user, client_for):
    client = client_for(admin_user)
    assert client.get(reverse("administration:onboard")).status_code == 404
    assert client.post(reverse("administration:registry_load")).status_code == 404
    assert not RegistryMunicipality.objects.exists()


def test_the_operator_sees_the_link_in_the_header(operator, client_for):
    page = client_for(operator).get(reverse("accounts:account")).content.decode()
    assert reverse("administration:onboard") in page
