"""Reads of obstacles for a signed-in person; Http404 for missing and forbidden alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from leitwerk.core.access import require_visible
from leitwerk.plans.models import Initiative

from .models import Obstacle, ObstacleRating, SolutionConcept

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


def obstacle_list_for_user(*, user: User, municipality: Municipality) -> list[Obstacle]:
    """Obstacles by severity, each with `.solution_count` and its Vorhaben prefetched."""
    require_visible(user, "obstacles.view_obstacle", municipality)
    obstacles: list[Obstacle] = list(
        Obstacle.objects.for_municipality(municipality)
        .select_related("unit")
        .annotate(solution_count=Count("solutions", distinct=True))
        .prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.for_municipality(municipality))
        )
    )
    obstacles.sort(key=lambda o: (-o.severity, o.title))
    return obstacles


def obstacle_get_for_user(*, user: User, municipality: Municipality, pk: int) -> Obstacle:
    require_visible(user, "obstacles.view_obstacle", municipality)
    initiatives = Initiative.objects.for_municipality(municipality)
    obstacle = (
        Obstacle.objects.for_municipality(municipality)
        # One prefetch per call: django-stubs types the lookups of one call alike.
        .prefetch_related(Prefetch("initiatives", queryset=initiatives))
        .prefetch_related(
            Prefetch(
                "solutions",
                queryset=SolutionConcept.objects.for_municipality(municipality).prefetch_related(
                    Prefetch("initiatives", queryset=initiatives)
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=ObstacleRating.objects.for_municipality(municipality).select_related(
                    "rated_by", "unit"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if obstacle is None:
        raise Http404
    return obstacle


def initiatives_for_forms(*, municipality: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.for_municipality(municipality).order_by("number", "pk")
