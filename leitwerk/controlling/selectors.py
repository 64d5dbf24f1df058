"""Reads for controlling: progress and health of Vorhaben, computed in a bounded number of queries.

The rules live in progress.py; this module only loads the facts they need. Every function
issues a fixed number of queries, however many Vorhaben, milestones and indicators there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from leitwerk.controlling import progress as rules
from leitwerk.controlling.models import Measurement, StatusReport
from leitwerk.controlling.progress import InitiativeProgress, Rollup
from leitwerk.plans.models import ActionField, Indicator, Initiative, Milestone

__all__ = [
    "GoalProgress",
    "InitiativeProgress",
    "PlanProgress",
    "progress_for_goal",
    "progress_for_goals",
    "progress_for_initiatives",
    "progress_for_plan",
]


@dataclass(frozen=True)
class PlanProgress:
    plan: Rollup
    action_fields: dict[int, Rollup]  # by ActionField id, every field of the plan
    initiatives: dict[int, InitiativeProgress]  # by Initiative id


@dataclass(frozen=True)
class GoalProgress:
    progress: float | None  # Vorhaben part and own-indicator part, half each
    health: str
    initiatives: Rollup  # the Vorhaben serving the goal
    indicators: float | None  # attainment of the goal's own indicators


@dataclass(frozen=True)
class _Evaluated:
    progress: InitiativeProgress
    weight: Decimal
    status: str
    action_field_id: int


def _latest_value_subquery(today: dt.date) -> Subquery:
    # Latest measurement up to `today`, so a report "as of" a past date ignores later values.
    latest = (
        Measurement.objects.filter(indicator=OuterRef("pk"), measured_on__lte=today)
        .order_by("-measured_on", "-id")
        .values("value")[:1]
    )
    return Subquery(latest, output_field=models.DecimalField(max_digits=16, decimal_places=4))


def _indicator_facts(row: dict[str, Any]) -> rules.IndicatorFacts:
    return rules.IndicatorFacts(
        kind=row["kind"],
        weight=row["weight"],
        baseline=row["baseline"],
        target=row["target"],
        direction=row["direction"],
        latest_value=row["latest_value"],
        checklist=row["checklist"],
    )


_INDICATOR_FIELDS = ("kind", "weight", "baseline", "target", "direction", "checklist")


def _last_update(
    last_report_at: dt.datetime | None, last_status: dt.date | None, today: dt.date
) -> dt.date | None:
    """Latest of the denormalised `last_report_at` and the newest status report up to today."""
    candidates = [last_status] if last_status is not None else []
    if last_report_at is not None:
        if timezone.is_aware(last_report_at):
            last_report_at = timezone.localtime(last_report_at)
        if last_report_at.date() <= today:
            candidates.append(last_report_at.date())
    return max(candidates, default=None)


def _evaluate(initiatives: models.QuerySet[Initiative], today: dt.date) -> dict[int, _Evaluated]:
    """Evaluate the Vorhaben of a queryset in three queries."""
    last_status = (
        StatusReport.objects.filter(initiative=OuterRef("pk"), reported_on__lte=today)
        .order_by("-reported_on", "-id")
        .values("reported_on")[:1]
    )
    rows = list(
        initiatives.order_by()
        .annotate(last_status=Subquery(last_status, output_field=models.DateField()))
        .values(
            "pk",
            "status",
            "start_date",
            "end_date",
            "weight",
            "last_report_at",
            "last_status",
            "action_field_id",
            "action_field__plan__reporting_interval_days",
            "municipality_id",
        )
    )
    if not rows:
        return {}
    ids = [row["pk"] for row in rows]
    towns = {row["municipality_id"] for row in rows}

    milestones: dict[int, list[rules.MilestoneFacts]] = defaultdict(list)
    for initiative_id, weight, due_date, done_on in Milestone.objects.filter(
        initiative_id__in=ids, municipality_id__in=towns
    ).values_list("initiative_id", "weight", "due_date", "done_on"):
        milestones[initiative_id].append(
            rules.MilestoneFacts(weight=weight, due_date=due_date, done_on=done_on)
        )

    indicators: dict[int, list[rules.IndicatorFacts]] = defaultdict(list)
    for row in (
        Indicator.objects.filter(initiative_id__in=ids, municipality_id__in=towns)
        .order_by()
        .annotate(latest_value=_latest_value_subquery(today))
        .values("initiative_id", "latest_value", *_INDICATOR_FIELDS)
    ):
        indicators[row["initiative_id"]].append(_indicator_facts(row))

    result: dict[int, _Evaluated] = {}
    for row in rows:
        facts = rules.InitiativeFacts(
            status=row["status"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            milestones=milestones.get(row["pk"], []),
            indicators=indicators.get(row["pk"], []),
            last_update=_last_update(row["last_report_at"], row["last_status"], today),
        )
        result[row["pk"]] = _Evaluated(
            progress=rules.evaluate_initiative(
                facts,
                today=today,
                interval_days=row["action_field__plan__reporting_interval_days"],
            ),
            weight=row["weight"],
            status=row["status"],
            action_field_id=row["action_field_id"],
        )
    return result


def _rollup(evaluated: Iterable[_Evaluated]) -> Rollup:
    return rules.rollup_initiatives([(e.progress, e.weight, e.status) for e in evaluated])


def progress_for_initiatives(
    *, initiatives: Iterable[Any], today: dt.date
) -> dict[int, InitiativeProgress]:
    """Progress and health for each given Vorhaben (loaded rows), keyed by id.

    Three queries in total, whatever the number of Vorhaben.
    """
    initiatives = list(initiatives)
    if not initiatives:
        return {}
    evaluated = _evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today)
    return {pk: e.progress for pk, e in evaluated.items()}


def progress_for_plan(*, plan: Any, today: dt.date) -> PlanProgress:
    """Progress of a plan, of each of its action fields and of each Vorhaben (four queries).

    The plan rolls up all its Vorhaben directly by their weight (not the action fields with
    equal weight), so a Vorhaben weighs the same in its field and in the plan.
    """
    evaluated = _evaluate(
        Initiative.objects.filter(action_field__plan=plan, municipality_id=plan.municipality_id),
        today,
    )
    by_field: dict[int, list[_Evaluated]] = {
        pk: []
        for pk in ActionField.objects.belonging_to(plan, via="plan").values_list("pk", flat=True)
    }
    for e in evaluated.values():
        by_field.setdefault(e.action_field_id, []).append(e)
    return PlanProgress(
        plan=_rollup(evaluated.values()),
        action_fields={pk: _rollup(items) for pk, items in by_field.items()},
        initiatives={pk: e.progress for pk, e in evaluated.items()},
    )


def progress_for_goals(*, goals: Iterable[Any], today: dt.date) -> dict[int, GoalProgress]:
    """Progress of goals (loaded rows) from the Vorhaben serving them and their own
    indicators, keyed by goal id. Five queries in total."""
    goals = list(goals)
    if not goals:
        return {}
    goal_ids = [g.pk for g in goals]
    towns = {g.municipality_id for g in goals}
    through = Initiative.goals.through
    links = list(
        through.objects.filter(goal_id__in=goal_ids).values_list("goal_id", "initiative_id")
    )
    evaluated = _evaluate(
        Initiative.objects.filter(
            pk__in={initiative_id for _, initiative_id in links}, municipality_id__in=towns
        ),
        today,
    )

    own: dict[int, list[rules.IndicatorFacts]] = defaultdict(list)
    for row in (
        Indicator.objects.belonging_to(goals, via="goal")
        .order_by()
        .annotate(latest_value=_latest_value_subquery(today))
        .values("goal_id", "latest_value", *_INDICATOR_FIELDS)
    ):
        own[row["goal_id"]].append(_indicator_facts(row))

    served: dict[int, list[_Evaluated]] = defaultdict(list)
    for goal_id, initiative_id in links:
        if initiative_id in evaluated:
            served[goal_id].append(evaluated[initiative_id])

    result: dict[int, GoalProgress] = {}
    for goal_id in goal_ids:
        initiatives_rollup = _rollup(served.get(goal_id, []))
        indicator_part = rules.indicator_progress(own.get(goal_id, []))
        combined = rules.combine_parts(initiatives_rollup.progress, indicator_part)
        state = initiatives_rollup.health
        if combined is not None and combined >= 1:
            state = rules.DONE
        result[goal_id] = GoalProgress(
            progress=combined,
            health=state,
            initiatives=initiatives_rollup,
            indicators=indicator_part,
        )
    return result


def progress_for_goal(*, goal: Any, today: dt.date) -> GoalProgress:
    return progress_for_goals(goals=[goal], today=today)[goal.pk]


# --- Controlling cockpit: early warning, my updates, alignment ---------------------------------
# Reads for the cockpit pages. Each function issues a fixed number of queries, whatever the
# number of Vorhaben, and answers Http404 when the person is no member (missing = forbidden).


def _require_member(user: Any, municipality: Any) -> None:
    from django.http import Http404

    # `not municipality` rather than `is None`: request.municipality is a lazy object.
    if not municipality or not user.has_perm("controlling.view_dashboard", municipality):
        raise Http404


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


@dataclass
class Dashboard:
    today: dt.date
    plans: list[Any]
    units: list[Any]
    initiatives: list[Initiative]  # each with `.progress_info`
    rollup: Rollup
    health_counts: list[tuple[str, str, int]]
    per_plan: list[DashboardGroup]
    per_unit: list[DashboardGroup]
    overdue_milestones: list[Milestone]
    trend_warnings: list[TrendWarning]
    stale: list[Initiative]
    unmeasurable: list[Indicator]  # qualitative indicators: candidates for "messbar machen"


def _health_counts(rollup: Rollup) -> list[tuple[str, str, int]]:
    from leitwerk.core.status import Health

    return [
        (h.value, str(h.label), rollup.counts[h.value])
        for h in Health
        if rollup.counts.get(h.value)
    ]


def _group(label: str, items: list[Initiative], pk: int | None = None) -> DashboardGroup:
    rollup = rules.rollup_initiatives(
        [(i.progress_info, i.weight, i.status) for i in items]  # type: ignore[attr-defined]
    )
    return DashboardGroup(label=label, rollup=rollup, health_counts=_health_counts(rollup), pk=pk)


def _trend_warnings(
    indicators: list[Indicator], initiatives: dict[int, Initiative], today: dt.date
) -> list[TrendWarning]:
    from leitwerk.controlling import trends

    points: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for indicator_id, measured_on, value in (
        Measurement.objects.belonging_to(indicators, via="indicator")
        .filter(measured_on__lte=today)
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


def dashboard_for_user(
    *,
    user: Any,
    municipality: Any,
    plan_id: int | None = None,
    unit_id: int | None = None,
    today: dt.date | None = None,
) -> Dashboard:
    """Early warning for the municipality, optionally narrowed to one plan and/or one unit.

    Eight queries, however many Vorhaben, milestones and indicators there are.
    """
    from leitwerk.municipalities.models import OrganisationalUnit
    from leitwerk.plans.models import ActionPlan

    _require_member(user, municipality)
    today = today or timezone.localdate()
    plans = list(ActionPlan.objects.for_municipality(municipality).order_by("title"))
    units = list(OrganisationalUnit.objects.for_municipality(municipality).order_by("name"))
    scope = Initiative.objects.for_municipality(municipality)
    if plan_id is not None:
        scope = scope.filter(action_field__plan_id=plan_id)
    if unit_id is not None:
        scope = scope.filter(lead_unit_id=unit_id)
    initiatives = list(scope.select_related("action_field__plan", "lead_unit"))
    by_id = {i.pk: i for i in initiatives}
    evaluated = (
        _evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today) if by_id else {}
    )
    unknown = InitiativeProgress(None, None, rules.UNKNOWN, False)
    for initiative in initiatives:
        found = evaluated.get(initiative.pk)
        initiative.progress_info = found.progress if found else unknown  # type: ignore[attr-defined]
    rollup = rules.rollup_initiatives(
        [(i.progress_info, i.weight, i.status) for i in initiatives]  # type: ignore[attr-defined]
    )

    per_plan: dict[int, list[Initiative]] = defaultdict(list)
    per_unit: dict[int | None, list[Initiative]] = defaultdict(list)
    for initiative in initiatives:
        per_plan[initiative.action_field.plan_id].append(initiative)
        per_unit[initiative.lead_unit_id].append(initiative)
    plan_groups = [_group(p.title, per_plan[p.pk], p.pk) for p in plans if per_plan.get(p.pk)]
    unit_groups = [_group(u.name, per_unit[u.pk], u.pk) for u in units if per_unit.get(u.pk)]
    if per_unit.get(None):
        unit_groups.append(_group("ohne federführende Einheit", per_unit[None]))

    active = [
        i for i in initiatives if i.status not in (rules.STATUS_COMPLETED, rules.STATUS_CANCELLED)
    ]
    overdue = list(
        Milestone.objects.belonging_to(active, via="initiative")
        .filter(done_on__isnull=True, due_date__lt=today)
        .order_by("due_date", "id")
    )
    for milestone in overdue:
        milestone.initiative = by_id[milestone.initiative_id]
        milestone.days_overdue = (today - milestone.due_date).days  # type: ignore[attr-defined,operator]
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
    stale = [i for i in initiatives if i.progress_info.stale]  # type: ignore[attr-defined]
    return Dashboard(
        today=today,
        plans=plans,
        units=units,
        initiatives=initiatives,
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
    milestones_due: list[Milestone]
    indicators_missing: list[Indicator]
    indicators_unmeasurable: list[Indicator]


def initiatives_owed_by(*, user: Any, municipality: Any) -> models.QuerySet[Initiative]:
    """Vorhaben the person reports on: named responsible, or editor of the leading unit."""
    from leitwerk.municipalities.models import Membership, Role

    units = Membership.objects.filter(
        user=user, municipality=municipality, role=Role.UNIT_EDITOR, unit__isnull=False
    ).values("unit_id")
    return (
        Initiative.objects.for_municipality(municipality)
        .filter(models.Q(responsible_people=user) | models.Q(lead_unit_id__in=units))
        .exclude(status__in=[rules.STATUS_COMPLETED, rules.STATUS_CANCELLED])
        .distinct()
    )


MILESTONE_HORIZON_DAYS = 30


def my_updates_for_user(
    *, user: Any, municipality: Any, today: dt.date | None = None
) -> list[DueItem]:
    """What is due from the person, most urgent first (a fixed number of queries)."""
    _require_member(user, municipality)
    today = today or timezone.localdate()
    initiatives = list(
        initiatives_owed_by(user=user, municipality=municipality).select_related(
            "action_field__plan", "lead_unit"
        )
    )
    if not initiatives:
        return []
    evaluated = _evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today)
    last_status = dict(
        StatusReport.objects.belonging_to(initiatives, via="initiative")
        .filter(reported_on__lte=today)
        .order_by("initiative_id", "reported_on")
        .values_list("initiative_id", "reported_on")
    )
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in (
        Milestone.objects.belonging_to(initiatives, via="initiative")
        .filter(
            done_on__isnull=True,
            due_date__lte=today + dt.timedelta(days=MILESTONE_HORIZON_DAYS),
        )
        .order_by("due_date", "id")
    ):
        milestone.overdue = milestone.is_overdue(today)  # type: ignore[attr-defined]
        milestones[milestone.initiative_id].append(milestone)
    indicators = list(
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
    )
    items = []
    for initiative in initiatives:
        interval = initiative.action_field.plan.reporting_interval_days
        last = _last_update(initiative.last_report_at, last_status.get(initiative.pk), today)
        due = rules.next_report_due(last, interval, since=initiative.start_date)
        period_start = today - dt.timedelta(days=interval)
        reported = last is not None and last > period_start
        missing = [
            i
            for i in indicators
            if i.initiative_id == initiative.pk
            and i.kind not in (rules.KIND_CHECKLIST, rules.KIND_QUALITATIVE)
            and (i.last_measured is None or i.last_measured <= period_start)  # type: ignore[attr-defined]
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


@dataclass
class AlignmentRow:
    statement: Any
    initiatives: list[Initiative]
    goals: list[Any]

    @property
    def is_gap(self) -> bool:
        return not self.initiatives and not self.goals


@dataclass
class Alignment:
    rows: list[AlignmentRow]
    initiatives: list[Initiative]
    goals: list[Any]

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.is_gap)


def alignment_for_user(
    *, user: Any, municipality: Any, document_id: int | None = None
) -> Alignment:
    """Leitbild statements × Vorhaben and goals (six queries)."""
    from leitwerk.goals.models import Goal
    from leitwerk.guidelines.models import Statement

    _require_member(user, municipality)
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
    init_by_id = {i.pk: i for i in initiatives}
    goal_by_id = {g.pk: g for g in goals}
    ids = [s.pk for s in statement_list]
    by_statement_i: dict[int, list[Initiative]] = defaultdict(list)
    for statement_id, initiative_id in Initiative.statements.through.objects.filter(
        statement_id__in=ids
    ).values_list("statement_id", "initiative_id"):
        if initiative_id in init_by_id:
            by_statement_i[statement_id].append(init_by_id[initiative_id])
    by_statement_g: dict[int, list[Any]] = defaultdict(list)
    for statement_id, goal_id in Goal.statements.through.objects.filter(
        statement_id__in=ids
    ).values_list("statement_id", "goal_id"):
        if goal_id in goal_by_id:
            by_statement_g[statement_id].append(goal_by_id[goal_id])
    rows = [
        AlignmentRow(s, by_statement_i.get(s.pk, []), by_statement_g.get(s.pk, []))
        for s in statement_list
    ]
    return Alignment(rows=rows, initiatives=initiatives, goals=goals)


def initiative_for_user(*, user: Any, municipality: Any, pk: int) -> Initiative:
    """One Vorhaben of the municipality with its plan (for rules on archived plans)."""
    from django.http import Http404

    _require_member(user, municipality)
    initiative = (
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field__plan", "lead_unit")
        .prefetch_related("responsible_people")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


def indicator_for_user(*, user: Any, municipality: Any, pk: int) -> Indicator:
    from django.http import Http404

    _require_member(user, municipality)
    indicator = (
        Indicator.objects.for_municipality(municipality)
        .select_related("initiative__action_field__plan", "goal")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def plan_for_user(*, user: Any, municipality: Any, pk: int) -> Any:
    from django.http import Http404

    from leitwerk.plans.models import ActionPlan

    _require_member(user, municipality)
    plan = ActionPlan.objects.for_municipality(municipality).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def feedback_requests_for_user(*, user: Any, municipality: Any) -> list[Any]:
    """Comments that ask the person for feedback and are still open, newest first; one query.

    A request counts as answered once the person has commented on the same Vorhaben after it
    was made: that is where the answer goes (the comments page of the Vorhaben).
    """
    from leitwerk.controlling.models import Comment

    _require_member(user, municipality)
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
    from leitwerk.controlling.models import Comment

    return list(
        Comment.objects.filter(initiative=initiative, municipality_id=initiative.municipality_id)
        .select_related("author")
        .prefetch_related("feedback_from")
        .order_by("-created_at", "-id")
    )


def bulk_export_rows(*, plan: Any) -> tuple[list[Initiative], list[Indicator]]:
    """The plan's Vorhaben with `.latest_report` and indicators with `.latest_measurement`."""
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
    for initiative in initiatives:
        initiative.latest_report = latest_reports.get(initiative.pk)  # type: ignore[attr-defined]
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
    order = {pk: n for n, pk in enumerate(by_id)}
    indicators.sort(key=lambda i: (order[i.initiative_id], i.order, i.pk))  # type: ignore[index]
    for indicator in indicators:
        indicator.initiative = by_id[indicator.initiative_id]  # type: ignore[index]
        indicator.latest_measurement = latest.get(indicator.pk)  # type: ignore[attr-defined]
    return initiatives, indicators
