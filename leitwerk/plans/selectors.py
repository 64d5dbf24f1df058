"""Reads of action plans and Vorhaben for a signed-in person, always scoped to one municipality.

Progress and health come from rollup.py (reads) and progress.py (the pure rules); the page
reads return dataclasses (PlanPage, InitiativePage) that pair the rows with their progress,
instead of attaching attributes to ORM rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from leitwerk.core.access import access_row, may
from leitwerk.core.models import TenantModel, TenantQuerySet, scoped_related
from leitwerk.core.status import Health
from leitwerk.goals import selectors as goal_selectors
from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.guidelines.models import Statement
from leitwerk.plans import history
from leitwerk.plans.progress import (
    LEFT_OUT_STATUSES,
    Rollup,
    displayed_health,
    indicator_attainment,
    rollup_initiatives,
)
from leitwerk.plans.rollup import (
    GoalProgress,
    InitiativeProgress,
    evaluate,
    progress_for_goals,
    progress_for_initiatives,
    progress_for_plan,
)

from . import release
from .charts import line_chart
from .models import (
    ActionField,
    ActionPlan,
    Attachment,
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
    """An indicator with its Vorhaben (and plan) or goal (and goal field)."""
    return access_row(
        Indicator.objects.select_related("initiative__action_field__plan", "goal__goal_field"),
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
    # Evaluated straight from the query (values, no model rows, no list of ids sent back):
    # with one plan of 30,000 Vorhaben, loading every row first doubled the start page's time
    # (audit 2, L2).
    evaluated = evaluate(initiative_rows, today)
    plan_of_field = dict(
        ActionField.objects.for_municipality(municipality).values_list("pk", "plan_id")
    )
    by_plan: dict[int, list[Any]] = {}
    for row in evaluated.values():
        by_plan.setdefault(plan_of_field[row.action_field_id], []).append(row)
    summaries = []
    for plan in plans:
        children = by_plan.get(plan.pk, [])
        rollup = rollup_initiatives([(e.progress, e.weight, e.status) for e in children])
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


@dataclass(frozen=True)
class InitiativeHistory:
    initiative: Initiative
    entries: list[dict[str, Any]]  # who changed what and when, newest first


def initiative_history_for_user(
    *, user: User, municipality: Municipality, pk: int, limit: int = 300
) -> InitiativeHistory:
    """The Vorhaben and its history: who changed what and when, newest first.

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
    return InitiativeHistory(initiative, _changes(records)[:limit])


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
    # Grouped by Vorhaben, each in its own order: no joins for Meta.ordering's chain.
    milestones = (
        Milestone.objects.for_municipality(municipality)
        .filter(initiative__action_field__plan=plan)
        .order_by("initiative_id", "order", "due_date", "id")
    )
    for milestone in milestones:
        grouped.setdefault(milestone.initiative_id, []).append(milestone)
    return grouped


# --- goal scorecards: the goal with the roll-up of the Vorhaben serving it ---------------------
# Goals sit below the hub, so the reads that roll up Vorhaben for a goal live here; the numbers
# come from rollup.progress_for_goals, the same function the council report uses.


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{max(0, min(100, round(value * 100)))} %"


def goal_health_reason(goal_progress: GoalProgress, initiative_count: int) -> str:
    """Why the goal has its health, in plain German (the rule of docs/ROLLUP.md, section 4)."""
    part = goal_progress.initiatives
    health = goal_progress.health
    if health == Health.DONE:
        if goal_progress.progress is not None and goal_progress.progress >= 1:
            return "Der Fortschritt hat 100 % erreicht: das Ziel ist erreicht."
        return "Alle Vorhaben, die diesem Ziel dienen, sind erledigt."
    if health == Health.UNKNOWN:
        if not initiative_count:
            return (
                "Noch dient kein Vorhaben diesem Ziel. Die Einschätzung kommt aus den Vorhaben; "
                "die eigenen Kennzahlen des Ziels zählen nur für den Fortschritt."
            )
        return "Von den Vorhaben, die diesem Ziel dienen, liegen noch keine Daten vor."
    sentences = []
    critical = part.counts.get(Health.OFF_TRACK, 0)
    if part.progress is not None and part.expected is not None:
        gap = round((part.expected - part.progress) * 100)
        if gap > 0:
            sentences.append(
                f"Die Vorhaben stehen bei {_pct(part.progress)}, laut Zeitplan erwartet sind "
                f"{_pct(part.expected)}: {gap} Prozentpunkte Rückstand (bis 10 Punkte "
                "„im Plan“, bis 25 „gefährdet“, darüber „kritisch“)."
            )
        else:
            sentences.append(
                f"Die Vorhaben stehen bei {_pct(part.progress)}, laut Zeitplan erwartet sind "
                f"{_pct(part.expected)}."
            )
    else:
        sentences.append("Kein Vorhaben hat einen Zeitplan: es zählt das schlechteste Vorhaben.")
    if critical:
        noun = "Vorhaben ist" if critical == 1 else "Vorhaben sind"
        sentences.append(
            f"{critical} {noun} kritisch; ein kritisches Vorhaben macht das Ziel mindestens "
            "„gefährdet“."
        )
    return " ".join(sentences)


@dataclass(frozen=True)
class GoalStatus:
    """Progress and Ampel of one goal, as the goal list, the scorecard and the API show it."""

    progress: GoalProgress  # rollup.progress_for_goals: the report's numbers
    health: str  # displayed Ampel: the worse of calculated and owner assessment
    calculated_health: str
    owner_health: str | None  # goals have no owner assessment (yet): always None
    owner_reported_on: dt.date | None
    reason: str


def _goal_status(goal_progress: GoalProgress, initiative_count: int) -> GoalStatus:
    calculated = goal_progress.health
    return GoalStatus(
        progress=goal_progress,
        health=displayed_health(calculated, None),
        calculated_health=calculated,
        owner_health=None,
        owner_reported_on=None,
        reason=goal_health_reason(goal_progress, initiative_count),
    )


def goal_statuses(*, goals: list[Goal], today: dt.date) -> dict[int, GoalStatus]:
    """GoalStatus per goal id for loaded goals, in a fixed number of queries."""
    progress = progress_for_goals(goals=goals, today=today)
    counts = Counter(
        Initiative.goals.through.objects.filter(goal_id__in=[g.pk for g in goals]).values_list(
            "goal_id", flat=True
        )
    )
    return {g.pk: _goal_status(progress[g.pk], counts.get(g.pk, 0)) for g in goals}


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    status: GoalStatus


@dataclass(frozen=True)
class GoalFieldRow:
    goal_field: GoalField
    goals: list[GoalRow]


def goal_fields_with_progress_for_user(
    *, user: User, municipality: Municipality, pk: int | None = None, today: dt.date | None = None
) -> list[GoalFieldRow]:
    """The goal fields (all, or the one with `pk`; 404 if missing) with each goal's status."""
    today = today or timezone.localdate()
    if pk is None:
        fields = list(goal_selectors.goal_field_list_for_user(user=user, municipality=municipality))
    else:
        fields = [
            goal_selectors.goal_field_get_for_user(user=user, municipality=municipality, pk=pk)
        ]
    goals = [goal for field in fields for goal in field.goals.all()]
    statuses = goal_statuses(goals=goals, today=today)
    return [
        GoalFieldRow(
            goal_field=field,
            goals=[GoalRow(goal=g, status=statuses[g.pk]) for g in field.goals.all()],
        )
        for field in fields
    ]


@dataclass(frozen=True)
class IndicatorCard:
    """One indicator of a goal with its values up to the day, newest first."""

    indicator: Indicator
    measurements: list[Measurement]  # newest first, up to `today`
    attainment: float | None  # the rule of progress.indicator_attainment
    chart: str  # inline SVG (plans/charts.py on core/charts.py), "" without values
    chart_points: list[tuple[dt.date, Any]]  # oldest first, the data table's rows

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[0] if self.measurements else None


@dataclass(frozen=True)
class Contribution:
    """A Vorhaben serving the goal, with its own progress and health and its share."""

    initiative: Initiative
    progress: InitiativeProgress
    weight: Any
    share: float | None  # share of the goal's progress (None: does not count, see `note`)
    note: str


@dataclass(frozen=True)
class GoalScorecard:
    goal: Goal
    status: GoalStatus
    indicators: list[IndicatorCard]
    initiatives: list[Contribution]
    statements: list[Statement]
    today: dt.date


def _contributions(
    initiatives: list[Initiative], infos: dict[int, InitiativeProgress], own_part: float | None
) -> list[Contribution]:
    # Which Vorhaben count follows progress.rollup_initiatives (paused and cancelled ones are
    # left out) and progress.rollup (no progress or weight 0 is left out); keep them in step.
    counted = [
        i
        for i in initiatives
        if i.status not in LEFT_OUT_STATUSES and infos[i.pk].progress is not None and i.weight > 0
    ]
    total = sum((i.weight for i in counted), Decimal(0))
    half = Decimal("0.5") if own_part is not None else Decimal(1)
    rows = []
    for initiative in initiatives:
        info = infos[initiative.pk]
        share: float | None = None
        if initiative.status in LEFT_OUT_STATUSES:
            note = f"{initiative.get_status_display()} – zählt nicht mit"
        elif info.progress is None:
            note = "noch keine Daten – zählt noch nicht mit"
        elif initiative.weight <= 0:
            note = "Gewicht 0 – zählt nicht mit"
        else:
            share = float(initiative.weight / total * half)
            note = ""
        rows.append(Contribution(initiative, info, initiative.weight, share, note))
    return rows


def goal_scorecard_for_user(
    *, user: User, municipality: Municipality, pk: int, today: dt.date | None = None
) -> GoalScorecard:
    """One goal as a scorecard: progress, Ampel with its reason, own indicators with values
    and charts, the Vorhaben serving it with their share and health, and its Leitbild
    statements. The numbers are the council report's (rollup.progress_for_goals).
    Http404 for missing and forbidden alike; a fixed number of queries."""
    today = today or timezone.localdate()
    goal = goal_selectors.goal_get_for_user(user=user, municipality=municipality, pk=pk)
    initiatives = sorted(
        goal.initiatives.all(),  # prefetched with their plan by goal_get_for_user
        key=lambda i: (i.action_field.plan.title, i.action_field.order, i.order, i.number, i.pk),
    )
    status = goal_statuses(goals=[goal], today=today)[goal.pk]
    infos = progress_for_initiatives(initiatives=initiatives, today=today)
    indicators = list(
        Indicator.objects.for_municipality(municipality)
        .filter(goal=goal)
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.for_municipality(municipality)
                .filter(measured_on__lte=today)
                .order_by("-measured_on", "-id"),
            )
        )
    )
    cards = []
    for indicator in indicators:
        values = list(indicator.measurements.all())
        points = [(m.measured_on, m.value) for m in reversed(values)]
        cards.append(
            IndicatorCard(
                indicator=indicator,
                measurements=values,
                attainment=indicator_attainment(
                    kind=indicator.kind,
                    baseline=indicator.baseline,
                    target=indicator.target,
                    direction=indicator.direction,
                    latest_value=values[0].value if values else None,
                    checklist=indicator.checklist,
                ),
                chart=line_chart(
                    chart_id=f"chart-{indicator.pk}",
                    title=f"Verlauf: {indicator.title}",
                    points=points,
                    baseline=indicator.baseline,
                    target=indicator.target,
                    unit=indicator.unit,
                ),
                chart_points=points,
            )
        )
    return GoalScorecard(
        goal=goal,
        status=status,
        indicators=cards,
        initiatives=_contributions(initiatives, infos, status.progress.indicators),
        statements=list(goal.statements.all()),
        today=today,
    )


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


def plan_release_state(
    *, plan: ActionPlan, today: dt.date | None = None, page: PlanPage | None = None
) -> ReleaseState:
    """Release of a plan the person already may see (from `plan_get_for_user`).

    With `page` (that plan's `plan_get_for_user` as of `today`) the Vorhaben's progress is
    taken from it instead of being computed a second time."""
    today = today or timezone.localdate()
    row = release.newest_release(plan)
    progress = (
        {r.initiative.pk: r.progress for section in page.sections for r in section.rows}
        if page is not None
        else None
    )
    current = release.plan_snapshot(plan=plan, today=today, progress=progress)
    released = row.data if row is not None else None
    return ReleaseState(
        released_at=row.released_at if row is not None else None,
        released_by=_released_by(row),
        in_portal=bool(released and released.get("initiatives")),
        publishable=release.is_publishable(plan),
        changes=release.plan_changes(released, current),
    )


def initiative_release_state(
    *, initiative: Initiative, today: dt.date | None = None, page: InitiativePage | None = None
) -> ReleaseState:
    """Release of a Vorhaben the person already may see (from `initiative_profile_for_user`).

    With `page` (that Vorhaben's profile as of its `today`) its progress is taken from it
    instead of being computed a second time."""
    if page is not None:
        today = page.today
    today = today or timezone.localdate()
    row = release.newest_release(initiative.action_field.plan)
    released_entries = row.data.get("initiatives", []) if row is not None else []
    released = next((e for e in released_entries if e["id"] == initiative.pk), None)
    current = release.initiative_entry(
        initiative=initiative, today=today, progress=page.progress if page is not None else None
    )
    return ReleaseState(
        released_at=row.released_at if row is not None and released is not None else None,
        released_by=_released_by(row) if released is not None else "",
        in_portal=released is not None,
        publishable=current is not None,
        changes=release.entry_changes(released, current),
    )


# --- Rahmenkonzepte ------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkRow:
    concept: FrameworkConcept
    plans: list[ActionPlan]
    in_force: bool


def framework_concepts_for_user(
    *, user: User, municipality: Municipality, today: dt.date | None = None
) -> list[FrameworkRow]:
    """Every Rahmenkonzept with its body, goal fields, goals and plans; empty if not allowed.
    Five queries, whatever the number of concepts."""
    if not may(user, "goals.view_goal", municipality):
        return []
    today = today or timezone.localdate()
    goals: Any = Goal.objects.for_municipality(municipality)
    concepts = list(
        FrameworkConcept.objects.for_municipality(municipality)
        .select_related("adopted_by")
        .prefetch_related(
            "goal_fields",
            Prefetch("goals", queryset=goals.by_field()),
            Prefetch(
                "action_plans",
                queryset=ActionPlan.objects.for_municipality(municipality).order_by("title"),
            ),
        )
    )
    return [
        FrameworkRow(
            concept=concept,
            plans=list(concept.action_plans.all()),
            in_force=(concept.valid_from is None or concept.valid_from <= today)
            and (concept.valid_to is None or concept.valid_to >= today),
        )
        for concept in concepts
    ]
