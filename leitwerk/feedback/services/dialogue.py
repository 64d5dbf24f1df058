"""Team dialogue: talking points of a staff pulse kept as Gesprächsthemen."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitwerk.core.audit import audit
from leitwerk.feedback.models import DiscussionItem, Question, Wave
from leitwerk.municipalities.models import OrganisationalUnit
from leitwerk.plans.models import ActionField, Initiative
from leitwerk.plans.services import initiative_create

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


@transaction.atomic
def discussion_item_save(
    *,
    wave: Wave,
    unit: OrganisationalUnit,
    question: Question,
    mean: float,
    agreed_action: str,
    actor: User | None,
) -> DiscussionItem:
    """Keep a talking point of the team dialogue (or update its agreed action).

    The caller passes a point the selector found in the published dialogue, so nothing
    below the minimum group size can be saved.
    """
    if not (wave.municipality_id == unit.municipality_id == question.municipality_id):
        raise ValidationError(_("Unbekannte Organisationseinheit."))
    item = (
        DiscussionItem.objects.belonging_to(wave, via="wave")
        .filter(unit=unit, question=question)
        .first()
    )
    created = item is None
    if item is None:
        item = DiscussionItem(
            municipality_id=wave.municipality_id,
            wave=wave,
            unit=unit,
            question=question,
            statement_text=question.text[:500],
            mean=Decimal(str(round(mean, 2))),
        )
    item.agreed_action = agreed_action.strip()
    item.full_clean()
    item.save()
    audit(
        actor=actor,
        action="feedback.discussion_item_create" if created else "feedback.discussion_item_update",
        target=item,
        data={"has_action": bool(item.agreed_action)},
    )
    return item


@transaction.atomic
def discussion_item_update(
    *, item: DiscussionItem, agreed_action: str, actor: User | None
) -> DiscussionItem:
    item.agreed_action = agreed_action.strip()
    item.save(update_fields=["agreed_action", "updated_at"])
    audit(actor=actor, action="feedback.discussion_item_update", target=item)
    return item


@transaction.atomic
def discussion_item_to_initiative(
    *, item: DiscussionItem, action_field: ActionField, actor: User | None
) -> Initiative:
    """Turn the agreed action into a Vorhaben of the chosen action field, led by the team."""
    item = DiscussionItem.objects.select_for_update().get(
        pk=item.pk, municipality_id=item.municipality_id
    )
    if item.initiative_id is not None:
        raise ValidationError(_("Aus diesem Gesprächsthema ist schon ein Vorhaben entstanden."))
    if not item.agreed_action:
        raise ValidationError(_("Bitte zuerst den vereinbarten Schritt eintragen."))
    if action_field.municipality_id != item.municipality_id:
        raise ValidationError(_("Unbekanntes Handlungsfeld."))
    first_line = item.agreed_action.splitlines()[0].strip()
    initiative = initiative_create(
        action_field=action_field,
        actor=actor,
        title=first_line[:500],
        values={
            "lead_unit": item.unit,
            "description": (
                f"{item.agreed_action}\n\nAus dem Teamgespräch zur Aussage "
                f"„{item.statement_text}“ ({item.wave.survey.title}, {item.wave.label})."
            ),
        },
    )
    item.initiative = initiative
    item.save(update_fields=["initiative", "updated_at"])
    audit(
        actor=actor,
        action="feedback.discussion_item_to_initiative",
        target=item,
        data={"initiative": initiative.pk},
    )
    return initiative
