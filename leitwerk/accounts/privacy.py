"""Data subject requests for staff accounts (catalogue row F10, GDPR Art. 15 and 17).

`user_export` collects everything stored about a person; `user_delete` removes the account's
personal data and keeps a pseudonym in its place, so the audit trail and the content the
person wrote (comments, status reports, measurements …) stay attributable to "the same,
now deleted person" without naming them.

Deletion keeps the `User` row as a tombstone without personal data (e-mail, names, password,
login, permissions gone; cannot sign in): foreign keys from history tables, audit entries and
authored content keep pointing at it, and every page that shows an author shows the pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.models import AuditLogEntry
from leitwerk.core.scoping import tenant_guard
from leitwerk.municipalities.models import Membership

from .signin_cache import person_changed

PSEUDONYM_FIRST = "Gelöschte Person"
TOMBSTONE_DOMAIN = "geloescht.invalid"
# Sign-in records that name a person by e-mail only (django-axes, when installed).
# Trails that keep pointing at the pseudonymous row (their texts are scrubbed).
KEPT_TRAILS = {"admin.LogEntry"}
LOGIN_RECORDS = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")


def user_by_email(email: str) -> Any:
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(f"Eine Person mit der E-Mail-Adresse „{email}“ gibt es nicht.")
    return user


def pseudonym_for(user: Any) -> str:
    """Stable per person, not reversible without the SECRET_KEY."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"user:{user.pk}:{user.email}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{PSEUDONYM_FIRST} #{digest[:8]}"


def is_deleted(user: Any) -> bool:
    return bool(user.email.endswith("@" + TOMBSTONE_DOMAIN))


def user_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every foreign key and many-to-many field to the user model, in every installed model."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.is_relation and field.related_model is user_model:
                found.append((model, field))
    return found


def _login_models() -> list[type[models.Model]]:
    found = []
    for label in LOGIN_RECORDS:
        app_label, _, name = label.partition(".")
        if apps.is_installed(app_label):
            try:
                found.append(apps.get_model(app_label, name))
            except LookupError:
                continue
    return found


def _rows(queryset: models.QuerySet) -> list[dict[str, Any]]:
    out = []
    for item in serializers.serialize("python", queryset):
        row = {"id": item["pk"], **item["fields"]}
        row.pop("password", None)
        out.append(json.loads(json.dumps(row, cls=DjangoJSONEncoder)))
    return out


def _audit_rows(queryset: models.QuerySet) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "created_at": e.created_at.isoformat(),
            "municipality": e.municipality_id,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "target": e.target_repr,
            "data": e.data,
        }
        for e in queryset.order_by("created_at", "id")
    ]


def _entries_about(user: Any) -> models.QuerySet:
    """Audit entries whose target is the person or one of their roles, or whose text names them."""
    memberships = [
        str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)
    ]
    needles = [n.lower() for n in _identifiers(user)]
    ids = set(
        AuditLogEntry.objects.filter(
            models.Q(target_type=user._meta.label_lower, target_id=str(user.pk))
            | models.Q(target_type=Membership._meta.label_lower, target_id__in=memberships)
        ).values_list("pk", flat=True)
    )
    for entry in AuditLogEntry.objects.exclude(pk__in=ids).iterator(chunk_size=2000):
        text = (entry.target_repr + json.dumps(entry.data, ensure_ascii=False)).lower()
        if any(n in text for n in needles):
            ids.add(entry.pk)
    return AuditLogEntry.objects.filter(pk__in=ids)


def user_export(*, user: Any) -> dict[str, Any]:
    """Everything stored about `user`, as JSON-ready data (no password hash)."""
    account = {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "has_usable_password": user.has_usable_password(),
        "groups": list(user.groups.values_list("name", flat=True)),
    }
    memberships = [
        {
            "municipality": m.municipality.slug,
            "municipality_name": m.municipality.name,
            "role": m.role,
            "role_label": m.get_role_display(),
            "unit": m.unit.name if m.unit else None,
            "body": m.body.name if m.body else None,
            "created_at": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(user=user).select_related("municipality", "unit", "body")
    ]
    related: dict[str, list[dict[str, Any]]] = {}
    covered = {Membership, AuditLogEntry}
    for model, field in user_fields():
        if model in covered:
            continue
        rows = _rows(model._default_manager.filter(**{field.name: user}).distinct())
        if rows:
            related[f"{model._meta.label}.{field.name}"] = rows
    sign_ins = {}
    for model in _login_models():
        rows = _rows(model._default_manager.filter(username__iexact=user.email))
        if rows:
            sign_ins[model._meta.label] = rows
    return {
        "format": "leitwerk-personendaten/1",
        "exported_at": timezone.now().isoformat(),
        "account": account,
        "memberships": memberships,
        "audit_entries_by_person": _audit_rows(AuditLogEntry.objects.filter(actor=user)),
        "audit_entries_about_person": _audit_rows(_entries_about(user)),
        "related": related,
        "sign_in_records": sign_ins,
    }


def user_export_own(*, user: Any) -> dict[str, Any]:
    """ "Meine Daten" from "Mein Konto": the same export for the signed-in person themselves.

    Reads the person's rows in every municipality they belong to (their own data spans towns
    by nature), so it runs without the tenant guard; every query is pinned to the person.
    """
    with tenant_guard(on=False):
        return user_export(user=user)


def _scrub(value: Any, needles: list[str], replacement: str) -> Any:
    """`value` with every (case-insensitive) occurrence of a needle replaced, recursively."""
    if isinstance(value, str):
        for needle in needles:
            start = value.lower().find(needle.lower())
            while start != -1:
                value = value[:start] + replacement + value[start + len(needle) :]
                start = value.lower().find(needle.lower(), start + len(replacement))
        return value
    if isinstance(value, list):
        return [_scrub(v, needles, replacement) for v in value]
    if isinstance(value, dict):
        return {
            _scrub(k, needles, replacement): _scrub(v, needles, replacement)
            for k, v in value.items()
        }
    return value


def _identifiers(user: Any) -> list[str]:
    full = user.get_full_name().strip()
    values = {user.email, full, f"{user.last_name}, {user.first_name}".strip(", ")}
    # Longest first, so "Anna Admin" is replaced as a whole; single short words are left alone
    # (a first name alone also occurs in other people's texts).
    return sorted((v for v in values if len(v) >= 3 and (" " in v or "@" in v)), key=len)[::-1]


def end_sessions(user: Any) -> None:
    """Signs the person out everywhere: deletes every session that belongs to them."""
    if not apps.is_installed("django.contrib.sessions"):
        return

    doomed = []
    for session in Session.objects.iterator():
        try:
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                doomed.append(session.pk)
        except Exception:  # noqa: BLE001, S112 - a corrupt session is not this person's
            continue
    Session.objects.filter(pk__in=doomed).delete()
    # Cached sessions (cached_db, issue 21) live on in the cache until they are dropped too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix and doomed:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in doomed])
    person_changed(user.pk)


@transaction.atomic
def user_delete(*, user: Any, actor: Any = None) -> str:
    """Removes the person's account data and memberships; returns the pseudonym kept instead."""
    if is_deleted(user):
        raise ValidationError("Diese Person wurde bereits gelöscht.")
    pseudonym = pseudonym_for(user)
    needles = _identifiers(user)
    email = user.email

    # Texts that copied the name or e-mail address: the audit trail and the admin's log.
    for entry in AuditLogEntry.objects.all().iterator(chunk_size=2000):
        target_repr = _scrub(entry.target_repr, needles, pseudonym)
        data = _scrub(entry.data, needles, pseudonym)
        if entry.target_type == user._meta.label_lower and entry.target_id == str(user.pk):
            target_repr = pseudonym
        if target_repr != entry.target_repr or data != entry.data:
            AuditLogEntry.objects.filter(pk=entry.pk).update(target_repr=target_repr, data=data)
    if apps.is_installed("django.contrib.admin"):
        for log in LogEntry.objects.iterator():
            scrubbed = _scrub(log.object_repr, needles, pseudonym)
            if scrubbed != log.object_repr:
                LogEntry.objects.filter(pk=log.pk).update(object_repr=scrubbed)

    # Roles, responsibilities, open feedback requests, reminders and sign-in records end with
    # the account; content the person wrote stays and points at the pseudonymous row.
    # Rows that exist only for the account (their key cascades: memberships, reminders,
    # second factors, linked sign-in accounts …) go; the admin's change log is a trail, it stays.
    memberships, _ = Membership.objects.filter(user=user).delete()
    for model, field in user_fields():
        if isinstance(field, models.ManyToManyField):
            through = getattr(model, field.name).through
            through.objects.filter(**{field.m2m_reverse_field_name(): user}).delete()
        elif (
            field.remote_field is not None
            and field.remote_field.on_delete is models.CASCADE
            and model._meta.label not in KEPT_TRAILS
        ):
            model._default_manager.filter(**{field.name: user}).delete()
    for model in _login_models():
        model._default_manager.filter(username__iexact=email).delete()
    end_sessions(user)

    digest = pseudonym.rsplit("#", 1)[-1]
    user.email = f"person-{digest}@{TOMBSTONE_DOMAIN}"
    user.first_name = PSEUDONYM_FIRST
    user.last_name = f"#{digest}"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit(
        actor=actor,
        action="user.delete",
        target=user,
        data={"pseudonym": pseudonym, "memberships": memberships},
    )
    return pseudonym
