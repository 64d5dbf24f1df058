"""Writes for tenants, units and memberships. Each is atomic and audited."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.core.editing import check_fields, create_row, update_versioned

from .models import Body, Membership, Municipality, MunicipalityKind, OrganisationalUnit, Role

# First path segments the application itself uses; a municipality slug may not take them,
# because the public portal lives at /<slug>/.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "konto",
        "arbeitsbereich",
        "static",
        "media",
        "i18n",
        "netzwerk",
        "healthz",
        "barrierefreiheit",
        "kommune-wechseln",
        "readyz",
        "umfragen",
        "kommune",
    }
)


AGS_PATTERN = re.compile(r"\d{8}")


def _naming_fields(error: ValidationError, model: Any) -> list[str]:
    """Field errors with the field's German label in front, so a one-line message names it."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for field, field_messages in error.message_dict.items():
        label = model._meta.get_field(field).verbose_name if field != "__all__" else ""
        messages += [f"{label}: {message}" if label else message for message in field_messages]
    return messages


def municipality_create(
    *,
    slug: str,
    name: str,
    ags: str = "",
    kind: str = MunicipalityKind.STADT,
    parent_slug: str | None = None,
    population: int | None = None,
    state: str = "",
    actor: Any = None,
) -> Municipality:
    if kind not in MunicipalityKind.values:
        raise ValidationError(
            f"Unbekannte Art „{kind}“; erlaubt sind: {', '.join(MunicipalityKind.values)}."
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"Der Kurzname „{slug}“ ist reserviert.")
    if Municipality.objects.filter(slug=slug).exists():
        raise ValidationError(f"Eine Kommune mit dem Kurznamen „{slug}“ gibt es schon.")
    ags = ags.strip()
    if ags and not AGS_PATTERN.fullmatch(ags):
        raise ValidationError(f"„{ags}“ ist kein Gemeindeschlüssel: Der AGS hat genau 8 Ziffern.")
    if ags:
        holder = Municipality.objects.filter(ags=ags).first()
        if holder is not None:
            raise ValidationError(
                f"Den AGS {ags} hat schon die Kommune „{holder}“ ({holder.slug})."
            )
    parent = None
    if parent_slug:
        if kind in (MunicipalityKind.AMT, MunicipalityKind.KREIS):
            label = MunicipalityKind(kind).label
            raise ValidationError(
                f"Ein {label} kann nicht Mitglied eines Amtes sein; "
                "nur Städte und Gemeinden gehören zu einem Amt."
            )
        parent = Municipality.objects.filter(slug=parent_slug).first()
        if parent is None:
            raise ValidationError(f"Das Amt „{parent_slug}“ gibt es nicht.")
        if parent.kind != MunicipalityKind.AMT:
            raise ValidationError(f"„{parent_slug}“ ist kein Amt und kann keine Mitglieder haben.")
    municipality = Municipality(
        slug=slug,
        name=name,
        ags=ags,
        kind=kind,
        parent=parent,
        population=population,
        state=state[:60],
    )
    try:
        municipality.full_clean()
    except ValidationError as error:
        raise ValidationError(_naming_fields(error, Municipality))
    with transaction.atomic():
        municipality.save()
        audit(
            actor=actor,
            action="municipality.create",
            target=municipality,
            municipality=municipality,
        )
    return municipality


def user_create(
    *,
    email: str,
    municipality: Municipality,
    role: str,
    unit_name: str | None = None,
    password: str | None = None,
    actor: Any = None,
) -> Any:
    """Creates the person if new, and gives them `role` in `municipality`."""
    if role not in Role.values:
        raise ValidationError(f"Unbekannte Rolle „{role}“; erlaubt sind: {', '.join(Role.values)}.")
    if role == Role.UNIT_EDITOR and not unit_name:
        # A unit editor edits what their unit leads; without a unit the account could edit none
        # of that and would look broken to the person.
        raise ValidationError(
            f"Die Rolle „{role}“ ({Role(role).label}) braucht eine Organisationseinheit."
        )
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    unit = None
    if unit_name:
        unit = (
            OrganisationalUnit.objects.for_municipality(municipality).filter(name=unit_name).first()
            or OrganisationalUnit.objects.for_municipality(municipality)
            .filter(code=unit_name)
            .first()
        )
        if unit is None:
            raise ValidationError(
                f"Die Organisationseinheit „{unit_name}“ gibt es in {municipality} nicht."
            )
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
            try:
                User._meta.get_field("email").run_validators(email)
            except ValidationError:
                raise ValidationError(f"„{email}“ ist keine gültige E-Mail-Adresse.")
            if password:
                validate_password(password, user)
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        if Membership.objects.filter(user=user, municipality=municipality, role=role).exists():
            raise ValidationError(f"{email} hat die Rolle „{role}“ in {municipality} schon.")
        membership = Membership(user=user, municipality=municipality, role=role, unit=unit)
        membership.full_clean()
        membership.save()
        audit(
            actor=actor,
            action="membership.create",
            target=membership,
            data={"role": role, "unit": unit.name if unit else None},
        )
    return user


# ---- Single sign-on: roles from the municipality's identity provider (OpenID Connect) ----


class OidcSignInDenied(Exception):
    """The identity provider vouched for the person, but Leitwerk does not let them in."""


def _oidc_desired_roles(
    *, municipality: Municipality, groups: list[str], group_roles: dict[str, str]
) -> dict[str, OrganisationalUnit | None]:
    """Role → unit for the groups the person has; a unit editor's unit is named after a colon."""
    desired: dict[str, OrganisationalUnit | None] = {}
    for group in sorted(set(groups) & set(group_roles)):
        role, _sep, unit_name = group_roles[group].partition(":")
        if role not in Role.values:
            continue
        unit = None
        if unit_name:
            units = OrganisationalUnit.objects.for_municipality(municipality)
            unit = units.filter(name=unit_name).first() or units.filter(code=unit_name).first()
            if unit is None:
                continue
        if role == Role.UNIT_EDITOR and unit is None:
            continue
        desired.setdefault(role, unit)
    return desired


def membership_sync_from_oidc(
    *,
    user: Any,
    municipality: Municipality,
    groups: list[str],
    group_roles: dict[str, str],
    provider: str,
) -> dict[str, list[str]]:
    """Makes the person's roles in `municipality` (only there) exactly those their groups map to.

    The identity provider is the source of truth for this municipality: roles whose group
    vanished are removed, so taking someone out of a group at the Verwaltung takes the role away
    at the next sign-in. Memberships in other municipalities are not touched.
    """
    desired = _oidc_desired_roles(municipality=municipality, groups=groups, group_roles=group_roles)
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []
    with transaction.atomic():
        current = {
            m.role: m
            for m in Membership.objects.select_for_update().filter(
                user=user, municipality=municipality
            )
        }
        for role, membership in current.items():
            if role not in desired:
                membership.delete()
                removed.append(role)
            elif desired[role] is not None and membership.unit_id != desired[role].pk:  # type: ignore[union-attr]
                membership.unit = desired[role]
                membership.save(update_fields=["unit", "updated_at"])
                changed.append(role)
        for role, unit in desired.items():
            if role not in current:
                membership = Membership(user=user, municipality=municipality, role=role, unit=unit)
                membership.full_clean()
                membership.save()
                added.append(role)
        result = {"added": sorted(added), "removed": sorted(removed), "unit_changed": changed}
        if added or removed or changed:
            audit(
                actor=user,
                action="membership.sync_from_oidc",
                target=user,
                municipality=municipality,
                data={**result, "provider": provider, "groups": sorted(set(groups))[:50]},
            )
    return result


def user_sign_in_from_oidc(
    *,
    municipality: Municipality,
    provider: str,
    claims: dict[str, Any],
    groups: list[str],
    group_roles: dict[str, str],
    email_domains: set[str],
    linked_user: Any = None,
) -> Any:
    """The person the identity provider vouched for, with their roles brought up to date.

    Finds the person by e-mail address (or the account already linked to this provider),
    creates them without a password if new, and syncs the roles of `municipality`. Raises
    `OidcSignInDenied` with a German message when they may not sign in; a known person without
    any mapped group loses the roles of this municipality before being turned away.
    """
    User = get_user_model()
    email = User.objects.normalize_email(str(claims.get("email") or "")).strip().lower()
    if linked_user is None and not email:
        raise OidcSignInDenied(
            "Ihre Verwaltung hat keine E-Mail-Adresse übermittelt. Bitte wenden Sie sich an die "
            "IT Ihrer Verwaltung."
        )
    if email and email.rpartition("@")[2] not in email_domains:
        raise OidcSignInDenied(
            f"Die E-Mail-Adresse {email} gehört nicht zu den Adressen, die {municipality} für "
            "die Anmeldung freigegeben hat."
        )
    user = linked_user or User.objects.filter(email__iexact=email).first()
    if user is not None and (user.is_staff or user.is_superuser):
        # Accounts with Django admin rights sign in with their password and second factor.
        raise OidcSignInDenied(
            "Dieses Konto hat Administrationsrechte für Leitwerk und meldet sich deshalb mit "
            "E-Mail-Adresse und Passwort an."
        )
    if user is not None and not user.is_active:
        raise OidcSignInDenied(
            "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration."
        )
    desired = _oidc_desired_roles(municipality=municipality, groups=groups, group_roles=group_roles)
    with transaction.atomic():
        if user is None and desired:
            user = User(
                email=email,
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
            )
            user.set_unusable_password()
            user.save()
            audit(
                actor=None,
                action="user.create_from_oidc",
                target=user,
                municipality=municipality,
                data={"provider": provider},
            )
        if user is not None:
            membership_sync_from_oidc(
                user=user,
                municipality=municipality,
                groups=groups,
                group_roles=group_roles,
                provider=provider,
            )
    if not desired:
        raise OidcSignInDenied(
            f"Ihr Konto bei {municipality} ist keiner Rolle in Leitwerk zugeordnet. Bitte bitten "
            "Sie die Administration Ihrer Verwaltung, Sie einer Leitwerk-Gruppe hinzuzufügen."
        )
    return user


# ---- Organisation: units (a tree) and bodies, maintained by the municipality's admin ----

UNIT_FIELDS = {"name", "code", "kind", "parent", "capacity_person_days"}
BODY_FIELDS = {"name", "kind", "oparl_url"}


def _refuse_cycle(unit: OrganisationalUnit, parent: OrganisationalUnit | None) -> None:
    seen = set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == unit.pk:
            raise ValidationError(
                {
                    "parent": "Eine Einheit kann nicht unter sich selbst oder unter einer ihrer "
                    "eigenen Untereinheiten stehen."
                }
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def unit_create(
    *, municipality: Municipality, actor: Any, values: dict[str, Any]
) -> OrganisationalUnit:
    check_fields(OrganisationalUnit, values, UNIT_FIELDS)
    return create_row(
        model=OrganisationalUnit,
        municipality=municipality,
        actor=actor,
        action="unit.create",
        values=values,
    )


@transaction.atomic
def unit_update(
    *,
    unit: OrganisationalUnit,
    actor: Any,
    expected_version: int,
    changes: dict[str, Any],
) -> OrganisationalUnit:
    """Rename or move a unit (a new parent moves its whole subtree with it)."""
    check_fields(OrganisationalUnit, changes, UNIT_FIELDS)
    if "parent" in changes:
        _refuse_cycle(unit, changes["parent"])
    return update_versioned(
        instance=unit,
        actor=actor,
        action="unit.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def unit_merge(*, unit: OrganisationalUnit, into: OrganisationalUnit, actor: Any) -> dict[str, int]:
    """Merges `unit` into `into`: everything that pointed at `unit` (its Vorhaben, people,
    sub-units, surveys) points at `into` afterwards; then `unit` is deleted. Audited with the
    counts, so the merge stays traceable."""
    if unit.pk == into.pk:
        raise ValidationError({"into": "Bitte eine andere Einheit wählen."})
    if into.municipality_id != unit.municipality_id:
        raise ValidationError({"into": "Verweist auf ein Objekt einer anderen Kommune."})
    _refuse_cycle(unit, into)
    moved: dict[str, int] = {}
    # Every relation to a unit, whichever stage declared it (the tenants layer imports none).
    for relation in OrganisationalUnit._meta.related_objects:
        model: Any = relation.related_model
        field: Any = relation.field
        if not hasattr(model, "municipality_id") and relation.many_to_many is False:
            continue
        label = f"{model._meta.label}.{field.name}"
        if relation.many_to_many:
            # The link table itself (the relation may hide its accessor, related_name="+").
            through = field.remote_field.through
            to_unit = field.m2m_reverse_field_name()
            from_row = field.m2m_field_name()
            linked = through.objects.filter(**{to_unit: into}).values_list(from_row, flat=True)
            moved[label] = (
                through.objects.filter(**{to_unit: unit})
                .exclude(**{f"{from_row}__in": list(linked)})
                .update(**{to_unit: into})
            )
        else:
            moved[label] = model.objects.filter(
                municipality_id=unit.municipality_id, **{field.name: unit}
            ).update(**{field.name: into})
    audit(
        actor=actor,
        action="unit.merge",
        target=into,
        data={"merged": unit.name, "merged_id": unit.pk, "moved": moved},
    )
    unit.refresh_from_db()
    unit.delete()
    return moved


@transaction.atomic
def body_create(*, municipality: Municipality, actor: Any, values: dict[str, Any]) -> Body:
    check_fields(Body, values, BODY_FIELDS)
    return create_row(
        model=Body, municipality=municipality, actor=actor, action="body.create", values=values
    )


@transaction.atomic
def body_update(*, body: Body, actor: Any, expected_version: int, changes: dict[str, Any]) -> Body:
    check_fields(Body, changes, BODY_FIELDS)
    return update_versioned(
        instance=body,
        actor=actor,
        action="body.update",
        expected_version=expected_version,
        changes=changes,
    )
