"""B7: cookie flags – Secure, HttpOnly, SameSite=Lax and the __Host- prefix in production."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from leitwerk.accounts.tests.signin import password_step

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
}


def test_production_defaults_use_secure_host_prefixed_cookies():
    """Catalogue row B7."""
    import config.settings.base as base  # DEBUG is off here, as in production

    assert base.SESSION_COOKIE_SECURE and base.CSRF_COOKIE_SECURE
    assert base.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert base.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert base.SESSION_COOKIE_HTTPONLY is True
    assert base.SESSION_COOKIE_SAMESITE == base.CSRF_COOKIE_SAMESITE == "Lax"


@override_settings(**PRODUCTION)
def test_every_cookie_set_on_sign_in_has_the_flags(viewer, client):
    """Catalogue row B7."""
    seen = {}
    for response in (client.get(reverse("accounts:login")), password_step(client, viewer.email)):
        for name, morsel in response.cookies.items():
            seen[name] = morsel
    assert set(seen) == {"__Host-sessionid", "__Host-csrftoken"}
    for name, morsel in seen.items():
        assert morsel["secure"] is True, name
        assert morsel["samesite"] == "Lax", name
        assert morsel["path"] == "/" and not morsel["domain"], f"{name}: __Host- rules"
    assert seen["__Host-sessionid"]["httponly"] is True
