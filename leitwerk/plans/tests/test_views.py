import datetime as dt

import pytest
from django.urls import reverse

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.obstacles.tests.factories import ObstacleFactory, SolutionConceptFactory
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
    ResolutionFactory,
    SubInitiativeFactory,
    TransferCityFactory,
)


def _initiative_with_children(municipality, action_field=None, **kwargs):
    initiative = InitiativeFactory(
        municipality=municipality,
        action_field=action_field or ActionFieldFactory(municipality=municipality),
        **kwargs,
    )
    SubInitiativeFactory(municipality=municipality, initiative=initiative)
    MilestoneFactory(municipality=municipality, initiative=initiative)
    indicator = IndicatorFactory(municipality=municipality, initiative=initiative)
    MeasurementFactory(municipality=municipality, indicator=indicator)
    TransferCityFactory(municipality=municipality, initiative=initiative)
    ResolutionFactory(
        municipality=municipality, plan=initiative.action_field.plan, initiative=initiative
    )
    initiative.goals.add(GoalFactory(municipality=municipality))
    initiative.statements.add(StatementFactory(municipality=municipality))
    return initiative


@pytest.mark.django_db
def test_plan_list_shows_plans_with_progress_as_text(viewer, musterstadt, client_for):
    InitiativeFactory(
        municipality=musterstadt,
        action_field=ActionFieldFactory(
            municipality=musterstadt,
            plan=ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2026"),
        ),
    )
    html = client_for(viewer).get(reverse("plans:list")).content.decode()
    assert "Aktionsplan 2026" in html
    assert "% erreicht" in html or "noch nicht messbar" in html


@pytest.mark.django_db
def test_plan_detail_shows_initiatives_with_health_badge(viewer, musterstadt, client_for):
    initiative = InitiativeFactory(municipality=musterstadt, title="Digitale Akte")
    response = client_for(viewer).get(
        reverse("plans:detail", args=[initiative.action_field.plan_id])
    )
    html = response.content.decode()
    assert "Digitale Akte" in html
    assert 'class="badge badge--' in html
    assert 'scope="row"' in html


@pytest.mark.django_db
def test_initiative_detail_shows_every_part(viewer, musterstadt, client_for):
    initiative = InitiativeFactory(
        municipality=musterstadt,
        title="Online-Terminvergabe",
        objective="Termine ohne Wartezeit.",
        extra={"Kosten": "gering"},
    )
    SubInitiativeFactory(municipality=musterstadt, initiative=initiative, text="Pilot im Bürgeramt")
    MilestoneFactory(
        municipality=musterstadt,
        initiative=initiative,
        title="Ausschreibung",
        due_date=dt.date(2020, 1, 1),
    )
    indicator = IndicatorFactory(municipality=musterstadt, initiative=initiative, title="Wartezeit")
    MeasurementFactory(municipality=musterstadt, indicator=indicator, value=12, note="Stichprobe")
    TransferCityFactory(municipality=musterstadt, initiative=initiative, name="Bonn")
    html = (
        client_for(viewer)
        .get(reverse("plans:initiative_detail", args=[initiative.pk]))
        .content.decode()
    )
    for text in [
        "Online-Terminvergabe",
        "Termine ohne Wartezeit.",
        "Pilot im Bürgeramt",
        "Ausschreibung",
        "überfällig",
        "Wartezeit",
        "Stichprobe",
        "Bonn",
        "Kosten",
        "gering",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_council_member_reaches_the_comments_from_the_profile(
    council_member, musterstadt, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt)
    client = client_for(council_member)
    html = client.get(reverse("plans:initiative_detail", args=[initiative.pk])).content.decode()
    comments_url = reverse("controlling:comments", args=[initiative.pk])
    assert f'href="{comments_url}"' in html
    assert client.get(comments_url).status_code == 200


@pytest.mark.django_db
def test_profile_says_which_obstacles_and_solutions_the_initiative_came_from(
    viewer, musterstadt, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt)
    obstacle = ObstacleFactory(
        municipality=musterstadt, title="Medienbrüche im Antrag", initiatives=[initiative]
    )
    solution = SolutionConceptFactory(
        municipality=musterstadt, obstacle=obstacle, title="Durchgängig digitaler Antrag"
    )
    solution.initiatives.add(initiative)
    ObstacleFactory(municipality=musterstadt, title="Hemmnis ohne Bezug")
    html = (
        client_for(viewer)
        .get(reverse("plans:initiative_detail", args=[initiative.pk]))
        .content.decode()
    )
    assert "Warum es dieses Vorhaben gibt" in html
    assert "Medienbrüche im Antrag" in html
    assert "Durchgängig digitaler Antrag" in html
    assert f'href="{reverse("obstacles:detail", args=[obstacle.pk])}"' in html
    assert "Hemmnis ohne Bezug" not in html


@pytest.mark.django_db
def test_profile_shows_the_ags_of_a_transfer_city(viewer, musterstadt, client_for):
    initiative = InitiativeFactory(municipality=musterstadt)
    TransferCityFactory(
        municipality=musterstadt, initiative=initiative, name="Bonn", ags="05314000"
    )
    TransferCityFactory(municipality=musterstadt, initiative=initiative, name="Kleinort", ags="")
    html = (
        client_for(viewer)
        .get(reverse("plans:initiative_detail", args=[initiative.pk]))
        .content.decode()
    )
    assert "05314000" in html
    assert html.count(">AGS</abbr>") == 1


@pytest.mark.django_db
def test_plan_list_queries_do_not_grow_with_plans(viewer, musterstadt, client_for):
    client = client_for(viewer)
    _initiative_with_children(musterstadt)

    def add_rows():
        for _ in range(3):
            _initiative_with_children(musterstadt)

    assert_constant_queries(lambda: client.get(reverse("plans:list")), add_rows)


@pytest.mark.django_db
def test_plan_detail_queries_do_not_grow_with_initiatives(viewer, musterstadt, client_for):
    client = client_for(viewer)
    first = _initiative_with_children(musterstadt)
    plan = first.action_field.plan

    def add_rows():
        for _ in range(2):
            field = ActionFieldFactory(municipality=musterstadt, plan=plan)
            for _ in range(2):
                _initiative_with_children(musterstadt, field)

    assert_constant_queries(lambda: client.get(reverse("plans:detail", args=[plan.pk])), add_rows)


@pytest.mark.django_db
def test_initiative_detail_queries_do_not_grow_with_children(viewer, musterstadt, client_for):
    client = client_for(viewer)
    initiative = _initiative_with_children(musterstadt)

    def add_rows():
        for _ in range(3):
            SubInitiativeFactory(municipality=musterstadt, initiative=initiative)
            MilestoneFactory(municipality=musterstadt, initiative=initiative)
            indicator = IndicatorFactory(municipality=musterstadt, initiative=initiative)
            MeasurementFactory.create_batch(2, municipality=musterstadt, indicator=indicator)
            TransferCityFactory(municipality=musterstadt, initiative=initiative)
            initiative.goals.add(GoalFactory(municipality=musterstadt))
            initiative.statements.add(StatementFactory(municipality=musterstadt))
            ObstacleFactory(municipality=musterstadt, initiatives=[initiative])
            solution = SolutionConceptFactory(municipality=musterstadt)
            solution.initiatives.add(initiative)

    assert_constant_queries(
        lambda: client.get(reverse("plans:initiative_detail", args=[initiative.pk])), add_rows
    )
