import pytest
from django.http import Http404

from leitwerk.goals import selectors
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.tests.factories import StatementFactory


@pytest.mark.django_db
def test_field_list_holds_only_own_fields_with_goals(viewer, musterstadt, other_town):
    field = GoalFieldFactory(municipality=musterstadt)
    goal = GoalFactory(municipality=musterstadt, goal_field=field)
    GoalFieldFactory(municipality=other_town)
    fields = list(selectors.goal_field_list_for_user(user=viewer, municipality=musterstadt))
    assert fields == [field]
    assert list(fields[0].goals.all()) == [goal]


@pytest.mark.django_db
def test_field_list_is_empty_for_a_person_without_membership(other_town_admin, musterstadt):
    GoalFieldFactory(municipality=musterstadt)
    assert not selectors.goal_field_list_for_user(user=other_town_admin, municipality=musterstadt)


@pytest.mark.django_db
def test_gets_answer_404_for_missing_and_foreign_rows_alike(viewer, musterstadt, other_town):
    foreign_goal = GoalFactory(municipality=other_town)
    for pk in (foreign_goal.goal_field_id, 999_999):
        with pytest.raises(Http404):
            selectors.goal_field_get_for_user(user=viewer, municipality=musterstadt, pk=pk)
    for pk in (foreign_goal.pk, 999_999):
        with pytest.raises(Http404):
            selectors.goal_get_for_user(user=viewer, municipality=musterstadt, pk=pk)


@pytest.mark.django_db
def test_goal_get_answers_404_when_the_person_is_no_member(other_town_admin, musterstadt):
    goal = GoalFactory(municipality=musterstadt)
    with pytest.raises(Http404):
        selectors.goal_get_for_user(user=other_town_admin, municipality=musterstadt, pk=goal.pk)


@pytest.mark.django_db
def test_goal_get_brings_linked_statements(viewer, musterstadt):
    goal = GoalFactory(municipality=musterstadt)
    statement = StatementFactory(municipality=musterstadt)
    goal.statements.add(statement)
    found = selectors.goal_get_for_user(user=viewer, municipality=musterstadt, pk=goal.pk)
    assert list(found.statements.all()) == [statement]
