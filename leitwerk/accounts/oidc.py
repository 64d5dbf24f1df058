"""Sign-in through the municipality's identity provider (OpenID Connect, django-allauth).

Each `IdentityProvider` row becomes one allauth `SocialApp` of the generic `openid_connect`
provider (built in memory by `adapters.SocialAccountAdapter.list_apps`, never stored), so every
municipality can have its own Keycloak, AD FS or Entra ID. Only the login and callback routes of
that provider are mounted (`oidc_urls.py`); the views below wrap allauth's with two checks the
generic provider leaves out: the issuer must be exactly the configured one, and the ID token's
signature is always verified against the provider's published keys (JWKS).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from requests import RequestException

from .models import IdentityProvider

logger = logging.getLogger("leitwerk.security")


def social_app_for(provider: IdentityProvider) -> SocialApp:
    """The allauth app for one municipality's identity provider (not saved)."""
    return SocialApp(
        provider="openid_connect",
        provider_id=provider.slug,
        name=provider.name,
        client_id=provider.client_id,
        secret=os.environ.get(provider.secret_env, ""),
        settings={
            "server_url": provider.issuer,
            "leitwerk_issuer": provider.issuer,
            "oauth_pkce_enabled": True,
            "fetch_userinfo": True,
            "scope": provider.scopes.split(),
        },
    )


def enabled_providers() -> list[IdentityProvider]:
    # The sign-in page offers every town's Verwaltung account: before sign-in there is no town.
    return list(
        IdentityProvider.objects.filter(enabled=True)
        .across_municipalities()
        .select_related("municipality")
    )


def sso_choices_for_login_page() -> list[IdentityProvider]:
    """The municipalities whose people can sign in with their Verwaltung's account."""
    return sorted(enabled_providers(), key=lambda p: p.municipality.name)


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """The ID token's claims, completed by the userinfo answer (ID token wins for groups)."""
    data = sociallogin.account.extra_data or {}
    userinfo = data.get("userinfo") or {}
    id_token = data.get("id_token") or {}
    return {**userinfo, **id_token} if id_token or userinfo else dict(data)


def groups_of(claims: dict[str, Any], claim: str) -> list[str]:
    """The group names in `claim`; Keycloak may send paths (/leitwerk/strategie), both count."""
    value = claims.get(claim)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    groups: set[str] = set()
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str) and item:
            groups.add(item)
            if item.startswith("/"):
                groups.add(item.rsplit("/", 1)[-1])
    return sorted(groups)


class LeitwerkOIDCAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OIDC adapter, strict about the issuer and the ID token's signature."""

    @property
    def openid_config(self) -> dict[str, Any]:
        config = super().openid_config
        expected = self.get_provider().app.settings["leitwerk_issuer"]
        if config.get("issuer") != expected:
            raise OAuth2Error(
                f"Issuer mismatch: discovery says {config.get('issuer')!r}, expected {expected!r}"
            )
        return config

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=app.settings["leitwerk_issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


def _unavailable(request: HttpRequest, provider_id: str) -> HttpResponse:
    # The Kennung in the URL is unique across towns: the error page names its Verwaltung.
    provider = IdentityProvider.objects.filter(slug=provider_id).across_municipalities().first()
    return render(
        request,
        "socialaccount/authentication_error.html",
        {"unavailable": True, "identity_provider": provider},
        status=502,
    )


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """POST: off to the identity provider. GET: a page with the button (no sign-in on GET)."""
    try:
        view = OAuth2LoginView.adapter_view(LeitwerkOIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except (OAuth2Error, RequestException):
        return _unavailable(request, provider_id)


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2CallbackView.adapter_view(LeitwerkOIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except (OAuth2Error, RequestException) as error:
        # allauth asks for the provider's endpoints before its own error handling starts:
        # a wrong issuer or an unreachable provider ends here.
        logger.warning(
            "oidc_callback_refused",
            extra={"provider": provider_id, "exception": type(error).__name__},
        )
        return render(request, "socialaccount/authentication_error.html", status=401)


@login_not_required
def cancelled(request: HttpRequest) -> HttpResponse:
    return render(request, "socialaccount/login_cancelled.html")


def connection_check(provider: IdentityProvider) -> list[tuple[str, bool, str]]:
    """„Verbindung prüfen“: fetches the discovery document and the signing keys (JWKS).

    Each line: what was checked, passed or not, and a German sentence. Only http(s) addresses,
    short timeouts, no redirects and small answers: the issuer is typed by an admin.
    """
    results: list[tuple[str, bool, str]] = []
    issuer = provider.issuer.rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        return [("Aussteller", False, "Die Adresse muss mit https:// beginnen.")]

    def fetch(url: str) -> dict[str, Any]:
        response = requests.get(url, timeout=5, allow_redirects=False, stream=True)
        body = response.raw.read(256 * 1024, decode_content=True)
        response.close()
        if response.status_code != 200:
            raise ValueError(f"Antwort {response.status_code}")
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("keine JSON-Daten")
        return data

    results.extend(_discovery_and_keys(provider, issuer, fetch))
    secret_set = bool(os.environ.get(provider.secret_env, ""))
    results.append(
        (
            "Client-Secret",
            secret_set,
            f"Die Umgebungsvariable {provider.secret_env} ist gesetzt."
            if secret_set
            else f"Die Umgebungsvariable {provider.secret_env} fehlt auf dem Server; bitte den "
            "Betrieb, sie zu setzen.",
        )
    )
    return results


def _discovery_and_keys(
    provider: IdentityProvider, issuer: str, fetch: Any
) -> list[tuple[str, bool, str]]:
    results: list[tuple[str, bool, str]] = []
    discovery_url = f"{issuer}/.well-known/openid-configuration"
    try:
        discovery = fetch(discovery_url)
    except (RequestException, ValueError) as error:
        return [("Discovery-Dokument", False, f"{discovery_url} nicht lesbar: {error}.")]
    results.append(("Discovery-Dokument", True, f"{discovery_url} gelesen."))
    if str(discovery.get("issuer", "")).rstrip("/") != issuer:
        results.append(
            (
                "Aussteller",
                False,
                f"Der Anbieter nennt sich „{discovery.get('issuer', '')}“, eingetragen ist "
                f"„{provider.issuer}“. Beide müssen genau gleich sein.",
            )
        )
    else:
        results.append(("Aussteller", True, "Stimmt mit dem eingetragenen überein."))
    jwks_uri = str(discovery.get("jwks_uri", ""))
    try:
        keys = fetch(jwks_uri).get("keys", []) if jwks_uri else []
    except (RequestException, ValueError) as error:
        results.append(("Signaturschlüssel (JWKS)", False, f"{jwks_uri} nicht lesbar: {error}."))
    else:
        results.append(
            (
                "Signaturschlüssel (JWKS)",
                bool(keys),
                f"{len(keys)} Schlüssel gefunden." if keys else "Keine Schlüssel veröffentlicht.",
            )
        )
    return results
