"""One call every service makes after a write: `audit(actor=..., action=..., target=...)`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .logs import actor_id, municipality_slug, security_event
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
    entry = AuditLogEntry.objects.create(
        municipality=municipality,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        data=data or {},
    )
    # The same event as one structured log record (catalogue G1); no target text or data,
    # which may hold personal details, only ids.
    security_event(
        action,
        outcome="ok",
        audit_id=entry.pk,
        municipality=municipality_slug(municipality),
        actor_id=actor_id(actor),
        object={"type": entry.target_type, "id": entry.target_id} if target is not None else None,
    )
    return entry
