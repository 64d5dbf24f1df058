"""Helpers for the sign-in tests (catalogue B2-B8): codes, the password step, fixtures."""

from __future__ import annotations

import re
import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD


def code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an app shows for this device at `at` (default: now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def app_for(user, **extra) -> TOTPDevice:
    """A confirmed authenticator app for this person."""
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True, **extra)


def password_step(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def signed_in(client) -> bool:
    """True when an internal page opens (not the sign-in, not the code step)."""
    response = client.get(reverse("accounts:account"))
    return response.status_code == 200


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
