"""django-allauth hooks: no open sign-up, roles from the identity provider, tenant in session.

allauth only handles sign-in through a municipality's identity provider here (`oidc.py`); the
password login is Leitwerk's own view. Business rules live in
`municipalities.services.user_sign_in_from_oidc`; these hooks only call it.
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest
from django.shortcuts import render

from leitwerk.municipalities.selectors import SESSION_KEY
from leitwerk.municipalities.services import OidcSignInDenied, user_sign_in_from_oidc

from .models import IdentityProvider
from .oidc import claims_of, enabled_providers, groups_of, social_app_for

logger = logging.getLogger("leitwerk.security")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody registers themselves: people come from an administrator or their Verwaltung.
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            # The provider's Kennung is unique across towns and tells which town signed in.
            provider = (
                IdentityProvider.objects.filter(slug=sociallogin.account.provider)
                .across_municipalities()
                .first()
            )
            if provider is not None:
                # Signed in through Musterstadt's Verwaltung: work in Musterstadt.
                request.session[SESSION_KEY] = provider.municipality_id
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # pre_social_login links or creates the person itself; allauth's sign-up form never shows.
        return False

    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """One OpenID Connect app per enabled municipality; allauth's own app table is unused."""
        apps = []
        for row in enabled_providers():
            app = social_app_for(row)
            if provider not in (None, app.provider, app.provider_id):
                continue
            if client_id is not None and app.client_id != client_id:
                continue
            apps.append(app)
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = (
            IdentityProvider.objects.filter(slug=sociallogin.account.provider, enabled=True)
            .across_municipalities()  # the Kennung tells the town (unique across towns)
            .select_related("municipality")
            .first()
        )
        if provider is None:  # switched off between redirect and callback
            raise ImmediateHttpResponse(
                render(request, "socialaccount/authentication_error.html", status=403)
            )
        claims = claims_of(sociallogin)
        try:
            user = user_sign_in_from_oidc(
                municipality=provider.municipality,
                provider=provider.slug,
                claims=claims,
                groups=groups_of(claims, provider.groups_claim),
                group_roles=provider.group_roles,
                email_domains=provider.domains,
                linked_user=sociallogin.user if sociallogin.is_existing else None,
            )
        except OidcSignInDenied as denied:
            logger.warning(
                "oidc_sign_in_denied",
                extra={"provider": provider.slug, "municipality": provider.municipality_id},
            )
            raise ImmediateHttpResponse(
                render(
                    request,
                    "accounts/oidc_denied.html",
                    {"message": str(denied), "identity_provider": provider},
                    status=403,
                )
            ) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        logger.warning(
            "oidc_authentication_error",
            extra={
                "provider": getattr(getattr(provider, "app", None), "provider_id", ""),
                "error": str(error),
                "exception": type(exception).__name__ if exception else "",
            },
        )
