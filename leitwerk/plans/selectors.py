"""Reads of action plans and Vorhaben for a signed-in person, always scoped to one municipality.

Progress and health come from controlling.selectors.progress_for_initiatives; this module only
attaches them to the rows (as `initiative.progress_info`) and sums them up per plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from leitwerk.controlling.models import Health, Measurement
from leitwerk.controlling.selectors import InitiativeProgress, progress_for_initiatives
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import Statement

from .models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Milestone,
    Resolution,
    SubInitiative,
    TransferCity,
)


@dataclass
class PlanSummary:
    """How a plan's Vorhaben stand, for the plan list and the home page."""

    initiative_count: int = 0
    progress: float | None = None  # mean of the Vorhaben that have a measurable progress
    health_counts: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, n)


def _may_view(*, user: Any, municipality: Any, perm: str) -> bool:
    # `not municipality` rather than `is None`: request.municipality is a lazy object.
    return bool(municipality) and user.has_perm(perm, municipality)


def _attach_progress(initiatives: list[Initiative], today: dt.date) -> None:
    infos = progress_for_initiatives(initiatives=initiatives, today=today)
    unknown = InitiativeProgress(None, None, Health.UNKNOWN, False)
    for initiative in initiatives:
        initiative.progress_info = infos.get(initiative.pk, unknown)


def summarise(initiatives: list[Initiative]) -> PlanSummary:
    """Counts per health and the plain mean progress of Vorhaben that have one."""
    values = [i.progress_info.progress for i in initiatives if i.progress_info.progress is not None]
    counts = Counter(i.progress_info.health for i in initiatives)
    return PlanSummary(
        initiative_count=len(initiatives),
        progress=sum(values) / len(values) if values else None,
        health_counts=[(h.value, h.label, counts[h.value]) for h in Health if counts[h.value]],
    )


def plan_list_for_user(
    *, user: Any, municipality: Any, today: dt.date | None = None
) -> list[ActionPlan]:
    """The municipality's plans, each with `.summary` (PlanSummary); empty if not allowed."""
    if not _may_view(user=user, municipality=municipality, perm="plans.view_plan"):
        return []
    today = today or timezone.localdate()
    plans = list(
        ActionPlan.objects.for_municipality(municipality)
        .select_related("adopted_by")
        .annotate(action_field_count=Count("action_fields", distinct=True))
    )
    initiatives = list(
        Initiative.objects.for_municipality(municipality).select_related("action_field")
    )
    _attach_progress(initiatives, today)
    by_plan: dict[int, list[Initiative]] = {}
    for initiative in initiatives:
        by_plan.setdefault(initiative.action_field.plan_id, []).append(initiative)
    for plan in plans:
        plan.summary = summarise(by_plan.get(plan.pk, []))
    return plans


def plan_get_for_user(
    *, user: Any, municipality: Any, pk: int, today: dt.date | None = None
) -> ActionPlan:
    """One plan with action fields, Vorhaben (with `.progress_info`) and resolutions.

    Raises Http404 for a missing plan and for one the person may not see alike.
    """
    if not _may_view(user=user, municipality=municipality, perm="plans.view_plan"):
        raise Http404
    today = today or timezone.localdate()
    initiatives = Initiative.objects.for_municipality(municipality).select_related("lead_unit")
    fields = ActionField.objects.for_municipality(municipality).prefetch_related(
        Prefetch("initiatives", queryset=initiatives)
    )
    plan = (
        ActionPlan.objects.for_municipality(municipality)
        .select_related("adopted_by")
        .prefetch_related(
            Prefetch("action_fields", queryset=fields),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.for_municipality(municipality).filter(
                    initiative__isnull=True
                ),
                to_attr="plan_resolutions",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    all_initiatives = [i for f in plan.action_fields.all() for i in f.initiatives.all()]
    _attach_progress(all_initiatives, today)
    plan.summary = summarise(all_initiatives)
    return plan


def initiative_get_for_user(
    *, user: Any, municipality: Any, pk: int, today: dt.date | None = None
) -> Initiative:
    """One Vorhaben with everything its detail page shows, in a fixed number of queries.

    Adds `.progress_info`, `.today` and, on each indicator, `.recent_measurements`
    (newest first, at most five). Raises Http404 for missing and forbidden alike.
    """
    if not _may_view(user=user, municipality=municipality, perm="plans.view_initiative"):
        raise Http404
    today = today or timezone.localdate()
    scoped = lambda model: model.objects.for_municipality(municipality)  # noqa: E731
    initiative = (
        scoped(Initiative)
        .select_related("action_field__plan", "lead_unit")
        .prefetch_related(
            Prefetch("ideas", queryset=scoped(SubInitiative)),
            Prefetch("milestones", queryset=scoped(Milestone)),
            Prefetch(
                "indicators",
                queryset=scoped(Indicator).prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=scoped(Measurement).order_by("-measured_on", "-id"),
                    )
                ),
            ),
            Prefetch("transfer_cities", queryset=scoped(TransferCity)),
            Prefetch("resolutions", queryset=scoped(Resolution)),
            Prefetch(
                "statements",
                queryset=scoped(Statement).select_related("section__document"),
            ),
            Prefetch("goals", queryset=scoped(Goal).select_related("goal_field")),
            "responsible_people",
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    for indicator in initiative.indicators.all():
        indicator.recent_measurements = list(indicator.measurements.all())[:5]
    for milestone in initiative.milestones.all():
        milestone.overdue = milestone.is_overdue(today)
    _attach_progress([initiative], today)
    initiative.today = today
    return initiative
