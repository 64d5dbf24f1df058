"""Writes of "Personen & Rollen": invitations, roles, deactivation. Atomic and audited.

A municipality's admin manages the people of that municipality only: every service takes the
municipality and touches only memberships, invitations and API tokens there. A person may hold
roles in several municipalities; their account (e-mail, password) is shared between them.
Nobody can take the last admin role of a municipality away (not even its holder).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.municipalities.models import (
    Body,
    BodyRole,
    Membership,
    Municipality,
    OrganisationalUnit,
    Role,
)
from leitwerk.municipalities.rules import forget_memberships

from .models import IdentityProvider, Invitation, User
from .privacy import end_sessions
from .signin_cache import person_changed

INVITATION_VALID = dt.timedelta(hours=72)


def _check_roles(
    *,
    municipality: Municipality,
    roles: list[str],
    unit: OrganisationalUnit | None,
    body: Body | None,
) -> list[str]:
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": "Bitte mindestens eine Rolle wählen."})
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise ValidationError({"roles": f"Unbekannte Rolle: {', '.join(unknown)}."})
    if Role.UNIT_EDITOR in roles and unit is None:
        raise ValidationError(
            {
                "unit": "Die Rolle „Redaktion Organisationseinheit“ braucht eine "
                "Organisationseinheit."
            }
        )
    for name, row in (("unit", unit), ("body", body)):
        if row is not None and row.municipality_id != municipality.pk:
            raise ValidationError({name: "Verweist auf ein Objekt einer anderen Kommune."})
    return roles


def _admin_ids(municipality: Municipality) -> set[int]:
    return set(
        Membership.objects.filter(municipality=municipality, role=Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )


def _refuse_last_admin(*, municipality: Municipality, user: Any) -> None:
    if _admin_ids(municipality) == {user.pk}:
        raise ValidationError(
            {
                "roles": f"{user} ist die einzige Administration von {municipality}. Geben Sie "
                "zuerst einer anderen Person die Rolle „Administration der Kommune“."
            }
        )


def _memberships_set(
    *,
    municipality: Municipality,
    user: Any,
    roles: list[str],
    unit: OrganisationalUnit | None,
    body: Body | None,
    body_role: str = BodyRole.VOTING,
) -> None:
    if body_role not in BodyRole.values:
        raise ValidationError({"body_role": "Bitte „stimmberechtigt“ oder „beratend“ wählen."})
    current = {m.role: m for m in Membership.objects.filter(user=user, municipality=municipality)}
    for role, membership in current.items():
        if role not in roles:
            membership.delete()
    for role in roles:
        membership = current.get(role) or Membership(
            user=user, municipality=municipality, role=role
        )
        membership.unit = unit
        membership.body = body
        membership.body_role = body_role
        membership.full_clean()
        membership.save()


def _send_invitation_on_commit(invitation: Invitation) -> None:
    from .tasks import send_invitation_mail

    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation_mail.enqueue(invitation_id))


def person_invite(
    *,
    municipality: Municipality,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: list[str],
    unit: OrganisationalUnit | None = None,
    body: Body | None = None,
    body_role: str = BodyRole.VOTING,
    actor: Any,
) -> Invitation:
    """Gives the person the roles here and e-mails them a link to set their password (72 h).

    A person who already has an account (from another municipality) keeps their password:
    the e-mail then tells them they can sign in as before.
    """
    roles = _check_roles(municipality=municipality, roles=roles, unit=unit, body=body)
    email = User.objects.normalize_email(email).strip().lower()
    try:
        User._meta.get_field("email").run_validators(email)
    except ValidationError:
        raise ValidationError({"email": f"„{email}“ ist keine gültige E-Mail-Adresse."})
    if not email:
        raise ValidationError({"email": "Bitte eine E-Mail-Adresse angeben."})
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first_name[:150], last_name=last_name[:150])
            user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(user=user, municipality=municipality).exists():
            raise ValidationError(
                {
                    "email": f"{email} gehört schon zu {municipality}. Ändern Sie die Rollen "
                    "auf der Seite der Person."
                }
            )
        _memberships_set(
            municipality=municipality,
            user=user,
            roles=roles,
            unit=unit,
            body=body,
            body_role=body_role,
        )
        Invitation.objects.filter(
            municipality=municipality, user=user, accepted_at__isnull=True
        ).delete()
        # Someone who already signs in (for another municipality) has nothing to accept.
        has_account = user.is_active and user.has_usable_password()
        invitation = Invitation.objects.create(
            municipality=municipality,
            accepted_at=timezone.now() if has_account else None,
            user=user,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            nonce=secrets.token_urlsafe(24),
            expires_at=timezone.now() + INVITATION_VALID,
            sent_at=timezone.now(),
        )
        audit(
            actor=actor,
            action="person.invite",
            target=user,
            municipality=municipality,
            data={
                "roles": roles,
                "unit": unit.name if unit else None,
                "body": body.name if body else None,
            },
        )
        _send_invitation_on_commit(invitation)
    return invitation


def invitation_resend(*, invitation: Invitation, actor: Any) -> Invitation:
    """A new link, valid 72 h from now; earlier links of this invitation stop working."""
    if invitation.accepted_at is not None:
        raise ValidationError("Diese Einladung ist schon angenommen.")
    with transaction.atomic():
        invitation.nonce = secrets.token_urlsafe(24)
        invitation.expires_at = timezone.now() + INVITATION_VALID
        invitation.sent_at = timezone.now()
        invitation.version += 1
        invitation.save(update_fields=["nonce", "expires_at", "sent_at", "version", "updated_at"])
        audit(
            actor=actor,
            action="person.invitation_resend",
            target=invitation.user,
            municipality=invitation.municipality,
        )
        _send_invitation_on_commit(invitation)
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """The invited person sets their password; the account is active from now on."""
    if invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationError("Dieser Einladungslink ist nicht mehr gültig.")
    user = invitation.user
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
        audit(
            actor=user,
            action="person.invitation_accept",
            target=user,
            municipality=invitation.municipality,
        )
    return user


def person_roles_set(
    *,
    municipality: Municipality,
    user: Any,
    roles: list[str],
    unit: OrganisationalUnit | None = None,
    body: Body | None = None,
    body_role: str = BodyRole.VOTING,
    actor: Any,
) -> None:
    """Makes the person's roles in `municipality` exactly `roles`, bound to `unit` and `body`."""
    roles = _check_roles(municipality=municipality, roles=roles, unit=unit, body=body)
    with transaction.atomic():
        before = list(
            # Lock the memberships only: PostgreSQL refuses FOR UPDATE on the outer-joined
            # unit and body.
            Membership.objects.select_for_update(of=("self",))
            .filter(user=user, municipality=municipality)
            .order_by("role")
            .values_list("role", "unit__name", "body__name", "body_role")
        )
        if not before:
            raise ValidationError(f"{user} gehört nicht zu {municipality}.")
        if Role.ADMIN not in roles:
            _refuse_last_admin(municipality=municipality, user=user)
        _memberships_set(
            municipality=municipality,
            user=user,
            roles=roles,
            unit=unit,
            body=body,
            body_role=body_role,
        )
        after = list(
            Membership.objects.filter(user=user, municipality=municipality)
            .order_by("role")
            .values_list("role", "unit__name", "body__name", "body_role")
        )
        if before != after:
            audit(
                actor=actor,
                action="person.roles_change",
                target=user,
                municipality=municipality,
                data={"before": [list(row) for row in before], "after": [list(r) for r in after]},
            )
        # The next request of the person reads the new roles (sign-in cache).
        person_changed(user.pk)
    forget_memberships(user)


def person_deactivate(*, municipality: Municipality, user: Any, actor: Any) -> None:
    """Takes every role in `municipality` away, revokes the person's API tokens there and ends
    their sign-ins. What they wrote keeps their name. Without roles anywhere else, the account
    is locked as well (an admin of another municipality can invite them again)."""
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError("Sie können sich nicht selbst deaktivieren.")
    with transaction.atomic():
        memberships = list(
            Membership.objects.select_for_update().filter(user=user, municipality=municipality)
        )
        if not memberships:
            raise ValidationError(f"{user} gehört nicht zu {municipality}.")
        _refuse_last_admin(municipality=municipality, user=user)
        roles = sorted(m.role for m in memberships)
        Membership.objects.filter(user=user, municipality=municipality).delete()
        Invitation.objects.filter(
            municipality=municipality, user=user, accepted_at__isnull=True
        ).delete()
        # The API app sits above accounts; its tokens are reached through the person's row.
        revoked = (
            user.api_tokens.filter(municipality=municipality, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            if hasattr(user, "api_tokens")
            else 0
        )
        # The person's own memberships in every town decide whether the account stays usable.
        elsewhere = Membership.objects.filter(user=user).across_municipalities().exists()
        locked = not elsewhere and not user.is_staff and not user.is_superuser
        if locked:
            user.is_active = False
            user.save(update_fields=["is_active"])
        end_sessions(user)
        audit(
            actor=actor,
            action="person.deactivate",
            target=user,
            municipality=municipality,
            data={"roles": roles, "api_tokens_revoked": revoked, "account_locked": locked},
        )
        # No role here any more from the very next request on (sign-in cache).
        person_changed(user.pk)
    forget_memberships(user)


# ---- Single sign-on, configured by the municipality's admin ----

SSO_FIELDS = {
    "name",
    "issuer",
    "client_id",
    "secret_env",
    "scopes",
    "groups_claim",
    "group_roles",
    "email_domains",
    "enabled",
}


def identity_provider_save(
    *, municipality: Municipality, values: dict[str, Any], actor: Any
) -> IdentityProvider:
    """Creates or changes the municipality's one identity provider (the secret stays in the
    environment: only the variable's name is stored)."""
    unknown = set(values) - SSO_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        provider = IdentityProvider.objects.filter(municipality=municipality).first()
        created = provider is None
        if provider is None:
            provider = IdentityProvider(municipality=municipality, slug=municipality.slug)
        before = {name: getattr(provider, name) for name in SSO_FIELDS} if not created else {}
        for name, value in values.items():
            setattr(provider, name, value)
        provider.full_clean()
        if not created:
            provider.version += 1
        provider.save()
        changed = sorted(name for name in SSO_FIELDS if before.get(name) != values.get(name))
        audit(
            actor=actor,
            action="identity_provider.create" if created else "identity_provider.update",
            target=provider,
            data={"changed": changed, "enabled": provider.enabled},
        )
    return provider


def reminders_set(*, user: Any, email_reminders: bool) -> None:
    """A person switches their own reminder e-mails on or off (audited)."""
    if user.email_reminders == email_reminders:
        return
    with transaction.atomic():
        user.email_reminders = email_reminders
        user.save(update_fields=["email_reminders"])
        audit(
            actor=user,
            action="user.reminders_on" if email_reminders else "user.reminders_off",
            target=user,
        )
