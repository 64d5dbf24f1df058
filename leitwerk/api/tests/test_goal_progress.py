"""Goals in the API carry `progress` like Vorhaben: the displayed Ampel, the calculated one and
the owner assessment (none for goals), with the council report's numbers."""

import pytest
from django.utils import timezone

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans.rollup import progress_for_goal
from leitwerk.plans.tests.factories import IndicatorFactory, InitiativeFactory, MilestoneFactory


@pytest.mark.django_db
def test_goals_expose_progress_with_displayed_and_calculated_health(
    musterstadt, viewer, token_client
):
    goal = GoalFactory(municipality=musterstadt)
    initiative = InitiativeFactory(municipality=musterstadt, start_date=None, end_date=None)
    initiative.goals.add(goal)
    MilestoneFactory(municipality=musterstadt, initiative=initiative, due_date=None)
    indicator = IndicatorFactory(municipality=musterstadt, initiative=None, goal=goal)
    MeasurementFactory(municipality=musterstadt, indicator=indicator, value=30)
    empty = GoalFactory(municipality=musterstadt)
    client = token_client(viewer, musterstadt)

    body = client.get(f"/api/v1/goals/{goal.pk}/").json()
    expected = progress_for_goal(goal=goal, today=timezone.localdate())
    progress = body["progress"]
    assert progress["progress"] == pytest.approx(expected.progress)  # 0 % and 50 %: 25 %
    assert progress["calculated_health"] == expected.health
    assert progress["health"] == progress["calculated_health"]
    assert progress["owner_health"] is None and progress["owner_reported_on"] is None
    assert progress["reason"]

    listed = {row["id"]: row for row in client.get("/api/v1/goals/").json()["results"]}
    assert listed[goal.pk]["progress"] == progress
    assert listed[empty.pk]["progress"]["progress"] is None
    assert listed[empty.pk]["progress"]["health"] == "unknown"
