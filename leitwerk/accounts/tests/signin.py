"""Helpers for the sign-in tests (catalogue B2-B8): codes, the password step, fixtures."""

from __future__ import annotations

import re
import time
from base64 import b32encode
from secrets import token_bytes

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD


def secret_of(app: Authenticator) -> str:
    return app.data["secret"]


def code(app: Authenticator | str, at: float | None = None) -> str:
    """The code an app shows for this authenticator (or base32 secret) at `at` (default: now)."""
    secret = app if isinstance(app, str) else secret_of(app)
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))


def app_for(user) -> Authenticator:
    """A set-up authenticator app (allauth.mfa TOTP) for this person."""
    secret = b32encode(token_bytes(20)).decode()
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )


def password_step(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"login": email, "password": password}, **extra)


def signed_in(client) -> bool:
    """True when an internal page opens (not the sign-in, not the code step)."""
    response = client.get(reverse("accounts:account"))
    return response.status_code == 200


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
