"""Leitwerk's sign-in policy on top of django-allauth (catalogue B4, B5, B8).

allauth does the sign-in, the code step, the recovery codes and the password confirmation;
it keeps a record of every way the person authenticated in this session
(`allauth.account.authentication.get_authentication_records`). This module only decides:

- who needs a second factor: Django superusers and staff (the admin at /admin/) and every
  person with the role "admin" in any municipality (`is_privileged`); anybody else once they
  have set up an app;
- whether this session has given it (a "mfa" record), `second_factor_satisfied`;
- whether the password was confirmed *explicitly* in the last LEITWERK_REAUTH_SECONDS (B8):
  unlike allauth's own `did_recently_authenticate`, the sign-in itself does not count;
- when the sign-in finished (absolute lifetime, B4).

`LEITWERK_2FA_ENFORCE_ALL_SESSIONS` (default True) decides whether sessions without any
allauth record (e.g. `Client.force_login`) are held to the second factor too; the test settings
turn it off so that the rest of the suite can use `force_login`, the sign-in tests turn it on.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import memberships_of

LOGIN_AT_KEY = "leitwerk_login_at"
# Set on the request's person by the sign-in cache (signin_cache.py).
SECOND_FACTOR_ATTR = "_leitwerk_has_second_factor"


def is_privileged(user: Any) -> bool:
    """Superusers, staff and municipality admins: their accounts must have a second factor."""
    if getattr(user, "pk", None) is None:
        return False
    if user.is_superuser or user.is_staff:
        return True

    # An admin role in any town requires the second factor for the whole account. The
    # person's memberships are read once per request (and kept by the sign-in cache).
    return any(role == Role.ADMIN for _town, role, _unit in memberships_of(user))


def totp_of(user: Any) -> Authenticator | None:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()


def has_second_factor(user: Any) -> bool:
    """An app (TOTP) or a security key/passkey; recovery codes alone do not count."""
    kept = getattr(user, SECOND_FACTOR_ATTR, None)
    if kept is not None:  # read with the person by the sign-in cache
        return bool(kept)
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def requires_second_factor(user: Any) -> bool:
    """Privileged people always; anybody else once they have set up an app."""
    return is_privileged(user) or has_second_factor(user)


def _records(request: Any) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return []
    return list(get_authentication_records(request, user))


def second_factor_satisfied(request: Any) -> bool:
    """False when a signed-in person who needs a second factor has not given it in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    records = _records(request)
    if any(r.get("method") == "mfa" for r in records):
        return True
    if not getattr(settings, "LEITWERK_2FA_ENFORCE_ALL_SESSIONS", True) and not records:
        return True
    return not requires_second_factor(user)


def reauth_is_recent(request: Any) -> bool:
    """The password was confirmed on purpose within LEITWERK_REAUTH_SECONDS (B8); neither the
    sign-in nor a code given later in the session counts."""
    max_age = getattr(settings, "LEITWERK_REAUTH_SECONDS", 300)
    now = time.time()
    return any(
        r.get("method") == "password"
        and r.get("reauthenticated")
        and now - float(r.get("at", 0)) <= max_age
        for r in _records(request)
    )


def login_started_at(request: Any) -> float | None:
    """When this session's sign-in finished (set by AccountAdapter.post_login); for sessions
    made another way (force_login) the person's last sign-in."""
    started = request.session.get(LOGIN_AT_KEY)
    if started is not None:
        return float(started)
    last_login = getattr(request.user, "last_login", None)
    return last_login.timestamp() if last_login else None
