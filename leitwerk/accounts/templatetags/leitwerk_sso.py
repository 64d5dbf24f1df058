"""The sign-in choices through a municipality's identity provider, for the login page."""

from __future__ import annotations

from django import template

from leitwerk.accounts.models import IdentityProvider
from leitwerk.accounts.oidc import sso_choices_for_login_page

register = template.Library()


@register.simple_tag
def sso_choices() -> list[IdentityProvider]:
    return sso_choices_for_login_page()
