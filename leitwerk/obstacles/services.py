"""Writes of the obstacles stage: record, rate, and link solution concepts to Vorhaben."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg

from leitwerk.core.audit import audit
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.plans.models import Initiative

from .models import Obstacle, ObstacleRating, SolutionConcept

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


def _check_rating(value: int, label: str) -> None:
    if not 1 <= value <= 5:
        raise ValidationError(f"{label} wird mit 1 (gering) bis 5 (sehr hoch) bewertet.")


def _check_initiatives(municipality_id: int, initiatives: Sequence[Initiative]) -> None:
    if any(i.municipality_id != municipality_id for i in initiatives):
        raise ValidationError("Ein Vorhaben gehört zu einer anderen Kommune.")


@transaction.atomic
def obstacle_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    description: str = "",
    category: str = "",
    impact: int = 3,
    frequency: int = 3,
    initiatives: Sequence[Initiative] = (),
) -> Obstacle:
    if not title.strip():
        raise ValidationError("Bitte geben Sie dem Hemmnis einen Titel.")
    _check_rating(impact, "Die Auswirkung")
    _check_rating(frequency, "Die Häufigkeit")
    _check_initiatives(municipality.pk, initiatives)
    obstacle = Obstacle.objects.create(
        municipality=municipality,
        title=title.strip(),
        description=description,
        category=category.strip(),
        impact=impact,
        frequency=frequency,
    )
    obstacle.initiatives.set(initiatives)
    audit(actor=actor, action="obstacles.obstacle_create", target=obstacle)
    return obstacle


@transaction.atomic
def obstacle_rate(
    *,
    obstacle: Obstacle,
    actor: User | None,
    impact: int,
    frequency: int,
    unit: OrganisationalUnit | None = None,
    comment: str = "",
) -> ObstacleRating:
    """Add one rating; the obstacle's impact and frequency become the rounded mean of all."""
    _check_rating(impact, "Die Auswirkung")
    _check_rating(frequency, "Die Häufigkeit")
    if unit is not None and unit.municipality_id != obstacle.municipality_id:
        raise ValidationError("Die Organisationseinheit gehört zu einer anderen Kommune.")
    rating = ObstacleRating.objects.create(
        municipality_id=obstacle.municipality_id,
        obstacle=obstacle,
        rated_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        impact=impact,
        frequency=frequency,
        comment=comment,
    )
    means = obstacle.ratings.aggregate(impact=Avg("impact"), frequency=Avg("frequency"))
    # Half up, not banker's rounding: 2.5 means "rather 3" to the people who rated.
    obstacle.impact = int(float(means["impact"]) + 0.5)
    obstacle.frequency = int(float(means["frequency"]) + 0.5)
    obstacle.save(update_fields=["impact", "frequency", "updated_at"])
    audit(
        actor=actor,
        action="obstacles.obstacle_rate",
        target=obstacle,
        data={"impact": impact, "frequency": frequency},
    )
    return rating


@transaction.atomic
def solution_concept_create(
    *,
    obstacle: Obstacle,
    actor: User | None,
    title: str,
    description: str = "",
    initiatives: Sequence[Initiative] = (),
) -> SolutionConcept:
    """A solution concept; the Vorhaben it led to are linked to the obstacle as well."""
    if not title.strip():
        raise ValidationError("Bitte geben Sie dem Lösungskonzept einen Titel.")
    _check_initiatives(obstacle.municipality_id, initiatives)
    concept = SolutionConcept.objects.create(
        municipality_id=obstacle.municipality_id,
        obstacle=obstacle,
        title=title.strip(),
        description=description,
    )
    concept.initiatives.set(initiatives)
    obstacle.initiatives.add(*initiatives)
    audit(actor=actor, action="obstacles.solution_concept_create", target=concept)
    return concept
