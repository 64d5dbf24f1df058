from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Membership, Municipality

SESSION_KEY = "leitwerk_municipality_id"
# The municipalities of the person's memberships in name order, set on the request's person
# by the sign-in cache (accounts.signin_cache); absent, they are read here.
TOWNS_ATTR = "_leitwerk_municipalities"


def municipalities_for_user(*, user: Any) -> list[Municipality]:
    """The municipalities a person holds a role in, in name order."""
    if not getattr(user, "is_authenticated", False):
        return []
    kept = getattr(user, TOWNS_ATTR, None)
    if kept is not None:  # read with the person by the sign-in cache, in name order
        return list(kept)
    # Spans towns on purpose: the person's own memberships decide where they may work.
    ids = Membership.objects.filter(user=user).across_municipalities().values("municipality_id")
    return list(Municipality.objects.filter(id__in=ids).order_by("name"))


def municipality_current_for_request(*, request: HttpRequest) -> Municipality | None:
    """The municipality chosen in the session, else the person's first; None without any."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    kept: list[Municipality] | None = getattr(user, TOWNS_ATTR, None)
    if kept is not None:  # the person's towns in name order, from the sign-in cache
        for municipality in kept:
            if municipality.pk == chosen:
                return municipality
        return kept[0] if kept else None
    memberships = (
        Membership.objects.filter(user=user).across_municipalities().select_related("municipality")
    )
    if chosen is not None:
        for membership in memberships:
            if membership.municipality_id == chosen:
                return membership.municipality
    first = memberships.order_by("municipality__name").first()
    return first.municipality if first else None


def roles_for_user(*, user: Any, municipality: Municipality) -> set[str]:
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return set()
    return set(
        Membership.objects.filter(user=user, municipality=municipality).values_list(
            "role", flat=True
        )
    )
