import pytest
from django.urls import reverse

from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.plans.tests.factories import InitiativeFactory


def _goal_with_statement(municipality, field=None, **kwargs):
    if field is None:
        field = GoalFieldFactory(municipality=municipality)
    goal = GoalFactory(municipality=municipality, goal_field=field, **kwargs)
    goal.statements.add(StatementFactory(municipality=municipality))
    return goal


@pytest.mark.django_db
def test_list_shows_fields_goals_and_linked_statements(viewer, musterstadt, client_for):
    field = GoalFieldFactory(municipality=musterstadt, title="Bürgernah")
    goal = GoalFactory(municipality=musterstadt, goal_field=field, title="Wartezeit halbieren")
    goal.statements.add(
        StatementFactory(municipality=musterstadt, text="Wir sind für alle gut erreichbar.")
    )
    html = client_for(viewer).get(reverse("goals:list")).content.decode()
    assert "Bürgernah" in html and "Wartezeit halbieren" in html
    assert "Wir sind für alle gut erreichbar." in html


@pytest.mark.django_db
def test_field_and_goal_pages_render(viewer, musterstadt, client_for):
    field = GoalFieldFactory(municipality=musterstadt)
    goal = _goal_with_statement(musterstadt, field, title="Termine online buchen")
    initiative = InitiativeFactory(municipality=musterstadt, title="Online-Terminvergabe")
    initiative.goals.add(goal)
    client = client_for(viewer)
    field_html = client.get(reverse("goals:field_detail", args=[field.pk])).content.decode()
    goal_html = client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert "Termine online buchen" in field_html and "Online-Terminvergabe" in field_html
    assert "Online-Terminvergabe" in goal_html


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_fields_and_goals(viewer, musterstadt, client_for):
    client = client_for(viewer)
    _goal_with_statement(musterstadt, GoalFieldFactory(municipality=musterstadt))

    def add_rows():
        for _ in range(3):
            field = GoalFieldFactory(municipality=musterstadt)
            for _ in range(2):
                _goal_with_statement(musterstadt, field)

    assert_constant_queries(lambda: client.get(reverse("goals:list")), add_rows)


@pytest.mark.django_db
def test_field_detail_queries_do_not_grow_with_goals(viewer, musterstadt, client_for):
    client = client_for(viewer)
    field = GoalFieldFactory(municipality=musterstadt)
    InitiativeFactory(municipality=musterstadt).goals.add(_goal_with_statement(musterstadt, field))

    def add_rows():
        for _ in range(4):
            goal = _goal_with_statement(musterstadt, field)
            InitiativeFactory(municipality=musterstadt).goals.add(goal)

    assert_constant_queries(
        lambda: client.get(reverse("goals:field_detail", args=[field.pk])), add_rows
    )


@pytest.mark.django_db
def test_goal_detail_queries_do_not_grow_with_links(viewer, musterstadt, client_for):
    client = client_for(viewer)
    goal = _goal_with_statement(musterstadt)
    InitiativeFactory(municipality=musterstadt).goals.add(goal)

    def add_rows():
        for _ in range(4):
            goal.statements.add(StatementFactory(municipality=musterstadt))
            InitiativeFactory(municipality=musterstadt).goals.add(goal)

    assert_constant_queries(
        lambda: client.get(reverse("goals:goal_detail", args=[goal.pk])), add_rows
    )
