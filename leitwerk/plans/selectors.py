"""Reads of action plans and Vorhaben for a signed-in person, always scoped to one municipality.

Progress and health come from rollup.py (reads) and progress.py (the pure rules); the page
reads return dataclasses (PlanPage, InitiativePage) that pair the rows with their progress,
instead of attaching attributes to ORM rows.
"""

from __future__ import annotations

import dataclasses
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
from leitwerk.plans import history
from leitwerk.plans.progress import Rollup, rollup_initiatives
from leitwerk.plans.rollup import InitiativeProgress, progress_for_initiatives, progress_for_plan

from .models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    PlanStatus,
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


UNKNOWN_PROGRESS = InitiativeProgress(None, None, Health.UNKNOWN, False)


# --- page data: rows paired with their progress ----------------------------------------------


@dataclass(frozen=True)
class InitiativeRow:
    """A Vorhaben in a list, with its progress and both statuses."""

    initiative: Initiative
    progress: InitiativeProgress


@dataclass(frozen=True)
class PlanSummary:
    """A plan in the plan list and on the home page, with its roll-up."""

    plan: ActionPlan
    rollup: Rollup
    health_counts: list[tuple[str, str, int]]
    initiative_count: int
    action_field_count: int


@dataclass(frozen=True)
class ActionFieldSection:
    """An action field of the plan page: its roll-up and its Vorhaben."""

    action_field: ActionField
    rollup: Rollup | None
    rows: list[InitiativeRow]


@dataclass
class PlanPage:
    """Everything the plan page shows: the plan, its roll-up and its action fields."""

    plan: ActionPlan
    rollup: Rollup
    health_counts: list[tuple[str, str, int]]
    sections: list[ActionFieldSection]

    @property
    def initiative_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    @property
    def rows(self) -> list[InitiativeRow]:
        return [row for section in self.sections for row in section.rows]


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    overdue: bool


@dataclass(frozen=True)
class IndicatorPanel:
    """An indicator of the Vorhaben page with its newest values and, on the profile, its
    chart (inline SVG) and the chart's points (oldest first, for the data table)."""

    indicator: Indicator
    recent_measurements: list[Measurement]
    chart: str = ""
    chart_points: list[tuple[dt.date, Any]] = dataclasses.field(default_factory=list)


@dataclass
class InitiativePage:
    """Everything the Vorhaben page (and its API read) shows."""

    initiative: Initiative
    progress: InitiativeProgress
    today: dt.date
    milestones: list[MilestoneRow]
    indicators: list[IndicatorPanel]
    attachments: list[Any] = dataclasses.field(default_factory=list)
    recent_reports: list[StatusReport] = dataclasses.field(default_factory=list)


def health_counts(rollup: Rollup) -> list[tuple[str, str, int]]:
    """(value, label, count) per health that occurs, in the fixed order of Health."""
    return [
        (h.value, str(h.label), rollup.counts[h.value])
        for h in Health
        if rollup.counts.get(h.value)
    ]


def plan_list_for_user(
    *,
    user: User,
    municipality: Municipality,
    today: dt.date | None = None,
    include_drafts: bool = True,
) -> list[PlanSummary]:
    """The municipality's plans, each with its roll-up; empty if not allowed.

    Without `include_drafts` (the home page, which council members read) draft plans are left
    out. Progress is computed for all Vorhaben of the municipality at once, so the number of
    queries does not grow with the number of plans.
    """
    if not may(user, "plans.view_plan", municipality):
        return []
    today = today or timezone.localdate()
    plan_rows = ActionPlan.objects.for_municipality(municipality)
    initiative_rows = Initiative.objects.for_municipality(municipality)
    if not include_drafts:
        plan_rows = plan_rows.exclude(status=PlanStatus.DRAFT)
        initiative_rows = initiative_rows.without_drafts()
    plans: list[ActionPlan] = list(
        plan_rows.select_related("adopted_by").annotate(
            action_field_count=Count("action_fields", distinct=True)
        )
    )
    initiatives = list(initiative_rows.select_related("action_field"))
    infos = progress_for_initiatives(initiatives=initiatives, today=today)
    by_plan: dict[int, list[Initiative]] = {}
    for initiative in initiatives:
        by_plan.setdefault(initiative.action_field.plan_id, []).append(initiative)
    summaries = []
    for plan in plans:
        children = by_plan.get(plan.pk, [])
        rollup = rollup_initiatives(
            [(infos.get(i.pk, UNKNOWN_PROGRESS), i.weight, i.status) for i in children]
        )
        summaries.append(
            PlanSummary(
                plan=plan,
                rollup=rollup,
                health_counts=health_counts(rollup),
                initiative_count=len(children),
                action_field_count=getattr(plan, "action_field_count", 0),
            )
        )
    return summaries


def draft_plan_count(*, user: User, municipality: Municipality) -> int:
    """How many draft plans the municipality has (0 for a person who may not see plans)."""
    if not may(user, "plans.view_plan", municipality):
        return 0
    return ActionPlan.objects.for_municipality(municipality).filter(status=PlanStatus.DRAFT).count()


def plan_get_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> PlanPage:
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
    sections = [
        ActionFieldSection(
            action_field=action_field,
            rollup=progress.action_fields.get(action_field.pk),
            rows=[
                InitiativeRow(i, progress.initiatives.get(i.pk, UNKNOWN_PROGRESS))
                for i in action_field.initiatives.all()
            ],
        )
        for action_field in plan.action_fields.all()
    ]
    return PlanPage(
        plan=plan,
        rollup=progress.plan,
        health_counts=health_counts(progress.plan),
        sections=sections,
    )


def initiative_get_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> InitiativePage:
    """One Vorhaben with everything its detail page shows, in a fixed number of queries.

    With its progress, its milestones (overdue or not) and its indicators with their
    newest five values (newest first). Raises Http404 for missing and forbidden alike.
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
    infos = progress_for_initiatives(initiatives=[initiative], today=today)
    return InitiativePage(
        initiative=initiative,
        progress=infos.get(initiative.pk, UNKNOWN_PROGRESS),
        today=today,
        milestones=[MilestoneRow(m, m.is_overdue(today)) for m in initiative.milestones.all()],
        indicators=[
            IndicatorPanel(i, list(i.measurements.all())[:5]) for i in initiative.indicators.all()
        ],
    )


# --- editing workspace: profile, history, state as of a date ----------------------------------


def initiative_profile_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> InitiativePage:
    """The Vorhaben as `initiative_get_for_user` loads it, plus what the profile adds:
    attachments, the newest three status reports and a chart per indicator, in a fixed
    number of extra queries."""
    from .charts import line_chart
    from .models import Attachment

    page = initiative_get_for_user(user=user, municipality=municipality, pk=pk, today=today)
    initiative = page.initiative
    page.attachments = list(
        Attachment.objects.for_municipality(municipality)
        .filter(initiative=initiative)
        .select_related("uploaded_by")
    )
    page.recent_reports = list(
        StatusReport.objects.for_municipality(municipality)
        .filter(initiative=initiative)
        .select_related("author")[:3]
    )
    panels = []
    for panel in page.indicators:
        indicator = panel.indicator
        points = [(m.measured_on, m.value) for m in reversed(list(indicator.measurements.all()))]
        chart = line_chart(
            chart_id=f"chart-{indicator.pk}",
            title=f"Verlauf: {indicator.title}",
            points=points,
            baseline=indicator.baseline,
            target=indicator.target,
            unit=indicator.unit,
        )
        panels.append(
            IndicatorPanel(indicator, panel.recent_measurements, chart=chart, chart_points=points)
        )
    page.indicators = panels
    return page


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


@dataclass(frozen=True)
class AsOf:
    """A "Stand am" page: the row as it is now (for the heading) and its state on `day`.

    `then` is None without a day, or when the row did not exist yet on that day.
    """

    subject: Any
    day: dt.date | None
    then: Any
    sessions: list[history.Session]


def initiative_as_of_for_user(
    *, user: User, municipality: Municipality, pk: int, day: dt.date | None
) -> AsOf:
    """The Vorhaben with progress, Ampel, the owner's assessment, milestones and indicator
    values as they were stored at the end of `day`. Http404 for missing and forbidden alike."""
    initiative = access_row(
        Initiative.objects.select_related("action_field__plan"),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="plans.view_initiative",
    )
    then = None
    if day is not None:
        then = history.initiatives_then(
            municipality=municipality, day=day, initiative_ids=[initiative.pk]
        ).get(initiative.pk)
    return AsOf(initiative, day, then, history.sessions(municipality=municipality))


def plan_as_of_for_user(
    *, user: User, municipality: Municipality, pk: int, day: dt.date | None
) -> AsOf:
    """The plan, its action fields and Vorhaben with progress and Ampel at the end of `day`."""
    plan = access_plan(user=user, municipality=municipality, pk=pk)
    then = history.plan_then(plan=plan, day=day) if day is not None else None
    return AsOf(plan, day, then, history.sessions(municipality=municipality))


def goal_as_of_for_user(
    *, user: User, municipality: Municipality, pk: int, day: dt.date | None
) -> AsOf:
    """A goal with progress, Ampel, its Vorhaben and own indicator values at the end of `day`."""
    goal = access_row(
        Goal.objects.select_related("goal_field"),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="goals.view_goal",
    )
    then = None
    if day is not None and goal.created_at <= history.end_of_day(day):
        then = history.goal_then(goal=goal, day=day)
    return AsOf(goal, day, then, history.sessions(municipality=municipality))


@dataclass(frozen=True)
class ChangesPage:
    plan: ActionPlan
    comparison: history.PlanComparison | None
    sessions: list[history.Session]


def plan_changes_for_user(
    *,
    user: User,
    municipality: Municipality,
    pk: int,
    since: dt.date | None,
    until: dt.date | None,
) -> ChangesPage:
    """ "Was hat sich seit der letzten Sitzung geändert?" for a plan.

    Without `since`, the comparison starts at the last session before `until` (today by
    default); without any session it is not made (the page asks for a date).
    """
    plan = access_plan(user=user, municipality=municipality, pk=pk)
    until = until or timezone.localdate()
    sessions = history.sessions(municipality=municipality)
    if since is None:
        since = next((s.day for s in sessions if s.day < until), None)
    comparison = None
    if since is not None:
        comparison = history.plan_comparison(plan=plan, since=since, until=until)
    return ChangesPage(plan, comparison, sessions)


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
