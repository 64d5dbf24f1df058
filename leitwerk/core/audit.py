"""One call every service makes after a write: `audit(actor=..., action=..., target=...)`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditLogEntry


def audit(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    municipality: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditLogEntry:
    if municipality is None and target is not None:
        municipality = getattr(target, "municipality", None)
    return AuditLogEntry.objects.create(
        municipality=municipality,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        data=data or {},
    )
