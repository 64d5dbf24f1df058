"""Reads for controlling: dashboards, what is due, alignment and comments, per person.

Progress and health of Vorhaben, plans and goals come from `leitwerk/plans/rollup.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from leitwerk.controlling import trends
from leitwerk.core.access import require_allowed, require_visible
from leitwerk.core.status import Health
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import Statement
from leitwerk.municipalities.models import Membership, OrganisationalUnit, Role
from leitwerk.plans import progress as rules
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    StatusReport,
)
from leitwerk.plans.progress import InitiativeProgress, Rollup
from leitwerk.plans.rollup import evaluate, last_update

from .models import Comment, ReminderLog, ReminderSettings
from .services import DEFAULT_REMIND_WORKING_DAYS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


# Rows with what the database added to them. The plan models' own querysets do not carry
# annotations into their rows for mypy (django-stubs), hence the casts to these names below.
class _Overdue(TypedDict):
    overdue: bool


class _LastMeasured(TypedDict):
    last_measured: dt.date | None


if TYPE_CHECKING:
    DueMilestone = WithAnnotations[Milestone, _Overdue]
    MeasuredIndicator = WithAnnotations[Indicator, _LastMeasured]


@dataclass(frozen=True)
class TrendWarning:
    indicator: Indicator
    initiative: Initiative
    forecast: Any  # trends.TrendForecast


@dataclass(frozen=True)
class DashboardGroup:
    label: str
    rollup: Rollup
    health_counts: list[tuple[str, str, int]]
    pk: int | None = None  # the plan or unit, for links


@dataclass(frozen=True)
class InitiativeRow:
    """A Vorhaben with its progress as of the dashboard's day.

    The overview's table reads the Vorhaben's own fields through the row (`row.pk`,
    `row.lead_unit` …) as it read them on the Vorhaben, so its template stays as it is.
    """

    initiative: Initiative
    progress_info: InitiativeProgress

    def __str__(self) -> str:
        return str(self.initiative)

    @property
    def pk(self) -> int:
        return self.initiative.pk

    @property
    def action_field(self) -> ActionField:
        return self.initiative.action_field

    @property
    def lead_unit(self) -> OrganisationalUnit | None:
        return self.initiative.lead_unit

    def get_status_display(self) -> str:
        return self.initiative.get_status_display()


@dataclass(frozen=True)
class OverdueMilestone:
    """A milestone past its due date, with the Vorhaben loaded; read like the milestone."""

    milestone: Milestone
    days_overdue: int

    @property
    def title(self) -> str:
        return self.milestone.title

    @property
    def initiative(self) -> Initiative:
        return self.milestone.initiative

    @property
    def initiative_id(self) -> int:
        return self.milestone.initiative_id

    @property
    def due_date(self) -> dt.date | None:
        return self.milestone.due_date


@dataclass
class Dashboard:
    today: dt.date
    plans: list[Any]
    units: list[Any]
    initiatives: list[InitiativeRow]
    rollup: Rollup
    health_counts: list[tuple[str, str, int]]
    per_plan: list[DashboardGroup]
    per_unit: list[DashboardGroup]
    overdue_milestones: list[OverdueMilestone]
    trend_warnings: list[TrendWarning]
    stale: list[Initiative]
    unmeasurable: list[Indicator]  # qualitative indicators: candidates for "messbar machen"


def _health_counts(rollup: Rollup) -> list[tuple[str, str, int]]:
    return [
        (h.value, str(h.label), rollup.counts[h.value])
        for h in Health
        if rollup.counts.get(h.value)
    ]


def _rollup(rows: list[InitiativeRow]) -> Rollup:
    return rules.rollup_initiatives(
        [(r.progress_info, r.initiative.weight, r.initiative.status) for r in rows]
    )


def _group(label: str, items: list[InitiativeRow], pk: int | None = None) -> DashboardGroup:
    rollup = _rollup(items)
    return DashboardGroup(label=label, rollup=rollup, health_counts=_health_counts(rollup), pk=pk)


def _trend_warnings(
    indicators: list[Indicator], initiatives: dict[int, Initiative], today: dt.date
) -> list[TrendWarning]:
    points: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for indicator_id, measured_on, value in (
        Measurement.objects.belonging_to(indicators, via="indicator")
        .filter(measured_on__lte=today)
        # Each indicator's series in date order, without the join Meta.ordering adds.
        .order_by("indicator_id", "measured_on", "id")
        .values_list("indicator_id", "measured_on", "value")
    ):
        points[indicator_id].append((measured_on, value))
    warnings = []
    for indicator in indicators:
        result = trends.forecast(
            points.get(indicator.pk, []),
            baseline=indicator.baseline,
            target=indicator.target,
            target_date=indicator.target_date,
            direction=indicator.direction,
            today=today,
        )
        if result is not None and result.misses_target and indicator.initiative_id:
            warnings.append(TrendWarning(indicator, initiatives[indicator.initiative_id], result))
    return warnings


def _initiatives_with_progress(
    municipality: Any,
    plan_id: int | None,
    unit_id: int | None,
    today: dt.date,
    include_drafts: bool = False,
) -> list[InitiativeRow]:
    """The Vorhaben in scope, each with its progress as of `today` (two queries).

    Vorhaben of draft plans count only when asked for, or when their plan is chosen.
    """
    scope = Initiative.objects.for_municipality(municipality)
    if plan_id is not None:
        scope = scope.filter(action_field__plan_id=plan_id)
    elif not include_drafts:
        scope = scope.without_drafts()
    if unit_id is not None:
        scope = scope.filter(lead_unit_id=unit_id)
    initiatives = list(scope.select_related("action_field__plan", "lead_unit"))
    evaluated = (
        evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today)
        if initiatives
        else {}
    )
    unknown = InitiativeProgress(None, None, rules.UNKNOWN, False)
    rows = []
    for initiative in initiatives:
        found = evaluated.get(initiative.pk)
        rows.append(InitiativeRow(initiative, found.progress if found else unknown))
    return rows


def _plan_and_unit_groups(
    rows: list[InitiativeRow], plans: list[ActionPlan], units: list[OrganisationalUnit]
) -> tuple[list[DashboardGroup], list[DashboardGroup]]:
    """The Vorhaben grouped by plan and by leading unit (those without one last)."""
    per_plan: dict[int, list[InitiativeRow]] = defaultdict(list)
    per_unit: dict[int | None, list[InitiativeRow]] = defaultdict(list)
    for row in rows:
        per_plan[row.initiative.action_field.plan_id].append(row)
        per_unit[row.initiative.lead_unit_id].append(row)
    plan_groups = [_group(p.title, per_plan[p.pk], p.pk) for p in plans if per_plan.get(p.pk)]
    unit_groups = [_group(u.name, per_unit[u.pk], u.pk) for u in units if per_unit.get(u.pk)]
    if per_unit.get(None):
        unit_groups.append(_group("ohne federführende Einheit", per_unit[None]))
    return plan_groups, unit_groups


def _overdue_milestones(
    active: list[Initiative], by_id: dict[int, Initiative], today: dt.date
) -> list[OverdueMilestone]:
    overdue = []
    for milestone in (
        Milestone.objects.belonging_to(active, via="initiative")
        .overdue(today)
        .order_by("due_date", "id")
    ):
        milestone.initiative = by_id[milestone.initiative_id]
        due = milestone.due_date
        assert due is not None  # an overdue milestone has a due date (`overdue()` filters)
        overdue.append(OverdueMilestone(milestone, (today - due).days))
    return overdue


def dashboard_for_user(
    *,
    user: User,
    municipality: Municipality,
    plan_id: int | None = None,
    unit_id: int | None = None,
    today: dt.date | None = None,
    include_drafts: bool = False,
) -> Dashboard:
    """Early warning for the municipality, optionally narrowed to one plan and/or one unit.

    Draft plans are left out unless `include_drafts` (or the draft plan is chosen).
    Eight queries, however many Vorhaben, milestones and indicators there are.
    """
    require_visible(user, "controlling.view_dashboard", municipality)
    today = today or timezone.localdate()
    plans = list(ActionPlan.objects.for_municipality(municipality).order_by("title"))
    units = list(OrganisationalUnit.objects.for_municipality(municipality).order_by("name"))
    rows = _initiatives_with_progress(municipality, plan_id, unit_id, today, include_drafts)
    initiatives = [r.initiative for r in rows]
    by_id = {i.pk: i for i in initiatives}
    rollup = _rollup(rows)
    plan_groups, unit_groups = _plan_and_unit_groups(rows, plans, units)

    active = [
        i for i in initiatives if i.status not in (rules.STATUS_COMPLETED, rules.STATUS_CANCELLED)
    ]
    overdue = _overdue_milestones(active, by_id, today)
    indicators = list(
        Indicator.objects.belonging_to(active, via="initiative").filter(
            kind__in=[rules.KIND_QUANTITATIVE, rules.KIND_SURVEY],
            target__isnull=False,
            target_date__isnull=False,
        )
    )
    unmeasurable = list(
        Indicator.objects.belonging_to(active, via="initiative")
        .filter(kind=rules.KIND_QUALITATIVE)
        .order_by("initiative_id", "order", "id")
    )
    for indicator in unmeasurable:
        indicator.initiative = by_id[indicator.initiative_id]  # type: ignore[index]
    stale = [r.initiative for r in rows if r.progress_info.stale]
    return Dashboard(
        today=today,
        plans=plans,
        units=units,
        initiatives=rows,
        rollup=rollup,
        health_counts=_health_counts(rollup),
        per_plan=plan_groups,
        per_unit=unit_groups,
        overdue_milestones=overdue,
        trend_warnings=_trend_warnings(indicators, by_id, today),
        stale=stale,
        unmeasurable=unmeasurable,
    )


@dataclass
class DueItem:
    """What one Vorhaben needs from the person now."""

    initiative: Initiative
    progress: InitiativeProgress
    report_due: dt.date | None  # None: due right away (never reported, no start date)
    report_overdue: bool
    reported_this_period: bool
    milestones_due: list[DueMilestone]  # each with `.overdue`
    indicators_missing: list[MeasuredIndicator]  # each with `.last_measured`
    indicators_unmeasurable: list[Indicator]


def initiatives_owed_by(*, user: User, municipality: Municipality) -> models.QuerySet[Initiative]:
    """Vorhaben the person reports on: named responsible, or editor of the leading unit."""
    units = Membership.objects.filter(
        user=user, municipality=municipality, role=Role.UNIT_EDITOR, unit__isnull=False
    ).values("unit_id")
    return (
        Initiative.objects.for_municipality(municipality)
        .filter(models.Q(responsible_people=user) | models.Q(lead_unit_id__in=units))
        .unfinished()
        .distinct()
    )


MILESTONE_HORIZON_DAYS = 30


def _milestones_due(initiatives: list[Initiative], today: dt.date) -> dict[int, list[DueMilestone]]:
    """Open milestones due within the horizon, per Vorhaben, each with `.overdue` (one query)."""
    milestones: dict[int, list[DueMilestone]] = defaultdict(list)
    for milestone in cast(
        "list[DueMilestone]",
        list(
            Milestone.objects.belonging_to(initiatives, via="initiative")
            .filter(
                done_on__isnull=True,
                due_date__lte=today + dt.timedelta(days=MILESTONE_HORIZON_DAYS),
            )
            # `Milestone.is_overdue`: not done (filtered above) and due before today.
            .annotate(overdue=models.Q(due_date__lt=today))
            .order_by("due_date", "id")
        ),
    ):
        milestones[milestone.initiative_id].append(milestone)
    return milestones


def _indicators_with_last_measurement(
    initiatives: list[Initiative], today: dt.date
) -> list[MeasuredIndicator]:
    """The Vorhaben's indicators, each with `.last_measured` up to `today` (one query)."""
    return cast(
        "list[MeasuredIndicator]",
        list(
            Indicator.objects.belonging_to(initiatives, via="initiative")
            .order_by("order", "id")
            .annotate(
                last_measured=Subquery(
                    Measurement.objects.filter(indicator=OuterRef("pk"), measured_on__lte=today)
                    .order_by("-measured_on")
                    .values("measured_on")[:1],
                    output_field=models.DateField(),
                )
            )
        ),
    )


def my_updates_for_user(
    *, user: User, municipality: Municipality, today: dt.date | None = None
) -> list[DueItem]:
    """What is due from the person, most urgent first (a fixed number of queries)."""
    require_visible(user, "controlling.view_dashboard", municipality)
    today = today or timezone.localdate()
    initiatives = list(
        initiatives_owed_by(user=user, municipality=municipality).select_related(
            "action_field__plan", "lead_unit"
        )
    )
    if not initiatives:
        return []
    evaluated = evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today)
    last_status = dict(
        StatusReport.objects.belonging_to(initiatives, via="initiative")
        .filter(reported_on__lte=today)
        .order_by("initiative_id", "reported_on")
        .values_list("initiative_id", "reported_on")
    )
    milestones = _milestones_due(initiatives, today)
    indicators = _indicators_with_last_measurement(initiatives, today)
    items = []
    for initiative in initiatives:
        interval = initiative.action_field.plan.reporting_interval_days
        last = last_update(initiative.last_report_at, last_status.get(initiative.pk), today)
        due = rules.next_report_due(last, interval, since=initiative.start_date)
        period_start = today - dt.timedelta(days=interval)
        reported = last is not None and last > period_start
        missing = [
            i
            for i in indicators
            if i.initiative_id == initiative.pk
            and i.kind not in (rules.KIND_CHECKLIST, rules.KIND_QUALITATIVE)
            and (i.last_measured is None or i.last_measured <= period_start)
        ]
        progress = evaluated[initiative.pk].progress
        items.append(
            DueItem(
                initiative=initiative,
                progress=progress,
                report_due=due,
                report_overdue=due is None or due < today,
                reported_this_period=reported,
                milestones_due=milestones.get(initiative.pk, []),
                indicators_missing=missing,
                indicators_unmeasurable=[
                    i
                    for i in indicators
                    if i.initiative_id == initiative.pk and i.kind == rules.KIND_QUALITATIVE
                ],
            )
        )
    items.sort(key=lambda d: (d.report_due or dt.date.min, d.initiative.title))
    return items


@dataclass(frozen=True)
class Aligned:
    """A Vorhaben or goal on the alignment page: the statements it serves (in the page's
    order) and whether the person may change it. The page reads it like the row itself
    (`pk`, its name)."""

    row: Initiative | Goal
    served: list[Statement]
    may_change: bool

    def __str__(self) -> str:
        return str(self.row)

    @property
    def pk(self) -> int:
        return self.row.pk


@dataclass
class AlignmentRow:
    statement: Statement
    initiatives: list[Aligned]
    goals: list[Aligned]

    @property
    def is_gap(self) -> bool:
        return not self.initiatives and not self.goals


@dataclass
class Alignment:
    rows: list[AlignmentRow]
    initiatives: list[Aligned]
    goals: list[Aligned]
    may_change_goals: bool

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.is_gap)


def alignment_for_user(
    *, user: User, municipality: Municipality, document_id: int | None = None
) -> Alignment:
    """Leitbild statements × Vorhaben and goals, from both sides, with what the person may
    change (six queries)."""
    require_visible(user, "controlling.view_dashboard", municipality)
    statements = Statement.objects.for_municipality(municipality).select_related(
        "section__document"
    )
    if document_id is not None:
        statements = statements.filter(section__document_id=document_id)
    statement_list = list(
        statements.order_by("section__document__title", "section__order", "order", "id")
    )
    # Responsible people are prefetched: the page checks edit rights per Vorhaben.
    initiatives = list(
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field__plan")
        .prefetch_related("responsible_people")
    )
    goals = list(Goal.objects.for_municipality(municipality).select_related("goal_field"))
    ids = [s.pk for s in statement_list]
    by_statement_i: dict[int, list[int]] = defaultdict(list)
    for statement_id, initiative_id in Initiative.statements.through.objects.filter(
        statement_id__in=ids
    ).values_list("statement_id", "initiative_id"):
        by_statement_i[statement_id].append(initiative_id)
    by_statement_g: dict[int, list[int]] = defaultdict(list)
    for statement_id, goal_id in Goal.statements.through.objects.filter(
        statement_id__in=ids
    ).values_list("statement_id", "goal_id"):
        by_statement_g[statement_id].append(goal_id)
    served_i: dict[int, list[Statement]] = defaultdict(list)
    served_g: dict[int, list[Statement]] = defaultdict(list)
    for statement in statement_list:
        for pk in by_statement_i.get(statement.pk, []):
            served_i[pk].append(statement)
        for pk in by_statement_g.get(statement.pk, []):
            served_g[pk].append(statement)
    may_goals = user.has_perm("goals.change_goal", municipality)
    aligned_i = {
        i.pk: Aligned(i, served_i.get(i.pk, []), user.has_perm("plans.change_initiative", i))
        for i in initiatives
    }
    aligned_g = {g.pk: Aligned(g, served_g.get(g.pk, []), may_goals) for g in goals}
    rows = [
        AlignmentRow(
            s,
            [aligned_i[pk] for pk in by_statement_i.get(s.pk, []) if pk in aligned_i],
            [aligned_g[pk] for pk in by_statement_g.get(s.pk, []) if pk in aligned_g],
        )
        for s in statement_list
    ]
    return Alignment(
        rows=rows,
        initiatives=list(aligned_i.values()),
        goals=list(aligned_g.values()),
        may_change_goals=may_goals,
    )


@dataclass(frozen=True)
class AlignmentPick:
    """What one statement can be linked to by this person, and what it is linked to now."""

    statement: Statement
    kind: str  # "initiative" or "goal"
    candidates: list[Any]
    linked: list[Any]


def alignment_pick_for_user(
    *, user: User, municipality: Municipality, statement_pk: int, kind: str
) -> AlignmentPick:
    """The Vorhaben (or goals) the person may link to a statement: 404 for a missing or foreign
    statement, 403 when the person may change none of them. Three queries."""
    require_visible(user, "controlling.view_dashboard", municipality)
    statement = (
        Statement.objects.for_municipality(municipality)
        .select_related("section__document")
        .filter(pk=statement_pk)
        .first()
    )
    if statement is None:
        raise Http404
    candidates: list[Any]
    if kind == "initiative":
        rows = Initiative.objects.for_municipality(municipality).by_plan()
        candidates = [
            i
            for i in rows.prefetch_related("responsible_people")
            if user.has_perm("plans.change_initiative", i)
        ]
        linked = set(statement.initiatives.values_list("pk", flat=True))
    else:
        require_allowed(user, "goals.change_goal", municipality)
        candidates = list(Goal.objects.for_municipality(municipality).by_field())
        linked = set(statement.goals.values_list("pk", flat=True))
    if not candidates:
        # The statement is visible, linking it is not: nothing here the person may change.
        raise PermissionDenied
    return AlignmentPick(
        statement=statement,
        kind=kind,
        candidates=candidates,
        linked=[row for row in candidates if row.pk in linked],
    )


def feedback_requests_for_user(*, user: User, municipality: Municipality) -> list[Any]:
    """Comments that ask the person for feedback and are still open, newest first; one query.

    A request counts as answered once the person has commented on the same Vorhaben after it
    was made: that is where the answer goes (the comments page of the Vorhaben).
    """
    require_visible(user, "controlling.view_dashboard", municipality)
    answered = Comment.objects.filter(
        initiative=OuterRef("initiative"),
        author=user,
        created_at__gt=OuterRef("created_at"),
    )
    return list(
        Comment.objects.for_municipality(municipality)
        .filter(feedback_from=user)
        .exclude(models.Exists(answered))
        .select_related("initiative", "author")
        .order_by("-created_at", "-id")
    )


def comments_for_initiative(*, initiative: Initiative) -> list[Any]:
    return list(
        Comment.objects.filter(initiative=initiative, municipality_id=initiative.municipality_id)
        .select_related("author")
        .prefetch_related("feedback_from")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class BulkInitiative:
    initiative: Initiative
    latest_report: StatusReport | None


@dataclass(frozen=True)
class BulkIndicator:
    indicator: Indicator
    initiative: Initiative
    latest_measurement: Measurement | None


def bulk_export_rows(*, plan: ActionPlan) -> tuple[list[BulkInitiative], list[BulkIndicator]]:
    """The plan's Vorhaben with their latest status report and their countable indicators
    with the latest measurement, in the plan's order (four queries)."""
    initiatives = list(
        Initiative.objects.filter(action_field__plan=plan, municipality_id=plan.municipality_id)
        .select_related("action_field")
        .order_by("action_field__order", "order", "number")
    )
    latest_reports: dict[int, StatusReport] = {}
    for report in StatusReport.objects.belonging_to(initiatives, via="initiative").order_by(
        "initiative_id", "reported_on", "id"
    ):
        latest_reports[report.initiative_id] = report
    by_id = {i.pk: i for i in initiatives}
    indicators = list(
        Indicator.objects.belonging_to(initiatives, via="initiative")
        .exclude(kind__in=[rules.KIND_QUALITATIVE, rules.KIND_CHECKLIST])
        .order_by("initiative_id", "order", "id")
    )
    latest: dict[int, Measurement] = {}
    for measurement in Measurement.objects.belonging_to(indicators, via="indicator").order_by(
        "indicator_id", "measured_on", "id"
    ):
        latest[measurement.indicator_id] = measurement
    indicator_rows = [
        BulkIndicator(indicator, by_id[owner], latest.get(indicator.pk))
        for indicator in indicators
        # Always set: the indicators were read through the plan's Vorhaben.
        if (owner := indicator.initiative_id) is not None
    ]
    order = {pk: n for n, pk in enumerate(by_id)}
    indicator_rows.sort(key=lambda r: (order[r.initiative.pk], r.indicator.order, r.indicator.pk))
    return [BulkInitiative(i, latest_reports.get(i.pk)) for i in initiatives], indicator_rows


# --- Erinnerungen ----------------------------------------------------------------------------

REMINDERS_PER_PAGE = 50


@dataclass(frozen=True)
class ReminderSettingsPage:
    settings: Any  # the stored ReminderSettings, or None before the first save
    lead_working_days: int
    plans: list[ActionPlan]


def reminder_settings_page(*, user: User, municipality: Any) -> ReminderSettingsPage:
    """The lead time and every plan's reporting interval (strategy office and admins)."""
    require_allowed(user, "controlling.manage_reminders", municipality)
    stored = ReminderSettings.objects.for_municipality(municipality).first()
    return ReminderSettingsPage(
        settings=stored,
        lead_working_days=stored.lead_working_days if stored else DEFAULT_REMIND_WORKING_DAYS,
        plans=list(ActionPlan.objects.for_municipality(municipality).order_by("title", "pk")),
    )


@dataclass(frozen=True)
class ReminderRow:
    log: Any  # ReminderLog with recipient and initiative loaded
    state: str  # "verschickt", "abgeschaltet", "wartet"


def reminder_log_page(
    *, user: User, municipality: Any, page: Any = 1
) -> tuple[Any, list[ReminderRow]]:
    """Who was reminded of which reporting date, and when the mail went out; newest first,
    `REMINDERS_PER_PAGE` a page (a Django `Page` and its rows)."""
    require_allowed(user, "controlling.manage_reminders", municipality)
    logs = (
        ReminderLog.objects.for_municipality(municipality)
        .select_related("recipient", "initiative")
        .order_by("-remind_on", "-due_on", "-id")
    )
    current = Paginator(logs, REMINDERS_PER_PAGE).get_page(page)
    rows = [
        ReminderRow(
            log=log,
            state="verschickt"
            if log.sent_at
            else ("abgeschaltet" if not log.recipient.email_reminders else "wartet"),
        )
        for log in current.object_list
    ]
    return current, rows
