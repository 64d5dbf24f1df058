"""The municipality's admin configures single sign-on and checks it against a real provider."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.accounts.models import IdentityProvider
from leitwerk.core.models import AuditLogEntry
from leitwerk.testing.oidc_provider import running_identity_provider

SECRET_ENV = "LEITWERK_OIDC_SECRET_MUSTERSTADT"


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    with running_identity_provider(
        tmp_path_factory.mktemp("op"),
        client_id="leitwerk-musterstadt",
        client_secret="op-test-secret-" + "z" * 30,
        redirect_uri="http://testserver/konto/oidc/musterstadt/login/callback/",
        users={"alice": ["alice@musterstadt.de", "alice-im-verzeichnis"]},
    ) as provider:
        yield provider


def _settings(issuer: str, **extra) -> dict:
    data = {
        "name": "Stadtverwaltung",
        "issuer": issuer,
        "client_id": "leitwerk-musterstadt",
        "secret_env": SECRET_ENV,
        "scopes": "openid profile email groups",
        "groups_claim": "groups",
        "group_roles": "leitwerk-strategie = strategy\nleitwerk-lesen = viewer",
        "email_domains": "musterstadt.de",
        "enabled": "on",
    }
    data.update(extra)
    return data


def test_the_admin_saves_the_provider_with_a_group_map(admin_user, client_for, musterstadt):
    response = client_for(admin_user).post(
        reverse("administration:sso"), _settings("https://login.musterstadt.de/realms/rathaus")
    )
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(municipality=musterstadt)
    assert provider.group_roles == {"leitwerk-strategie": "strategy", "leitwerk-lesen": "viewer"}
    assert provider.enabled and provider.slug == "musterstadt"
    assert AuditLogEntry.objects.filter(action="identity_provider.create").exists()
    page = client_for(admin_user).get(reverse("administration:sso")).content.decode()
    assert "leitwerk-lesen = viewer" in page


def test_an_unknown_role_is_refused_naming_the_field(admin_user, client_for):
    page = client_for(admin_user).post(
        reverse("administration:sso"),
        _settings("https://login.example/", group_roles="alle = chef"),
    )
    assert page.status_code == 422
    assert "Unbekannte Rolle bei alle → chef" in page.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_malformed_map_line_is_refused(admin_user, client_for):
    page = client_for(admin_user).post(
        reverse("administration:sso"), _settings("https://login.example/", group_roles="nur so")
    )
    assert page.status_code == 422
    assert "Zeile 1" in page.content.decode()


def test_verbindung_pruefen_reads_discovery_and_keys_of_the_real_provider(
    identity_provider, admin_user, client_for, monkeypatch
):
    monkeypatch.setenv(SECRET_ENV, "gesetzt")
    client = client_for(admin_user)
    client.post(reverse("administration:sso"), _settings(identity_provider.issuer))
    page = client.post(reverse("administration:sso_check")).content.decode()
    assert "alles in Ordnung" in page
    assert "Schlüssel gefunden" in page


def test_verbindung_pruefen_names_a_wrong_issuer_and_a_missing_secret(
    identity_provider, admin_user, client_for, monkeypatch
):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    client = client_for(admin_user)
    client.post(reverse("administration:sso"), _settings(identity_provider.issuer + "/"))
    IdentityProvider.objects.update(issuer=identity_provider.issuer + "x")
    page = client.post(reverse("administration:sso_check")).content.decode()
    assert "bitte nachbessern" in page
    assert "nicht lesbar" in page or "genau gleich" in page
    assert f"{SECRET_ENV} fehlt" in page


def test_only_the_admin_configures_sso(strategy_user, client_for):
    client = client_for(strategy_user)
    assert client.get(reverse("administration:sso")).status_code == 403
    assert client.post(reverse("administration:sso_check")).status_code == 403
