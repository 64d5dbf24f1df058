"""Reads of progress and health: Vorhaben, action fields, plans and goals on a given day.

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

from leitwerk.plans import progress as rules
from leitwerk.plans.models import (
    ActionField,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    StatusReport,
)
from leitwerk.plans.progress import InitiativeProgress, Rollup


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


def last_update(
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


def _milestone_facts(ids: list[int], towns: set[int]) -> dict[int, list[rules.MilestoneFacts]]:
    """The milestones of these Vorhaben (of these municipalities), per Vorhaben; one query."""
    milestones: dict[int, list[rules.MilestoneFacts]] = defaultdict(list)
    # Each Vorhaben's milestones in their own order, without Meta.ordering's joins through
    # Vorhaben, action field and plan (a 9-column sort the grouping never needed).
    for initiative_id, weight, due_date, done_on in (
        Milestone.objects.filter(initiative_id__in=ids, municipality_id__in=towns)
        .order_by("initiative_id", "order", "due_date", "id")
        .values_list("initiative_id", "weight", "due_date", "done_on")
    ):
        milestones[initiative_id].append(
            rules.MilestoneFacts(weight=weight, due_date=due_date, done_on=done_on)
        )
    return milestones


def _indicator_facts_of(
    ids: list[int], towns: set[int], today: dt.date
) -> dict[int, list[rules.IndicatorFacts]]:
    """The indicators of these Vorhaben with their latest value up to `today`; one query."""
    indicators: dict[int, list[rules.IndicatorFacts]] = defaultdict(list)
    for row in (
        Indicator.objects.filter(initiative_id__in=ids, municipality_id__in=towns)
        .order_by()
        .annotate(latest_value=_latest_value_subquery(today))
        .values("initiative_id", "latest_value", *_INDICATOR_FIELDS)
    ):
        indicators[row["initiative_id"]].append(_indicator_facts(row))
    return indicators


def evaluate(initiatives: models.QuerySet[Initiative], today: dt.date) -> dict[int, _Evaluated]:
    """Evaluate the Vorhaben of a queryset in three queries."""
    latest = StatusReport.objects.filter(
        initiative=OuterRef("pk"), reported_on__lte=today
    ).order_by("-reported_on", "-id")

    def latest_field(name: str, field: models.Field[Any, Any]) -> Subquery:
        return Subquery(latest.values(name)[:1], output_field=field)

    rows = list(
        initiatives.order_by()
        .annotate(
            # The latest status report: its date (staleness) and the owner's assessment.
            last_status=latest_field("reported_on", models.DateField()),
            owner_health=latest_field("health", models.CharField()),
            owner_text=latest_field("text", models.TextField()),
            owner_off_track_note=latest_field("off_track_note", models.TextField()),
        )
        .values(
            "pk",
            "status",
            "start_date",
            "end_date",
            "weight",
            "last_report_at",
            "last_status",
            "owner_health",
            "owner_text",
            "owner_off_track_note",
            "action_field_id",
            "action_field__plan__reporting_interval_days",
            "municipality_id",
        )
    )
    if not rows:
        return {}
    ids = [row["pk"] for row in rows]
    towns = {row["municipality_id"] for row in rows}
    milestones = _milestone_facts(ids, towns)
    indicators = _indicator_facts_of(ids, towns, today)

    result: dict[int, _Evaluated] = {}
    for row in rows:
        facts = rules.InitiativeFacts(
            status=row["status"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            milestones=milestones.get(row["pk"], []),
            indicators=indicators.get(row["pk"], []),
            last_update=last_update(row["last_report_at"], row["last_status"], today),
            owner_health=row["owner_health"],
            owner_reported_on=row["last_status"],
            # The explanation: "Warum und was nun?" for a deviation, else the Sachstand.
            owner_note=(row["owner_off_track_note"] or row["owner_text"] or "").strip(),
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
    evaluated = evaluate(Initiative.objects.belonging_to(initiatives, via="pk"), today)
    return {pk: e.progress for pk, e in evaluated.items()}


def progress_for_plan(*, plan: Any, today: dt.date) -> PlanProgress:
    """Progress of a plan, of each of its action fields and of each Vorhaben (four queries).

    The plan rolls up all its Vorhaben directly by their weight (not the action fields with
    equal weight), so a Vorhaben weighs the same in its field and in the plan.
    """
    evaluated = evaluate(
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
    """Progress of goals (loaded rows) from the Vorhaben serving them (drafts left out) and
    their own indicators, keyed by goal id. Five queries in total."""
    goals = list(goals)
    if not goals:
        return {}
    goal_ids = [g.pk for g in goals]
    towns = {g.municipality_id for g in goals}
    through = Initiative.goals.through
    links = list(
        through.objects.filter(goal_id__in=goal_ids).values_list("goal_id", "initiative_id")
    )
    evaluated = evaluate(
        # Vorhaben of draft plans do not count towards a goal yet (docs/ROLLUP.md).
        Initiative.objects.filter(
            pk__in={initiative_id for _, initiative_id in links}, municipality_id__in=towns
        ).without_drafts(),
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
