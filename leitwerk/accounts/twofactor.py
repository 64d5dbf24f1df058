"""Who needs a second factor, and whether this request's sign-in has one (catalogue B5).

The second factor is a TOTP app (django-otp's TOTPDevice), with one-time backup codes
(StaticDevice) for a lost phone. It is required for everybody who can change people, roles or
the whole installation: Django superusers and staff (the admin at /admin/) and every person with
the role "admin" in any municipality. Anybody else may switch it on in „Mein Konto“; once a
person has a confirmed device, the sign-in asks for it as well.

Enforcement has two layers:

1. The password sign-in (views.LoginView) never calls `login()` for such a person before the
   code is checked: until then the session only holds a short-lived "pending" entry.
2. `AccountSecurityMiddleware` (and the admin site) refuse a signed-in session of such a person
   that is not OTP-verified, e.g. one that existed before the person became an admin, or one
   made by another sign-in route. `LEITWERK_2FA_ENFORCE_ALL_SESSIONS` (default True) decides
   whether sessions that did not come from the password sign-in (no PASSWORD_LOGIN_KEY) are
   refused too; the test settings turn it off so that `Client.force_login` keeps working in the
   rest of the suite, and the tests of this module turn it on again.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "leitwerk_2fa_pending"
PASSWORD_LOGIN_KEY = "leitwerk_password_login"  # noqa: S105 - a session key name
LOGIN_AT_KEY = "leitwerk_login_at"
REAUTH_KEY = "leitwerk_reauth_at"
BACKUP_CODES_KEY = "leitwerk_backup_codes_once"


def is_privileged(user: Any) -> bool:
    """Superusers, staff and municipality admins: their accounts must have a second factor."""
    if getattr(user, "pk", None) is None:
        return False
    if user.is_superuser or user.is_staff:
        return True
    from leitwerk.municipalities.models import Membership, Role

    # An admin role in any town requires the second factor for the whole account.
    return Membership.objects.filter(user=user, role=Role.ADMIN).across_municipalities().exists()


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def requires_second_factor(user: Any) -> bool:
    """Privileged people always; anybody else once they have set up an app."""
    return is_privileged(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: Any) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def second_factor_satisfied(request: Any) -> bool:
    """False when a signed-in person who needs a second factor has not given it in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    if getattr(user, "is_verified", lambda: False)():
        return True
    if not getattr(settings, "LEITWERK_2FA_ENFORCE_ALL_SESSIONS", True) and not (
        request.session.get(PASSWORD_LOGIN_KEY)
    ):
        return True
    return not requires_second_factor(user)


# ---------------------------------------------------------------- the pending password sign-in


def pending_start(request: Any, user: Any, *, next_url: str) -> None:
    """Password was right; remember who, until the code is given (at most a few minutes)."""
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "since": int(time.time()),
        "next": next_url,
    }


def pending_get(request: Any) -> tuple[Any, dict] | None:
    """(user, pending entry) of a password sign-in waiting for its code, or None."""
    entry = request.session.get(PENDING_KEY)
    if not entry:
        return None
    max_age = getattr(settings, "LEITWERK_2FA_PENDING_SECONDS", 300)
    if time.time() - entry.get("since", 0) > max_age:
        del request.session[PENDING_KEY]
        return None
    user = get_user_model().objects.filter(pk=entry["user_id"], is_active=True).first()
    if user is None:
        del request.session[PENDING_KEY]
        return None
    return user, entry


def pending_clear(request: Any) -> None:
    request.session.pop(PENDING_KEY, None)


def reauth_mark(request: Any) -> None:
    request.session[REAUTH_KEY] = int(time.time())


def reauth_is_recent(request: Any) -> bool:
    at = request.session.get(REAUTH_KEY)
    max_age = getattr(settings, "LEITWERK_REAUTH_SECONDS", 300)
    return at is not None and time.time() - at <= max_age
