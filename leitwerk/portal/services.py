"""Writes of the portal app: the open-data licence and contact of a municipality, and the
participation opportunities (Beteiligungsangebote) the portal shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from leitwerk.core.editing import check_fields, create_row, delete_row, update_versioned
from leitwerk.municipalities.models import Municipality

from .models import OpenDataSettings, ParticipationOpportunity


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


OPPORTUNITY_FIELDS = {
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "how_to_take_part",
    "audience",
    "url",
    "public",
    "initiative",
}


@transaction.atomic
def participation_opportunity_create(
    *, municipality: Municipality, actor: Any, values: Mapping[str, Any]
) -> ParticipationOpportunity:
    """A new opportunity; the portal shows it once it is public (and not yet over)."""
    check_fields(ParticipationOpportunity, values, OPPORTUNITY_FIELDS)
    return create_row(
        model=ParticipationOpportunity,
        municipality=municipality,
        actor=actor,
        action="participation_opportunity.create",
        values=values,
    )


@transaction.atomic
def participation_opportunity_update(
    *,
    opportunity: ParticipationOpportunity,
    actor: Any,
    expected_version: int,
    changes: Mapping[str, Any],
) -> ParticipationOpportunity:
    check_fields(ParticipationOpportunity, changes, OPPORTUNITY_FIELDS)
    return update_versioned(
        instance=opportunity,
        actor=actor,
        action="participation_opportunity.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def participation_opportunity_delete(*, opportunity: ParticipationOpportunity, actor: Any) -> None:
    delete_row(instance=opportunity, actor=actor, action="participation_opportunity.delete")
