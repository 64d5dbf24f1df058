"""Reads of "Personen & Rollen": the people of one municipality, for its admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from leitwerk.core.access import require_allowed
from leitwerk.municipalities.models import Body, Membership, Municipality, OrganisationalUnit

from .invitations import invitation_token_matches
from .models import Invitation, User

PERM = "accounts.manage_people"


@dataclass
class PersonRow:
    """One person as the admin sees them in this municipality."""

    user: User
    roles: list[str] = field(default_factory=list)  # role values
    role_labels: list[str] = field(default_factory=list)
    unit: OrganisationalUnit | None = None
    body: Body | None = None
    body_role: str = "voting"
    invitation: Invitation | None = None

    @property
    def status(self) -> str:
        if not self.user.is_active:
            return "gesperrt"
        if self.invitation is not None and self.invitation.accepted_at is None:
            if self.invitation.expires_at <= timezone.now():
                return "Einladung abgelaufen"
            return "eingeladen"
        return "aktiv"

    @property
    def invitation_open(self) -> bool:
        return self.invitation is not None and self.invitation.accepted_at is None


def _rows(municipality: Municipality, memberships: list[Membership]) -> list[PersonRow]:
    by_user: dict[int, PersonRow] = {}
    for membership in memberships:
        row = by_user.setdefault(membership.user_id, PersonRow(user=membership.user))
        row.roles.append(membership.role)
        row.role_labels.append(membership.get_role_display())
        row.unit = row.unit or membership.unit
        if row.body is None and membership.body is not None:
            row.body, row.body_role = membership.body, membership.body_role
    invitations = Invitation.objects.filter(
        municipality=municipality, user_id__in=list(by_user)
    ).order_by("created_at")
    for invitation in invitations:
        by_user[invitation.user_id].invitation = invitation
    return sorted(
        by_user.values(),
        key=lambda r: (r.user.last_name.lower(), r.user.first_name.lower(), r.user.email),
    )


def people_for_admin(*, user: Any, municipality: Municipality, query: str = "") -> list[PersonRow]:
    """Everyone with a role in `municipality`, optionally filtered by name or e-mail address."""
    require_allowed(user, PERM, municipality)
    memberships = Membership.objects.filter(municipality=municipality).select_related(
        "user", "unit", "body"
    )
    query = query.strip()
    if query:
        memberships = memberships.filter(
            Q(user__email__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return _rows(municipality, list(memberships.order_by("role")))


def person_for_admin(*, user: Any, municipality: Municipality, pk: int) -> PersonRow:
    """One person of `municipality`; 404 for missing people and for people of other towns,
    403 for a member who may not manage people."""
    if not municipality:
        raise Http404
    memberships = list(
        Membership.objects.filter(municipality=municipality, user_id=pk)
        .select_related("user", "unit", "body")
        .order_by("role")
    )
    if not memberships:
        raise Http404
    require_allowed(user, PERM, municipality)
    return _rows(municipality, memberships)[0]


def invitation_for_link(*, pk: int, token: str) -> Invitation | None:
    """The open, unexpired invitation the link names, else None (the person is not signed in)."""
    # Before sign-in there is no municipality yet: the link itself names the invitation.
    invitation = (
        Invitation.objects.across_municipalities()
        .select_related("user", "municipality")
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not invitation_token_matches(invitation, token):
        return None
    if invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        return None
    return invitation


def expires_in(invitation: Invitation) -> dt.timedelta:
    return invitation.expires_at - timezone.now()
