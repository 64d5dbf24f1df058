"""The signed-in person of a request without four queries on every request (issue 21).

Every signed-in request needs the person's row, their memberships, the municipalities of
those and whether they have a second factor. Those change rarely, so they are kept in the
shared cache per person, under the person's stamp and the stamp of all municipalities
(`core.stamps`). Every write that changes them renews the stamp, so the very next request
reads them again:

- the model signals below (person saved or deleted: deactivation, password change, last
  sign-in; membership saved or deleted: role change, removal; second factor added or
  removed; any municipality saved or deleted) catch writes from services, allauth, Django's
  own password views and the admin alike;
- the services of "Personen & Rollen" and `privacy.end_sessions` (sign out everywhere) renew
  it explicitly as well (a bulk `update()` sends no signal).

Only when everything agrees is the kept person used: the session names a person and one of
Django's plain model backends, the session's password hash matches the kept one (an HMAC of
the password hash, the same value the session itself holds), the person is active. Anything
else goes through `django.contrib.auth.get_user` unchanged (which flushes a session whose
password hash no longer fits). The password hash itself is not kept: the person's row is
rebuilt without it and Django loads it when something asks (password change form).

On only with a cache that all web processes share (`LEITWERK_SIGNIN_CACHE`, default on when
`CACHE_URL` names Redis or Memcached): a per-process memory cache would not see a renewal
made in another process.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from leitwerk.core import stamps
from leitwerk.municipalities.models import Membership, Municipality
from leitwerk.municipalities.rules import MEMBERSHIPS_ATTR
from leitwerk.municipalities.selectors import TOWNS_ATTR

from .models import User
from .policy import SECOND_FACTOR_ATTR

# A bound, not the invalidation: every change renews the stamp at once.
ENTRY_SECONDS = 15 * 60
_KEPT_FIELDS = [f.attname for f in User._meta.concrete_fields if f.attname != "password"]


def enabled() -> bool:
    return bool(getattr(settings, "LEITWERK_SIGNIN_CACHE", False))


def person_changed(user_id: Any) -> None:
    """The person's account, roles or second factor changed: the next request reads them."""
    if user_id is not None:
        stamps.renew(stamps.person(user_id))


def _key_secret() -> str:
    # Entries made under another SECRET_KEY (a rotation) are never met.
    return hashlib.sha256(f"signin-cache:{settings.SECRET_KEY}".encode()).hexdigest()[:12]


def _has_second_factor_query(user_id: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user_id, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def _build(user_id: Any) -> dict[str, Any] | None:
    user = User._default_manager.filter(pk=user_id).first()
    if user is None:
        return None
    # The person's own roles in every town (the same read as rules.memberships_of).
    memberships = list(
        Membership.objects.filter(user_id=user_id)
        .across_municipalities()
        .values_list("municipality_id", "role", "unit_id")
    )
    towns = list(Municipality.objects.filter(id__in={m[0] for m in memberships}).order_by("name"))
    return {
        "fields": [getattr(user, name) for name in _KEPT_FIELDS],
        "auth_hash": user.get_session_auth_hash(),
        "memberships": memberships,
        "towns": towns,
        "second_factor": _has_second_factor_query(user_id),
    }


def _entry(user_id: Any) -> dict[str, Any] | None:
    person_stamp = stamps.person(user_id)
    current = stamps.current([person_stamp, stamps.MUNICIPALITIES])
    key = (
        f"signin:{_key_secret()}:{user_id}:{current[person_stamp]}:{current[stamps.MUNICIPALITIES]}"
    )
    entry = cache.get(key)
    if entry is None:
        entry = _build(user_id)
        if entry is not None:
            cache.set(key, entry, ENTRY_SECONDS)
    return entry


def _plain_backend(path: str) -> bool:
    """One of the backends whose `get_user` is Django's ModelBackend's: load by id, active only."""
    if path not in settings.AUTHENTICATION_BACKENDS:
        return False
    backend = auth.load_backend(path)
    return (
        isinstance(backend, ModelBackend)
        and type(backend).get_user is ModelBackend.get_user
        and type(backend).user_can_authenticate is ModelBackend.user_can_authenticate
    )


def user_for_request(request: Any) -> Any:
    """What `django.contrib.auth.get_user` answers, from the cache when it safely can."""
    if not enabled():
        return auth.get_user(request)
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return auth.get_user(request)
    if not _plain_backend(backend_path):
        return auth.get_user(request)
    entry = _entry(user_id)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (
        entry is None
        or not session_hash
        or not constant_time_compare(session_hash, entry["auth_hash"])
    ):
        return auth.get_user(request)
    user = User.from_db(DEFAULT_DB_ALIAS, _KEPT_FIELDS, entry["fields"])
    if not user.is_active:
        return auth.get_user(request)
    setattr(user, MEMBERSHIPS_ATTR, entry["memberships"])
    setattr(user, TOWNS_ATTR, entry["towns"])
    setattr(user, SECOND_FACTOR_ATTR, entry["second_factor"])
    return user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` read through the sign-in cache above."""

    def process_request(self, request: Any) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: user_for_request(request))


# ---- Invalidation: cache bookkeeping on every write of the rows kept above (not business
# logic: it decides nothing, it only makes the next request read the rows again). ----


def _person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    person_changed(instance.pk)


def _row_of_person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    person_changed(getattr(instance, "user_id", None))


def _municipality_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    stamps.renew(stamps.MUNICIPALITIES)


def connect() -> None:
    from allauth.mfa.models import Authenticator

    for signal in (post_save, post_delete):
        signal.connect(_person_saved, sender=User, dispatch_uid=f"signin-cache-user-{id(signal)}")
        for model in (Membership, Authenticator):
            signal.connect(
                _row_of_person_saved,
                sender=model,
                dispatch_uid=f"signin-cache-{model._meta.label}-{id(signal)}",
            )
        signal.connect(
            _municipality_saved,
            sender=Municipality,
            dispatch_uid=f"signin-cache-municipality-{id(signal)}",
        )
