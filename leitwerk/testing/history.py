"""A plan with a past: the story the "Stand am" and "seit der letzten Sitzung" tests read.

January 2026 the plan starts; in February the first value (20 %) arrives and the project lead
reports "gefährdet"; on 10 March the council meets; in March the milestone is reached and in
April the value reaches 60 % and the lead reports "im Plan". Every row is written through the
services at the day it happened (time_machine), so the history tables hold the real past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import time_machine

from leitwerk.core.status import Health
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans import services
from leitwerk.plans.models import ActionPlan, Indicator, Initiative, Milestone
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)
from leitwerk.priorities.tests.factories import DecisionFactory

SESSION_DAY = dt.date(2026, 3, 10)
BEFORE_SESSION = dt.date(2026, 2, 15)
AFTER_SESSION = dt.date(2026, 4, 15)


@dataclass
class HistoryStory:
    plan: ActionPlan
    initiative: Initiative
    quiet: Initiative  # a second Vorhaben in which nothing happens
    indicator: Indicator
    milestone: Milestone
    goal: Any
    goal_indicator: Indicator


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)), tick=False)


def build_history_story(*, municipality: Any, body: Any, actor: Any) -> HistoryStory:
    with _at(dt.date(2026, 1, 10)):
        plan = ActionPlanFactory(municipality=municipality, title="Aktionsplan Verwaltung 2030")
        field = ActionFieldFactory(
            municipality=municipality, plan=plan, code="A", title="Digitale Verwaltung"
        )
        initiative = InitiativeFactory(
            municipality=municipality,
            action_field=field,
            number="1.1",
            title="Digitale Akte",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        quiet = InitiativeFactory(
            municipality=municipality,
            action_field=field,
            number="1.2",
            title="Bürgerkonto",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2027, 12, 31),
        )
        indicator = IndicatorFactory(
            municipality=municipality,
            initiative=initiative,
            title="Anteil digitaler Akten",
            baseline=0,
            target=100,
            unit="%",
        )
        milestone = MilestoneFactory(
            municipality=municipality,
            initiative=initiative,
            title="Pilotamt angeschlossen",
            due_date=dt.date(2026, 3, 1),
        )
        goal = GoalFactory(municipality=municipality, title="Moderne Verwaltung")
        initiative.goals.add(goal)
        goal_indicator = IndicatorFactory(
            municipality=municipality,
            initiative=None,
            goal=goal,
            title="Zufriedenheit mit Online-Diensten",
            baseline=2,
            target=4,
            unit="Punkte",
        )
    with _at(dt.date(2026, 2, 1)):
        services.measurement_record(
            indicator=indicator, actor=actor, measured_on=dt.date(2026, 2, 1), value=Decimal(20)
        )
        services.status_report_submit(
            initiative=initiative,
            actor=actor,
            health=Health.AT_RISK,
            text="Der Scanner-Dienstleister liefert später.",
        )
    with _at(SESSION_DAY):
        DecisionFactory(
            municipality=municipality,
            initiative=initiative,
            body=body,
            title="Sachstand Digitalisierung beraten",
            decided_on=SESSION_DAY,
        )
    with _at(dt.date(2026, 3, 20)):
        milestone.refresh_from_db()
        services.milestone_complete(
            milestone=milestone,
            actor=actor,
            expected_version=milestone.version,
            done_on=dt.date(2026, 3, 20),
        )
    with _at(dt.date(2026, 4, 1)):
        services.measurement_record(
            indicator=indicator, actor=actor, measured_on=dt.date(2026, 4, 1), value=Decimal(60)
        )
        services.measurement_record(
            indicator=goal_indicator,
            actor=actor,
            measured_on=dt.date(2026, 4, 1),
            value=Decimal(3),
        )
        services.status_report_submit(
            initiative=initiative,
            actor=actor,
            health=Health.ON_TRACK,
            text="Alle Ämter scannen.",
        )
    return HistoryStory(
        plan=plan,
        initiative=initiative,
        quiet=quiet,
        indicator=indicator,
        milestone=milestone,
        goal=goal,
        goal_indicator=goal_indicator,
    )
