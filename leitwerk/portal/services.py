"""Writes of the portal app: the open-data licence and contact of a municipality."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from leitwerk.core.editing import create_row, update_versioned
from leitwerk.municipalities.models import Municipality

from .models import OpenDataSettings


@transaction.atomic
def open_data_settings_save(
    *,
    municipality: Municipality,
    actor: Any,
    expected_version: int | None,
    licence: str,
    attribution: str,
    contact_email: str,
) -> OpenDataSettings:
    """Create or change the one settings row; a concurrent change is a conflict. Audited (and
    so the portal's cached files name the new licence at once)."""
    values = {"licence": licence, "attribution": attribution, "contact_email": contact_email}
    current = OpenDataSettings.objects.for_municipality(municipality).first()
    if current is None:
        return create_row(
            model=OpenDataSettings,
            municipality=municipality,
            actor=actor,
            action="open_data_settings.create",
            values=values,
        )
    return update_versioned(
        instance=current,
        actor=actor,
        action="open_data_settings.update",
        expected_version=expected_version or 0,
        changes=values,
    )
