"""Who may use the API at all; what a person may read or change is decided by the apps' rules.

Every request works in exactly one municipality: the token's (token auth) or the one chosen in
the session (browser). Object rights are checked with `user.has_perm(name, obj)`, the same
named rules the pages use (`plans.record_progress`, `plans.change_initiative`, …).
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, permissions

from .models import ApiToken


def municipality_of(request: Any) -> Any:
    """The municipality this API request works in, or None."""
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        return token.municipality
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # Session: the municipality the middleware chose from the person's memberships.
    municipality = getattr(request._request, "municipality", None)
    return municipality if municipality else None


class MemberOfMunicipality(permissions.BasePermission):
    """Signed in (token or session) and holding a role in the municipality of the request."""

    message = "Sie haben in keiner Kommune eine Rolle; die Schnittstelle zeigt Ihnen nichts."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated(
                "Bitte melden Sie sich an oder senden Sie ein Token (Authorization: Bearer …)."
            )
        token = getattr(request, "auth", None)
        if (
            isinstance(token, ApiToken)
            and token.read_only
            and request.method not in permissions.SAFE_METHODS
        ):
            raise exceptions.PermissionDenied(
                "Dieses Token darf nur lesen. Für Änderungen legen Sie unter „Mein Konto“ → "
                "„API-Zugänge“ ein Token mit Schreibrecht an."
            )
        return municipality_of(request) is not None


def require_perm(request: Any, perm: str, obj: Any, message: str) -> None:
    """403 with a German sentence when the person lacks `perm` on `obj`."""
    if not request.user.has_perm(perm, obj):
        raise exceptions.PermissionDenied(message)
