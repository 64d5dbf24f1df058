"""The goal scorecard and the goal list: the report's numbers, the Ampel with its reason, the
goal's own Kennzahlen with values and chart, the Vorhaben with their share."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.plans import selectors
from leitwerk.plans.models import InitiativeStatus
from leitwerk.plans.rollup import progress_for_goal
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)
from leitwerk.reports.builder import build_snapshot


def _vorhaben(field, *, weight=1, done=0, of=4, **kwargs):
    """A Vorhaben without schedule whose progress is `done` of `of` milestones."""
    initiative = InitiativeFactory(
        municipality=field.municipality,
        action_field=field,
        weight=weight,
        start_date=None,
        end_date=None,
        **kwargs,
    )
    for n in range(of):
        MilestoneFactory(
            municipality=field.municipality,
            initiative=initiative,
            due_date=None,
            done_on=dt.date(2026, 1, 5) if n < done else None,
        )
    return initiative


@pytest.fixture
def scorecard_goal(musterstadt):
    """A goal served by two Vorhaben (weights 3 and 1, 50 % and 100 %) and a stopped one,
    with its own Kennzahl at 25 % (waiting time 40 → 20 minutes, now 35)."""
    field = ActionFieldFactory(municipality=musterstadt)
    goal = GoalFactory(municipality=musterstadt, title="Wartezeit halbieren")
    goal.statements.add(
        StatementFactory(municipality=musterstadt, text="Wir sind für alle gut erreichbar.")
    )
    _vorhaben(field, weight=3, done=2, title="Online-Terminvergabe").goals.add(goal)
    _vorhaben(field, weight=1, done=4, title="Wartemarkensystem").goals.add(goal)
    _vorhaben(
        field, weight=5, title="Zweites Bürgeramt", status=InitiativeStatus.CANCELLED
    ).goals.add(goal)
    indicator = IndicatorFactory(
        municipality=musterstadt,
        initiative=None,
        goal=goal,
        title="Mittlere Wartezeit",
        unit="Minuten",
        baseline=40,
        target=20,
        direction="decrease",
    )
    MeasurementFactory(
        municipality=musterstadt, indicator=indicator, measured_on=dt.date(2026, 3, 1), value=38
    )
    MeasurementFactory(
        municipality=musterstadt, indicator=indicator, measured_on=dt.date(2026, 6, 1), value=35
    )
    return goal


@pytest.mark.django_db
def test_the_scorecard_shows_the_same_progress_and_health_as_the_council_report(
    viewer, scorecard_goal, client_for
):
    today = timezone.localdate()
    # Vorhaben part (3 × 50 % + 1 × 100 %) / 4 = 62.5 %, own Kennzahl 25 %: half each → 43.75 %.
    expected = progress_for_goal(goal=scorecard_goal, today=today)
    assert round(expected.progress * 100) == 44
    plan = scorecard_goal.initiatives.first().action_field.plan
    report = build_snapshot(plan=plan, as_of=today)
    (reported,) = [g for field in report["goal_fields"] for g in field["goals"]]
    html = client_for(viewer).get(reverse("goals:goal_detail", args=[scorecard_goal.pk]))
    page = html.content.decode()
    assert f"{reported['progress']} % erreicht" in page
    assert reported["health_label"] in page and reported["health"] == expected.health
    for name, args in (("goals:list", []), ("goals:field_detail", [scorecard_goal.goal_field_id])):
        other_page = client_for(viewer).get(reverse(name, args=args)).content.decode()
        assert f"{reported['progress']} % erreicht" in other_page, name
        assert reported["health_label"] in other_page, name


@pytest.mark.django_db
def test_the_scorecard_lists_the_vorhaben_with_their_share_and_health(
    viewer, scorecard_goal, client_for
):
    page = client_for(viewer).get(reverse("goals:goal_detail", args=[scorecard_goal.pk]))
    html = page.content.decode()
    # Vorhaben count half (the goal has its own Kennzahl): 3/4 × 50 % and 1/4 × 50 %.
    assert "Online-Terminvergabe" in html and "38 %" in html
    assert "Wartemarkensystem" in html and "12 %" in html  # 12.5 rounded like the report
    assert "eingestellt – zählt nicht mit" in html
    stopped = html[html.index("Zweites Bürgeramt") :]
    stopped = stopped[: stopped.index("</tr>")]
    assert "erreicht" not in stopped  # a stopped Vorhaben shows its state, not a percentage
    assert "erledigt" in html  # the Vorhaben at 100 % shows its own health
    assert "Wir sind für alle gut erreichbar." in html


@pytest.mark.django_db
def test_the_scorecard_shows_kennzahl_values_target_and_a_chart_with_data_table(
    viewer, scorecard_goal, client_for
):
    html = client_for(viewer).get(reverse("goals:goal_detail", args=[scorecard_goal.pk]))
    page = html.content.decode()
    assert "35 Minuten" in page and "(1. Juni 2026)" in page  # latest value and its day
    assert "Zielwert" in page and "20 Minuten" in page
    assert "25 % erreicht" in page  # attainment 40 → 20, now 35
    start = page.index("<svg")
    svg_text = page[start : page.index("</svg>", start) + len("</svg>")]
    svg = ET.fromstring(svg_text)  # noqa: S314 - our own page
    assert svg is not None and "," not in (svg.get("viewBox") or "")
    assert "<caption" in page and "1. März 2026" in page and "38 Minuten" in page


@pytest.mark.django_db
def test_the_ampel_says_why(musterstadt, viewer, client_for):
    field = ActionFieldFactory(municipality=musterstadt)
    goal = GoalFactory(municipality=musterstadt)
    late = InitiativeFactory(
        municipality=musterstadt,
        action_field=field,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )
    MilestoneFactory(municipality=musterstadt, initiative=late, due_date=None)
    late.goals.add(goal)
    html = client_for(viewer).get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert "kritisch" in html
    assert "1 Vorhaben ist kritisch" in html
    empty = GoalFactory(municipality=musterstadt)
    html = client_for(viewer).get(reverse("goals:goal_detail", args=[empty.pk])).content.decode()
    assert "Noch dient kein Vorhaben diesem Ziel" in html


@pytest.mark.django_db
def test_goal_statuses_carry_the_displayed_and_the_calculated_ampel(scorecard_goal):
    (status,) = selectors.goal_statuses(goals=[scorecard_goal], today=dt.date(2026, 12, 7)).values()
    assert status.health == status.calculated_health
    assert status.owner_health is None and status.owner_reported_on is None


@pytest.mark.django_db
def test_scorecard_queries_do_not_grow_with_kennzahlen_values_and_vorhaben(
    viewer, scorecard_goal, client_for
):
    client = client_for(viewer)
    municipality = scorecard_goal.municipality
    field = ActionFieldFactory(municipality=municipality)

    def add_rows():
        for _ in range(3):
            indicator = IndicatorFactory(
                municipality=municipality, initiative=None, goal=scorecard_goal
            )
            MeasurementFactory(municipality=municipality, indicator=indicator)
            _vorhaben(field, done=1).goals.add(scorecard_goal)

    assert_constant_queries(
        lambda: client.get(reverse("goals:goal_detail", args=[scorecard_goal.pk])), add_rows
    )
