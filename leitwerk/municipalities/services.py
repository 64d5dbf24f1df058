"""Writes for tenants, units and memberships. Each is atomic and audited."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from leitwerk.core.audit import audit

from .models import Membership, Municipality, MunicipalityKind, OrganisationalUnit, Role

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
        slug=slug, name=name, ags=ags, kind=kind, parent=parent, population=population
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
