"""django-allauth hooks: no open sign-up, German messages, Leitwerk's sign-in stages, roles
from the identity provider, tenant in session.

allauth runs the password sign-in, the code step (allauth.mfa) and the sign-in through a
municipality's identity provider (`oidc.py`). Leitwerk's rules: who needs a second factor
(`policy.py`, `mfa.EnrolStage`), business rules of single sign-on in
`municipalities.services.user_sign_in_from_oidc`; these hooks only call them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from leitwerk.core import ratelimit
from leitwerk.core.audit import audit
from leitwerk.municipalities.selectors import SESSION_KEY
from leitwerk.municipalities.services import OidcSignInDenied, user_sign_in_from_oidc

from .models import IdentityProvider
from .oidc import claims_of, enabled_providers, groups_of, social_app_for
from .policy import LOGIN_AT_KEY
from .signals import client_ip

logger = logging.getLogger("leitwerk.security")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("E-Mail-Adresse oder Passwort stimmen nicht."),
        "incorrect_password": _("Das Passwort stimmt nicht."),
        "too_many_login_attempts": _(
            "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody registers themselves: people come from an administrator or their Verwaltung.
        return False

    def add_message(self, *args: Any, **kwargs: Any) -> None:
        # allauth's "signed in as …" notes: Leitwerk's pages say what matters themselves, and a
        # messages cookie would be one more cookie at sign-in (B7).
        return None

    def get_login_stages(self) -> list[str]:
        # After allauth's code step: privileged people without an app set one up (B5).
        return [*super().get_login_stages(), "leitwerk.accounts.mfa.EnrolStage"]

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        # L4: a ceiling per client address across all names, above axes' per-pair lock.
        spraying = {
            "scope": "signin-failures-client",
            "key": client_ip(request) or "",
            "limit": settings.LEITWERK_SIGNIN_FAILURES_PER_CLIENT,
            "window": settings.LEITWERK_SIGNIN_FAILURES_WINDOW,
        }
        if ratelimit.exceeded(**spraying):
            if ratelimit.hit(**{**spraying, "scope": "signin-lockout-logged", "limit": 1}):
                audit(actor=None, action="accounts.lockout_client", data={})  # once a window
            raise ImmediateHttpResponse(
                render(
                    request,
                    "accounts/lockout_client.html",
                    {"minutes": settings.LEITWERK_SIGNIN_FAILURES_WINDOW // 60},
                    status=429,
                )
            )
        user = super().authenticate(request, **credentials)
        if user is None:
            ratelimit.hit(**spraying)
        # allauth hands on a deactivated person with the right password (to show its
        # "account inactive" page); here they look like a wrong password, as before (B3).
        return user if user is None or user.is_active else None

    def reauthenticate(self, user: Any, password: str) -> bool:
        # Through authenticate() with the address, so django-axes counts wrong passwords (B8);
        # allauth's default looks the address up in its EmailAddress table, which we do not fill.
        found = self.authenticate(context.request, email=user.email, password=password)
        return found is not None and found.pk == user.pk

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        # The absolute lifetime of this sign-in counts from now (B4, policy.login_started_at).
        request.session[LOGIN_AT_KEY] = int(time.time())
        methods = {r.get("method") for r in get_authentication_records(request, user)}
        if "password" in methods:
            audit(
                actor=user,
                action="accounts.login",
                data={"method": "password", "second_factor": "mfa" in methods},
            )
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
