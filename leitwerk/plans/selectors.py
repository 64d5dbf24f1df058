"""Reads of action plans and Vorhaben for a signed-in person, always scoped to one municipality.

Progress and health come from controlling (selectors and the pure roll-up rules); this module
only attaches them to the rows: `initiative.progress_info`, `plan.rollup`, `field.rollup`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from leitwerk.controlling.models import Health, Measurement
from leitwerk.controlling.progress import Rollup, rollup_initiatives
from leitwerk.controlling.selectors import (
    InitiativeProgress,
    progress_for_initiatives,
    progress_for_plan,
)
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


def _may_view(*, user: Any, municipality: Any, perm: str) -> bool:
    # `not municipality` rather than `is None`: request.municipality is a lazy object.
    return bool(municipality) and user.has_perm(perm, municipality)


def _attach_progress(initiatives: list[Initiative], infos: dict[int, InitiativeProgress]) -> None:
    unknown = InitiativeProgress(None, None, Health.UNKNOWN, False)
    for initiative in initiatives:
        initiative.progress_info = infos.get(initiative.pk, unknown)


def health_counts(rollup: Rollup) -> list[tuple[str, str, int]]:
    """(value, label, count) per health that occurs, in the fixed order of Health."""
    return [
        (h.value, h.label, rollup.counts[h.value]) for h in Health if rollup.counts.get(h.value)
    ]


def plan_list_for_user(
    *, user: Any, municipality: Any, today: dt.date | None = None
) -> list[ActionPlan]:
    """The municipality's plans, each with `.rollup` and `.health_counts`; empty if not allowed.

    Progress is computed for all Vorhaben of the municipality at once, so the number of
    queries does not grow with the number of plans.
    """
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
    _attach_progress(initiatives, progress_for_initiatives(initiatives=initiatives, today=today))
    by_plan: dict[int, list[Initiative]] = {}
    for initiative in initiatives:
        by_plan.setdefault(initiative.action_field.plan_id, []).append(initiative)
    for plan in plans:
        children = by_plan.get(plan.pk, [])
        plan.initiative_count = len(children)
        plan.rollup = rollup_initiatives([(i.progress_info, i.weight, i.status) for i in children])
        plan.health_counts = health_counts(plan.rollup)
    return plans


def plan_get_for_user(
    *, user: Any, municipality: Any, pk: int, today: dt.date | None = None
) -> ActionPlan:
    """One plan with action fields, Vorhaben and resolutions, with progress at every level.

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
    progress = progress_for_plan(plan=plan, today=today)
    plan.rollup = progress.plan
    plan.health_counts = health_counts(plan.rollup)
    plan.initiative_count = 0
    for action_field in plan.action_fields.all():
        action_field.rollup = progress.action_fields.get(action_field.pk)
        initiatives = list(action_field.initiatives.all())
        plan.initiative_count += len(initiatives)
        _attach_progress(initiatives, progress.initiatives)
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
    _attach_progress([initiative], progress_for_initiatives(initiatives=[initiative], today=today))
    initiative.today = today
    return initiative
