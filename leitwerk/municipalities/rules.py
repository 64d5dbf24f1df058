"""Shared permission predicates. Every app builds its named rules from these.

Predicates receive `(user, obj)`, where `obj` is a tenant row or a Municipality. A person's
memberships are read once per user object and cached on it, so checking many rows in a list
costs no extra queries.
"""

from __future__ import annotations

from typing import Any

import rules

from leitwerk.municipalities.models import Membership, Municipality, Role

_CACHE_ATTR = "_leitwerk_memberships"
# The sign-in cache (accounts.signin_cache) fills it from the cache for the request's person.
MEMBERSHIPS_ATTR = _CACHE_ATTR


def memberships_of(user: Any) -> list[tuple[int, str, int | None]]:
    """(municipality_id, role, unit_id) for every membership of the person, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        # The person's own roles in every town: the rules then compare them with the object's.
        cached = list(
            Membership.objects.filter(user=user)
            .across_municipalities()
            .values_list("municipality_id", "role", "unit_id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the cache, e.g. after memberships changed within one request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def municipality_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Municipality):
        return obj.pk
    return getattr(obj, "municipality_id", None)


@rules.predicate
def is_member(user: Any, obj: Any) -> bool:
    """The person holds any role in the municipality the object belongs to."""
    municipality_id = municipality_id_of(obj)
    if municipality_id is None:
        return False
    return any(m_id == municipality_id for m_id, _role, _unit in memberships_of(user))


def has_role(*roles: str) -> rules.Predicate:
    """The person holds one of `roles` in the object's municipality."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user: Any, obj: Any) -> bool:
        municipality_id = municipality_id_of(obj)
        if municipality_id is None:
            return False
        return any(
            m_id == municipality_id and role in wanted for m_id, role, _unit in memberships_of(user)
        )

    return predicate


is_admin = has_role(Role.ADMIN)
is_strategy_or_admin = has_role(Role.ADMIN, Role.STRATEGY)
is_council = has_role(Role.COUNCIL)


@rules.predicate
def is_unit_editor_of(user: Any, obj: Any) -> bool:
    """The person edits for the unit that leads the object (`lead_unit` or `unit`)."""
    municipality_id = municipality_id_of(obj)
    unit_id = getattr(obj, "lead_unit_id", None) or getattr(obj, "unit_id", None)
    if municipality_id is None or unit_id is None:
        return False
    return any(
        m_id == municipality_id and role == Role.UNIT_EDITOR and unit == unit_id
        for m_id, role, unit in memberships_of(user)
    )


@rules.predicate
def is_project_lead_of(user: Any, obj: Any) -> bool:
    """The person is named responsible for the Vorhaben and holds the project-lead role there."""
    if not getattr(user, "is_authenticated", False) or not hasattr(obj, "responsible_people"):
        return False
    if not has_role(Role.PROJECT_LEAD)(user, obj):
        return False
    # Uses the prefetch cache when a list view prefetched responsible people.
    return any(person.pk == user.pk for person in obj.responsible_people.all())
