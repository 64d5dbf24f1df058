"""Versioned editing of tenant rows: the writes every stage's services build on.

Every update names the version it started from (`expected_version`). The row is locked and
compared inside the transaction; a different version raises `ConflictError` with the values
stored now, so the edit page can show both sides and nothing typed is lost (catalogue E1).
Saving goes through `Model.save()`, never `QuerySet.update()`, so django-simple-history
records every change with its author. The callers (`<entity>_create/update/delete` in each
stage's services) wrap these in a transaction and name the audit action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.related import ManyToManyField

from leitwerk.core.audit import audit
from leitwerk.core.models import TenantModel

T = TypeVar("T", bound=TenantModel)


class ConflictError(Exception):
    """Someone else saved the row since the editor loaded it.

    `current` is the row as stored now (version included); `changed_fields` lists the fields
    whose stored value differs from what the editor wanted to save.
    """

    def __init__(self, current: TenantModel, changed_fields: list[str]) -> None:
        super().__init__(
            f"{current._meta.label} {current.pk} wurde inzwischen geändert "
            f"(jetzt Version {current.version})."
        )
        self.current = current
        self.changed_fields = changed_fields


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _m2m_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields() if isinstance(f, ManyToManyField)}


def _check_same_tenant(municipality_id: int, field: str, rows: Iterable[Any]) -> None:
    # TenantModel.clean() only sees foreign keys; many-to-many links are checked here.
    for row in rows:
        if getattr(row, "municipality_id", municipality_id) != municipality_id:
            raise ValidationError({field: "Verweist auf ein Objekt einer anderen Kommune."})


def check_fields(model: type[models.Model], changes: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{model.__name__}: not editable here: {sorted(unknown)}")


def create_row(
    *,
    model: type[T],
    municipality: models.Model,
    actor: Any,
    action: str,
    values: Mapping[str, Any],
) -> T:
    """Create, validate and audit one tenant row; many-to-many values are set after saving."""
    m2m = _m2m_names(model)
    plain = {k: v for k, v in values.items() if k not in m2m}
    row = model(municipality=municipality, **plain)
    row._history_user = actor_or_none(actor)
    row.full_clean()
    row.save()
    for name in m2m & set(values):
        linked = list(values[name])
        _check_same_tenant(row.municipality_id, name, linked)
        getattr(row, name).set(linked)
    audit(actor=actor, action=action, target=row)
    return row


def update_versioned(
    *,
    instance: T,
    actor: Any,
    action: str,
    expected_version: int,
    changes: Mapping[str, Any],
) -> T:
    """Apply `changes` to the stored row if it is still at `expected_version`; version + 1."""
    model = type(instance)
    # The lock makes the compare-and-save atomic on PostgreSQL; SQLite serialises writers.
    current = cast(
        T,
        model.objects.select_for_update().get(
            pk=instance.pk, municipality_id=instance.municipality_id
        ),
    )
    m2m = _m2m_names(model)
    if current.version != expected_version:
        differing = []
        for name, value in changes.items():
            stored = getattr(current, name)
            if name in m2m:
                if {r.pk for r in stored.all()} != {r.pk for r in value}:
                    differing.append(name)
            elif stored != value:
                differing.append(name)
        raise ConflictError(current, differing)
    before = {}
    for name, value in changes.items():
        if name in m2m:
            continue
        before[name] = getattr(current, name)
        setattr(current, name, value)
    current.version = expected_version + 1
    current._history_user = actor_or_none(actor)
    current.full_clean()
    current.save()
    for name in m2m & set(changes):
        linked = list(changes[name])
        _check_same_tenant(current.municipality_id, name, linked)
        getattr(current, name).set(linked)
    changed = sorted(n for n in before if before[n] != getattr(current, n))
    audit(
        actor=actor,
        action=action,
        target=current,
        data={"fields": changed + sorted(m2m & set(changes)), "version": current.version},
    )
    return current


def delete_row(*, instance: TenantModel, actor: Any, action: str) -> None:
    """Delete and audit; the audit entry is written first so it still names the row."""
    instance._history_user = actor_or_none(actor)
    audit(actor=actor, action=action, target=instance)
    instance.delete()
