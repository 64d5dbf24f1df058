"""List endpoints answer in a constant number of queries, however many rows a page shows."""

from __future__ import annotations

import datetime as dt

import pytest

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.feedback.models import Survey, SurveyKind
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.obstacles.tests.factories import ObstacleFactory
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)
from leitwerk.priorities.tests.factories import PriorityItemFactory, PriorityRoundFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "guideline-documents",
    "statements",
    "goal-fields",
    "goals",
    "obstacles",
    "priority-rounds",
    "priority-items",
    "action-plans",
    "action-fields",
    "initiatives",
    "milestones",
    "indicators",
    "measurements",
    "status-reports",
    "surveys",
]


def _add_rows(world, count: int = 3) -> None:
    """More of every kind of row, with links (the many-to-many lists must not cost queries)."""
    m = world.municipality
    for i in range(count):
        document = GuidelineDocumentFactory(municipality=m)
        section = GuidelineSectionFactory(municipality=m, document=document)
        statement = StatementFactory(municipality=m, section=section)
        goal = GoalFactory(municipality=m, goal_field=GoalFieldFactory(municipality=m))
        goal.statements.add(statement, world.statement)
        plan = ActionPlanFactory(municipality=m)
        field = ActionFieldFactory(municipality=m, plan=plan)
        initiative = InitiativeFactory(municipality=m, action_field=field)
        initiative.responsible_people.add(UserFactory(), world.person)
        initiative.goals.add(goal)
        initiative.statements.add(statement)
        MilestoneFactory(municipality=m, initiative=initiative)
        indicator = IndicatorFactory(municipality=m, initiative=initiative)
        MeasurementFactory(municipality=m, indicator=indicator, measured_on=dt.date(2026, 2, 1))
        StatusReportFactory(municipality=m, initiative=initiative)
        ObstacleFactory(municipality=m).initiatives.add(initiative, world.initiative)
        round_ = PriorityRoundFactory(municipality=m)
        round_.candidates.add(initiative, world.initiative)
        PriorityItemFactory(municipality=m, round=round_, initiative=initiative, rank=1)
        Survey.objects.create(municipality=m, title=f"Umfrage {i}", kind=SurveyKind.CITIZEN)


@pytest.mark.parametrize("resource", LISTS)
def test_list_queries_do_not_grow_with_rows(
    worlds, token_client, strategy_user, musterstadt, resource
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    assert_constant_queries(lambda: client.get(f"/api/v1/{resource}/"), lambda: _add_rows(own))
