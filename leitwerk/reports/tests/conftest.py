"""A small plan of Musterstadt with every part a report shows (fixtures for all report tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.status import Health
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)
from leitwerk.priorities.tests.factories import DecisionFactory

AS_OF = dt.date(2026, 7, 2)
FORMULA_CANARY = '=HYPERLINK("http://boese.example/","Klick")'


@pytest.fixture
def report_plan(musterstadt, editor_unit):
    plan = ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Musterstadt 2026")
    digital = ActionFieldFactory(
        municipality=musterstadt, plan=plan, code="A", title="Digitale Services"
    )
    climate = ActionFieldFactory(municipality=musterstadt, plan=plan, code="B", title="Klima")
    booking = InitiativeFactory(
        municipality=musterstadt,
        action_field=digital,
        number="A1",
        title="Online-Terminvergabe",
        lead_unit=editor_unit,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        budget_eur=Decimal("25000.00"),
        effort_person_days=Decimal("40"),
    )
    InitiativeFactory(
        municipality=musterstadt,
        action_field=digital,
        number="A2",
        title=FORMULA_CANARY,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    bike = InitiativeFactory(
        municipality=musterstadt,
        action_field=climate,
        number="B1",
        title="Radweg Nord",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
        budget_eur=Decimal("1200000"),
    )
    MilestoneFactory(
        municipality=musterstadt,
        initiative=booking,
        title="Ausschreibung",
        done_on=dt.date(2026, 3, 1),
    )
    MilestoneFactory(
        municipality=musterstadt, initiative=bike, title="Bauabnahme", due_date=dt.date(2026, 5, 31)
    )
    indicator = IndicatorFactory(
        municipality=musterstadt, initiative=booking, title="Anteil Online-Buchungen", unit="%"
    )
    for day, value in [
        (dt.date(2026, 2, 1), 15),
        (dt.date(2026, 5, 1), 30),
        (dt.date(2026, 9, 1), 45),
    ]:
        MeasurementFactory(
            municipality=musterstadt, indicator=indicator, measured_on=day, value=value
        )
    IndicatorFactory(
        municipality=musterstadt,
        initiative=booking,
        title="Standorte angebunden",
        kind="checklist",
        baseline=None,
        target=None,
        checklist=[{"text": "Rathaus", "done": True}, {"text": "Bürgerbüro Nord", "done": False}],
    )
    StatusReportFactory(
        municipality=musterstadt,
        initiative=bike,
        reported_on=dt.date(2026, 6, 15),
        health=Health.OFF_TRACK,
        text="Die Bauarbeiten ruhen.",
        off_track_note="Lieferengpass beim Asphalt; neuer Termin im September.",
    )
    DecisionFactory(
        municipality=musterstadt,
        initiative=bike,
        title="Mehrkosten freigegeben",
        decided_on=dt.date(2026, 6, 20),
    )
    goal = GoalFactory(municipality=musterstadt, title="Mehr Radverkehr")
    bike.goals.add(goal)
    return plan
