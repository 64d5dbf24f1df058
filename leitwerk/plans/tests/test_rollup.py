"""Selectors load the facts for the progress rules in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.goals.models import Goal
from leitwerk.goals.tests.factories import GoalFieldFactory
from leitwerk.plans.models import Direction, IndicatorKind, InitiativeStatus
from leitwerk.plans.rollup import (
    progress_for_goal,
    progress_for_goals,
    progress_for_initiatives,
    progress_for_plan,
)
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db

# The factories schedule Vorhaben from 2026-01-01 to 2027-12-31: on this day a quarter of
# the time has passed (182 of 729 days).
TODAY = dt.date(2026, 7, 2)


def _vorhaben(action_field=None, *, done=0, open_=0, **kwargs):
    initiative = InitiativeFactory(
        **({"action_field": action_field} if action_field else {}), **kwargs
    )
    for _ in range(done):
        MilestoneFactory(initiative=initiative, done_on=dt.date(2026, 3, 1), due_date=None)
    for _ in range(open_):
        MilestoneFactory(initiative=initiative, due_date=dt.date(2027, 6, 30))
    return initiative


def _populate(action_field, n):
    """n Vorhaben, each with milestones, measured indicators and a status report."""
    for _ in range(n):
        initiative = _vorhaben(action_field, done=1, open_=1)
        indicator = IndicatorFactory(initiative=initiative)
        MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 3, 31), value=20)
        MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 6, 30), value=30)
        IndicatorFactory(initiative=initiative, kind=IndicatorKind.CHECKLIST, checklist=[])
        StatusReportFactory(initiative=initiative, reported_on=dt.date(2026, 6, 1))


def test_two_of_four_milestones_done_is_half_done():
    initiative = _vorhaben(done=2, open_=2)
    result = progress_for_initiatives(initiatives=[initiative], today=TODAY)
    assert result[initiative.pk].progress == 0.5
    assert result[initiative.pk].expected == pytest.approx(182 / 729)
    assert result[initiative.pk].health == "on_track"


def test_latest_measurement_up_to_today_counts():
    initiative = InitiativeFactory()
    indicator = IndicatorFactory(initiative=initiative, baseline=10, target=50)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 3, 31), value=20)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 6, 30), value=30)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 9, 30), value=50)

    assert progress_for_initiatives(initiatives=[initiative], today=TODAY)[
        initiative.pk
    ].progress == pytest.approx(0.5)
    assert progress_for_initiatives(initiatives=[initiative], today=dt.date(2026, 4, 1))[
        initiative.pk
    ].progress == pytest.approx(0.25)


def test_decreasing_indicator():
    initiative = InitiativeFactory()
    indicator = IndicatorFactory(
        initiative=initiative, baseline=40, target=20, direction=Direction.DECREASE
    )
    MeasurementFactory(indicator=indicator, value=Decimal("35"), measured_on=dt.date(2026, 5, 1))
    result = progress_for_initiatives(initiatives=[initiative], today=TODAY)
    assert result[initiative.pk].progress == pytest.approx(0.25)


def test_stale_uses_status_reports_and_last_report_at():
    fresh = InitiativeFactory()
    StatusReportFactory(initiative=fresh, reported_on=dt.date(2026, 5, 1))
    old = InitiativeFactory()
    StatusReportFactory(initiative=old, reported_on=dt.date(2026, 3, 1))
    flagged = InitiativeFactory(last_report_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    never = InitiativeFactory()
    completed = InitiativeFactory(status=InitiativeStatus.COMPLETED)

    result = progress_for_initiatives(
        initiatives=[fresh, old, flagged, never, completed], today=TODAY
    )
    assert result[fresh.pk].stale is False
    assert result[old.pk].stale is True  # 123 days > 90
    assert result[flagged.pk].stale is False
    assert result[never.pk].stale is True  # started 2026-01-01, never reported
    done = result[completed.pk]
    assert (done.progress, done.expected, done.health, done.stale) == (
        1.0,
        pytest.approx(182 / 729),
        "done",
        False,
    )


def test_empty_input():
    assert progress_for_initiatives(initiatives=[], today=TODAY) == {}
    assert progress_for_goals(goals=[], today=TODAY) == {}


def _count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_initiatives():
    plan = ActionPlanFactory()
    field = ActionFieldFactory(plan=plan)
    _populate(field, 2)

    def run():
        from leitwerk.plans.models import Initiative

        progress_for_initiatives(initiatives=list(Initiative.objects.all()), today=TODAY)

    def run_plan():
        progress_for_plan(plan=plan, today=TODAY)

    # Fetching the list of Vorhaben in `run` is one extra query.
    small, small_plan = _count_queries(run), _count_queries(run_plan)
    _populate(field, 8)
    _populate(ActionFieldFactory(plan=plan), 5)
    assert _count_queries(run) == small == 4
    assert _count_queries(run_plan) == small_plan == 4


def test_plan_rollup_by_weight_with_counts_and_empty_fields():
    plan = ActionPlanFactory(reporting_interval_days=365)
    field_a = ActionFieldFactory(plan=plan)
    field_b = ActionFieldFactory(plan=plan)
    empty = ActionFieldFactory(plan=plan)
    a1 = _vorhaben(field_a, done=1, open_=1, weight=3)  # 50 %
    a2 = _vorhaben(field_a, done=0, open_=1, weight=1)  # 0 %
    b1 = _vorhaben(field_b, status=InitiativeStatus.COMPLETED)  # 100 %
    _vorhaben(field_b, status=InitiativeStatus.CANCELLED, weight=50)  # left out
    b3 = _vorhaben(field_b)  # nothing measurable
    other_plan = _vorhaben(done=1)  # another plan: not included

    result = progress_for_plan(plan=plan, today=TODAY)

    assert set(result.initiatives) >= {a1.pk, a2.pk, b1.pk, b3.pk}
    assert other_plan.pk not in result.initiatives
    assert result.action_fields[field_a.pk].progress == pytest.approx((3 * 0.5 + 0) / 4)
    assert result.action_fields[field_b.pk].progress == 1.0
    assert result.action_fields[empty.pk].health == "unknown"
    assert result.action_fields[empty.pk].total == 0
    assert result.plan.progress == pytest.approx((1.5 + 0 + 1) / 5)
    assert result.plan.total == 4
    assert result.plan.counts == {"on_track": 1, "at_risk": 1, "done": 1, "unknown": 1}
    assert result.initiatives[a2.pk].health == "at_risk"  # 0 % of an expected 25 %


def test_goal_progress_from_initiatives_and_own_indicators():
    goal = Goal.objects.create(
        municipality=(field := ActionFieldFactory()).municipality,
        goal_field=GoalFieldFactory(municipality=field.municipality),
        title="Verwaltung digital",
    )
    half = _vorhaben(field, done=1, open_=1)
    full = _vorhaben(field, status=InitiativeStatus.COMPLETED)
    _vorhaben(field, done=1)  # does not serve the goal
    half.goals.add(goal)
    full.goals.add(goal)
    own = IndicatorFactory(
        initiative=None,
        goal=goal,
        municipality=goal.municipality,
        kind=IndicatorKind.YES_NO,
        baseline=None,
        target=None,
    )
    MeasurementFactory(indicator=own, value=0, measured_on=dt.date(2026, 6, 1))

    result = progress_for_goal(goal=goal, today=TODAY)
    assert result.initiatives.progress == 0.75
    assert result.indicators == 0.0
    assert result.progress == pytest.approx(0.375)
    assert result.initiatives.total == 2
    assert result.health == "on_track"


def test_vorhaben_of_a_draft_plan_do_not_count_towards_a_goal():
    from leitwerk.plans.models import PlanStatus

    field = ActionFieldFactory()
    goal = Goal.objects.create(
        municipality=field.municipality,
        goal_field=GoalFieldFactory(municipality=field.municipality),
        title="Verwaltung digital",
    )
    adopted = _vorhaben(field, done=1, open_=1)
    draft_field = ActionFieldFactory(
        municipality=field.municipality,
        plan=ActionPlanFactory(municipality=field.municipality, status=PlanStatus.DRAFT),
    )
    draft = _vorhaben(draft_field, open_=2, municipality=field.municipality)
    adopted.goals.add(goal)
    draft.goals.add(goal)

    result = progress_for_goal(goal=goal, today=TODAY)
    assert result.initiatives.total == 1
    assert result.initiatives.progress == 0.5


def test_goal_without_anything_is_unknown_and_query_count_is_fixed():
    field = ActionFieldFactory()
    goal_field = GoalFieldFactory(municipality=field.municipality)
    goals = [
        Goal.objects.create(municipality=field.municipality, goal_field=goal_field, title=str(i))
        for i in range(3)
    ]
    assert progress_for_goal(goal=goals[0], today=TODAY).health == "unknown"
    assert progress_for_goal(goal=goals[0], today=TODAY).progress is None

    def run():
        progress_for_goals(goals=goals, today=TODAY)

    assert _count_queries(run) <= 5  # nothing to load: fewer queries
    for goal in goals:
        _vorhaben(field, done=1).goals.add(goal)
    before = _count_queries(run)
    for goal in goals:
        for _ in range(3):
            _vorhaben(field, done=1, open_=2).goals.add(goal)
        IndicatorFactory(initiative=None, goal=goal, municipality=goal.municipality)
    assert _count_queries(run) == before == 5
