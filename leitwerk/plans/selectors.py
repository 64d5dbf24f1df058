"""Reads of action plans and Vorhaben for a signed-in person, always scoped to one municipality.

Progress and health come from rollup.py (reads) and progress.py (the pure rules); this module
only attaches them to the rows: `initiative.progress_info`, `plan.rollup`, `field.rollup`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from leitwerk.core.access import access_row, may
from leitwerk.core.models import TenantModel, TenantQuerySet, scoped_related
from leitwerk.core.status import Health
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import Statement
from leitwerk.plans.progress import Rollup, rollup_initiatives
from leitwerk.plans.rollup import InitiativeProgress, progress_for_initiatives, progress_for_plan

from . import release
from .models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    Resolution,
    StatusReport,
    SubInitiative,
    TransferCity,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


# --- access: one row for a person (404 missing/foreign/invisible, 403 visible but not allowed) ---


def access_plan(*, user: Any, municipality: Any, pk: Any, perm: str | None = None) -> ActionPlan:
    """A plan of the municipality; `perm` (e.g. "plans.change_plan") is checked on it."""
    return access_row(
        ActionPlan.objects.all(),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="plans.view_plan",
        perm=perm,
    )


def access_initiative(
    *, user: Any, municipality: Any, pk: Any, perm: str | None = None
) -> Initiative:
    """A Vorhaben with its plan, lead unit and responsible people (what the rules read)."""
    return access_row(
        Initiative.objects.select_related("action_field__plan", "lead_unit").prefetch_related(
            "responsible_people"
        ),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="plans.view_initiative",
        perm=perm,
    )


def access_indicator(
    *, user: Any, municipality: Any, pk: Any, perm: str | None = None
) -> Indicator:
    """An indicator with its Vorhaben (and plan) or goal."""
    return access_row(
        Indicator.objects.select_related("initiative__action_field__plan", "goal"),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="plans.view_initiative",
        perm=perm,
    )


def _attach_progress(initiatives: list[Initiative], infos: dict[int, InitiativeProgress]) -> None:
    unknown = InitiativeProgress(None, None, Health.UNKNOWN, False)
    for initiative in initiatives:
        initiative.progress_info = infos.get(initiative.pk, unknown)  # type: ignore[attr-defined]


def health_counts(rollup: Rollup) -> list[tuple[str, str, int]]:
    """(value, label, count) per health that occurs, in the fixed order of Health."""
    return [
        (h.value, str(h.label), rollup.counts[h.value])
        for h in Health
        if rollup.counts.get(h.value)
    ]


def plan_list_for_user(
    *, user: User, municipality: Municipality, today: dt.date | None = None
) -> list[ActionPlan]:
    """The municipality's plans, each with `.rollup` and `.health_counts`; empty if not allowed.

    Progress is computed for all Vorhaben of the municipality at once, so the number of
    queries does not grow with the number of plans.
    """
    if not may(user, "plans.view_plan", municipality):
        return []
    today = today or timezone.localdate()
    plans: list[ActionPlan] = list(
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
        plan.initiative_count = len(children)  # type: ignore[attr-defined]
        plan.rollup = rollup_initiatives(  # type: ignore[attr-defined]
            [(i.progress_info, i.weight, i.status) for i in children]  # type: ignore[attr-defined]
        )
        plan.health_counts = health_counts(plan.rollup)  # type: ignore[attr-defined]
    return plans


def plan_get_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> ActionPlan:
    """One plan with action fields, Vorhaben and resolutions, with progress at every level.

    Raises Http404 for a missing plan and for one the person may not see alike.
    """
    if not may(user, "plans.view_plan", municipality):
        raise Http404
    today = today or timezone.localdate()
    initiatives = Initiative.objects.for_municipality(municipality).select_related("lead_unit")
    fields = ActionField.objects.for_municipality(municipality).prefetch_related(
        Prefetch("initiatives", queryset=initiatives)
    )
    plan = (
        ActionPlan.objects.for_municipality(municipality)
        .select_related("adopted_by")
        # One prefetch per call: django-stubs types the lookups of one call alike.
        .prefetch_related(Prefetch("action_fields", queryset=fields))
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.for_municipality(municipality).filter(
                    initiative__isnull=True
                ),
                to_attr="plan_resolutions",
            )
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    progress = progress_for_plan(plan=plan, today=today)
    plan.rollup = progress.plan  # type: ignore[attr-defined]
    plan.health_counts = health_counts(plan.rollup)  # type: ignore[attr-defined]
    plan.initiative_count = 0  # type: ignore[attr-defined]
    for action_field in plan.action_fields.all():
        action_field.rollup = progress.action_fields.get(action_field.pk)  # type: ignore[attr-defined]
        children = list(action_field.initiatives.all())
        plan.initiative_count += len(children)  # type: ignore[attr-defined]
        _attach_progress(children, progress.initiatives)
    return plan


def initiative_get_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> Initiative:
    """One Vorhaben with everything its detail page shows, in a fixed number of queries.

    Adds `.progress_info`, `.today` and, on each indicator, `.recent_measurements`
    (newest first, at most five). Raises Http404 for missing and forbidden alike.
    """
    if not may(user, "plans.view_initiative", municipality):
        raise Http404
    today = today or timezone.localdate()

    def scoped(model: type[TenantModel]) -> TenantQuerySet[Any]:
        return model.objects.for_municipality(municipality)

    initiative: Initiative | None = (
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
            # "Warum es dieses Vorhaben gibt": the obstacles and solution concepts behind it.
            Prefetch("obstacles", queryset=scoped_related(Initiative, "obstacles", municipality)),
            Prefetch(
                "solution_concepts",
                queryset=scoped_related(Initiative, "solution_concepts", municipality)
                .select_related("obstacle")
                .order_by("title"),
            ),
            "responsible_people",
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    for indicator in initiative.indicators.all():
        indicator.recent_measurements = list(indicator.measurements.all())[:5]  # type: ignore[attr-defined]
    for milestone in initiative.milestones.all():
        milestone.overdue = milestone.is_overdue(today)  # type: ignore[attr-defined]
    _attach_progress([initiative], progress_for_initiatives(initiatives=[initiative], today=today))
    initiative.today = today  # type: ignore[attr-defined]
    return initiative


# --- editing workspace: profile, history, state as of a date ----------------------------------


def initiative_profile_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> Initiative:
    """The Vorhaben as `initiative_get_for_user` loads it, plus what the profile adds.

    Adds `.attachment_list`, `.recent_reports` (newest three) and, on each indicator,
    `.chart` (inline SVG) and `.chart_points` (oldest first, for the data table), in a fixed
    number of extra queries.
    """
    from .charts import line_chart
    from .models import Attachment

    initiative = initiative_get_for_user(user=user, municipality=municipality, pk=pk, today=today)
    initiative.attachment_list = list(  # type: ignore[attr-defined]
        Attachment.objects.for_municipality(municipality)
        .filter(initiative=initiative)
        .select_related("uploaded_by")
    )
    initiative.recent_reports = list(  # type: ignore[attr-defined]
        StatusReport.objects.for_municipality(municipality)
        .filter(initiative=initiative)
        .select_related("author")[:3]
    )
    for indicator in initiative.indicators.all():
        points = [(m.measured_on, m.value) for m in reversed(list(indicator.measurements.all()))]
        indicator.chart_points = points  # type: ignore[attr-defined]
        indicator.chart = line_chart(  # type: ignore[attr-defined]
            chart_id=f"chart-{indicator.pk}",
            title=f"Verlauf: {indicator.title}",
            points=points,
            baseline=indicator.baseline,
            target=indicator.target,
            unit=indicator.unit,
        )
    return initiative


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _changes(records: list[Any]) -> list[dict[str, Any]]:
    """Each record with the fields it changed against the one before it (same object)."""
    entries = []
    previous: dict[tuple[str, int], Any] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        # Ids repeat across models (Vorhaben 1, Meilenstein 1), so the model is part of the key.
        key = (record.instance_type._meta.label, record.id)
        before = previous.get(key)
        changed: list[str] = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before, excluded_fields=["version", "updated_at"])
            changed = [
                str(record.instance_type._meta.get_field(c.field).verbose_name)
                for c in delta.changes
            ]
        previous[key] = record
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.instance_type._meta.verbose_name,
                "object": str(record.instance),
                "type": record.history_type,
                "changed": changed,
            }
        )
    entries.reverse()
    return entries


def initiative_history_for_user(
    *, user: User, municipality: Municipality, pk: int, limit: int = 300
) -> Initiative:
    """The Vorhaben with `.history_entries`: who changed what and when, newest first.

    Covers the Vorhaben, its milestones, indicators and measurements. Raises Http404 for
    missing and forbidden alike.
    """
    if not may(user, "plans.view_initiative", municipality):
        raise Http404
    initiative = (
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field__plan")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    records: list[Any] = []
    sources = [
        Initiative.history.filter(id=initiative.pk),
        Milestone.history.filter(initiative_id=initiative.pk, municipality=municipality),
        Indicator.history.filter(initiative_id=initiative.pk, municipality=municipality),
        Measurement.history.filter(
            indicator__initiative_id=initiative.pk, municipality=municipality
        ),
    ]
    for queryset in sources:
        records.extend(queryset.select_related("history_user").order_by("-history_date")[:limit])
    initiative.history_entries = _changes(records)[:limit]  # type: ignore[attr-defined]
    return initiative


def initiative_as_of_for_user(
    *, user: User, municipality: Municipality, pk: int, day: dt.date | None
) -> dict[str, Any]:
    """The Vorhaben, its milestones and indicators as they were stored at the end of `day`.

    Without a day, only the current Vorhaben (for the page heading). Http404 for missing and
    forbidden alike; `state` is None when the Vorhaben did not exist yet on that day.
    """
    if not may(user, "plans.view_initiative", municipality):
        raise Http404
    initiative = (
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field__plan")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    snapshot: dict[str, Any] = {"initiative": initiative, "day": day, "state": None}
    if day is None:
        return snapshot
    moment = _end_of_day(day)
    try:
        snapshot["state"] = initiative.history.as_of(moment)
    except Initiative.DoesNotExist:
        return snapshot
    snapshot["milestones"] = sorted(
        Milestone.history.as_of(moment).filter(initiative_id=pk, municipality=municipality),
        key=lambda m: (m.order, m.due_date or dt.date.max, m.pk),
    )
    snapshot["indicators"] = sorted(
        Indicator.history.as_of(moment).filter(initiative_id=pk, municipality=municipality),
        key=lambda i: (i.order, i.pk),
    )
    return snapshot


def plan_as_of_for_user(
    *, user: User, municipality: Municipality, pk: int, day: dt.date | None
) -> dict[str, Any]:
    """The plan, its action fields and Vorhaben as they were stored at the end of `day`.

    Action fields come from their history too, so a field renamed or deleted since shows
    with the title it had then. Fields without any history (rows written before the history
    was kept) show as they are now, if they existed on that day.
    """
    if not may(user, "plans.view_plan", municipality):
        raise Http404
    plan = ActionPlan.objects.for_municipality(municipality).filter(pk=pk).first()
    if plan is None:
        raise Http404
    snapshot: dict[str, Any] = {"plan": plan, "day": day, "state": None}
    if day is None:
        return snapshot
    moment = _end_of_day(day)
    try:
        snapshot["state"] = plan.history.as_of(moment)
    except ActionPlan.DoesNotExist:
        return snapshot
    fields: dict[int, Any] = {
        f.pk: f
        for f in ActionField.history.as_of(moment).filter(plan_id=pk, municipality=municipality)
    }
    without_history = (
        ActionField.objects.for_municipality(municipality)
        .filter(plan=plan, created_at__lte=moment)
        .exclude(pk__in=ActionField.history.values("id"))
    )
    for field in without_history:
        fields.setdefault(field.pk, field)
    rows = Initiative.history.as_of(moment).filter(
        action_field_id__in=list(fields), municipality=municipality
    )
    by_field: dict[int, list[Any]] = {}
    for row in sorted(rows, key=lambda i: (i.order, i.number, i.pk)):
        by_field.setdefault(row.action_field_id, []).append(row)
    snapshot["fields"] = [
        (field, by_field.get(field_id, []))
        for field_id, field in sorted(fields.items(), key=lambda kv: (kv[1].order, kv[1].code))
    ]
    return snapshot


def plan_milestones_by_initiative(
    *, plan: ActionPlan, municipality: Municipality
) -> dict[int, list[Any]]:
    """All milestones of a plan's Vorhaben in one query, grouped by Vorhaben id."""
    grouped: dict[int, list[Any]] = {}
    milestones = Milestone.objects.for_municipality(municipality).filter(
        initiative__action_field__plan=plan
    )
    for milestone in milestones:
        grouped.setdefault(milestone.initiative_id, []).append(milestone)
    return grouped


# --- Freigabe für das Portal -----------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseState:
    """What the portal shows of a plan or Vorhaben compared with the workspace now."""

    released_at: dt.datetime | None  # the newest release of the plan; None: never released
    released_by: str  # the person's name, "" when unknown (demo, command line)
    in_portal: bool  # the portal shows this plan / Vorhaben
    publishable: bool  # public now (and its plan public and adopted)
    changes: list[str]  # German names of what differs from the release

    @property
    def up_to_date(self) -> bool:
        return not self.changes


def _released_by(row: Any) -> str:
    person = row.released_by if row is not None else None
    if person is None:
        return ""
    return str(person.get_full_name() or person.email)


def plan_release_state(*, plan: ActionPlan, today: dt.date | None = None) -> ReleaseState:
    """Release of a plan the person already may see (from `plan_get_for_user`)."""
    today = today or timezone.localdate()
    row = release.newest_release(plan)
    current = release.plan_snapshot(plan=plan, today=today)
    released = row.data if row is not None else None
    return ReleaseState(
        released_at=row.released_at if row is not None else None,
        released_by=_released_by(row),
        in_portal=bool(released and released.get("initiatives")),
        publishable=release.is_publishable(plan),
        changes=release.plan_changes(released, current),
    )


def initiative_release_state(
    *, initiative: Initiative, today: dt.date | None = None
) -> ReleaseState:
    """Release of a Vorhaben the person already may see (from `initiative_profile_for_user`)."""
    today = today or timezone.localdate()
    row = release.newest_release(initiative.action_field.plan)
    released_entries = row.data.get("initiatives", []) if row is not None else []
    released = next((e for e in released_entries if e["id"] == initiative.pk), None)
    current = release.initiative_entry(initiative=initiative, today=today)
    return ReleaseState(
        released_at=row.released_at if row is not None and released is not None else None,
        released_by=_released_by(row) if released is not None else "",
        in_portal=released is not None,
        publishable=current is not None,
        changes=release.entry_changes(released, current),
    )
