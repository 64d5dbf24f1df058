import datetime as dt

import pytest
from django.http import Http404

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.status import Health
from leitwerk.plans import selectors
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_plan_list_holds_only_own_plans_with_rollup(viewer, musterstadt, other_town):
    plan = ActionPlanFactory(municipality=musterstadt)
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    InitiativeFactory.create_batch(2, municipality=musterstadt, action_field=field)
    ActionPlanFactory(municipality=other_town)
    plans = selectors.plan_list_for_user(user=viewer, municipality=musterstadt, today=TODAY)
    assert [summary.plan for summary in plans] == [plan]
    assert plans[0].initiative_count == 2
    assert plans[0].rollup.health in set(Health.values)


@pytest.mark.django_db
def test_plan_list_is_empty_for_a_person_without_membership(other_town_admin, musterstadt):
    ActionPlanFactory(municipality=musterstadt)
    assert selectors.plan_list_for_user(user=other_town_admin, municipality=musterstadt) == []


@pytest.mark.django_db
def test_gets_answer_404_for_missing_and_foreign_rows_alike(viewer, musterstadt, other_town):
    foreign = InitiativeFactory(municipality=other_town)
    for pk in (foreign.action_field.plan_id, 999_999):
        with pytest.raises(Http404):
            selectors.plan_get_for_user(user=viewer, municipality=musterstadt, pk=pk)
    for pk in (foreign.pk, 999_999):
        with pytest.raises(Http404):
            selectors.initiative_get_for_user(user=viewer, municipality=musterstadt, pk=pk)


@pytest.mark.django_db
def test_initiative_get_answers_404_when_the_person_is_no_member(other_town_admin, musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt)
    with pytest.raises(Http404):
        selectors.initiative_get_for_user(
            user=other_town_admin, municipality=musterstadt, pk=initiative.pk
        )


@pytest.mark.django_db
def test_plan_get_attaches_progress_to_every_initiative(viewer, musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt)
    page = selectors.plan_get_for_user(
        user=viewer, municipality=musterstadt, pk=initiative.action_field.plan_id, today=TODAY
    )
    assert [row.initiative.pk for row in page.rows] == [initiative.pk]
    assert page.rows[0].progress.health in set(Health.values)
    assert page.initiative_count == 1


@pytest.mark.django_db
def test_initiative_get_marks_overdue_milestones_and_keeps_five_latest_values(viewer, musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt)
    late = MilestoneFactory(
        municipality=musterstadt, initiative=initiative, due_date=TODAY.replace(month=1)
    )
    done = MilestoneFactory(
        municipality=musterstadt,
        initiative=initiative,
        due_date=TODAY.replace(month=1),
        done_on=TODAY,
    )
    indicator = IndicatorFactory(municipality=musterstadt, initiative=initiative)
    for month in range(1, 8):
        MeasurementFactory(
            municipality=musterstadt,
            indicator=indicator,
            measured_on=dt.date(2026, month, 1),
            value=month,
        )
    found = selectors.initiative_get_for_user(
        user=viewer, municipality=musterstadt, pk=initiative.pk, today=TODAY
    )
    overdue = {row.milestone.pk: row.overdue for row in found.milestones}
    assert overdue == {late.pk: True, done.pk: False}
    values = [int(m.value) for m in found.indicators[0].recent_measurements]
    assert values == [7, 6, 5, 4, 3]
