"""Editing goals and goal fields, and linking goals to Leitbild statements, in the browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.goals.models import Goal, GoalField
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.tests.factories import StatementFactory


@pytest.mark.django_db
def test_strategy_office_creates_a_goal_and_links_a_statement(
    strategy_user, musterstadt, client_for
):
    client = client_for(strategy_user)
    assert "Neues Zielfeld anlegen" in client.get(reverse("goals:list")).content.decode()
    response = client.post(reverse("goals:field_create"), {"title": "Service", "order": "0"})
    field = GoalField.objects.get(title="Service")
    assert response.status_code == 302
    statement = StatementFactory(municipality=musterstadt, text="Wir sind erreichbar.")
    response = client.post(
        reverse("goals:goal_create", args=[field.pk]),
        {"title": "Wartezeit halbieren", "weight": "1", "statements": [statement.pk]},
    )
    goal = Goal.objects.get(title="Wartezeit halbieren")
    assert list(goal.statements.all()) == [statement]
    unlink = client.post(
        reverse("goals:goal_statements", args=[goal.pk]),
        {"statement": statement.pk, "action": "unlink"},
    )
    assert unlink.status_code == 302 and goal.statements.count() == 0
    client.post(reverse("goals:goal_statements", args=[goal.pk]), {"statement": statement.pk})
    assert goal.statements.count() == 1


@pytest.mark.django_db
def test_goal_edit_conflict_keeps_input(strategy_user, admin_user, musterstadt, client_for):
    goal = GoalFactory(municipality=musterstadt, title="Alt")
    url = reverse("goals:goal_edit", args=[goal.pk])
    data = {"title": "Von Anna", "weight": "1", "expected_version": 1}
    assert client_for(admin_user).post(url, data).status_code == 302
    conflict = client_for(strategy_user).post(url, {**data, "title": "Von Sina"})
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Von Anna" in html and 'value="Von Sina"' in html


@pytest.mark.django_db
def test_viewer_cannot_edit_goals(viewer, musterstadt, client_for):
    field = GoalFieldFactory(municipality=musterstadt)
    client = client_for(viewer)
    assert (
        "Ziel hinzufügen"
        not in client.get(reverse("goals:field_detail", args=[field.pk])).content.decode()
    )
    assert (
        client.post(reverse("goals:goal_create", args=[field.pk]), {"title": "x"}).status_code
        == 403
    )
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_the_statement_picker_groups_by_document_and_section(
    strategy_user, musterstadt, client_for
):
    """128 look-alike sentences from two documents were one flat list; now each has its place."""
    from leitwerk.guidelines.tests.factories import (
        GuidelineDocumentFactory,
        GuidelineSectionFactory,
    )

    sections = [
        GuidelineSectionFactory(
            municipality=musterstadt,
            document=GuidelineDocumentFactory(municipality=musterstadt, title=title),
            number="2",
            title="Miteinander",
        )
        for title in ("Leitlinien Führung", "Leitbild 2030")
    ]
    same = [
        StatementFactory(municipality=musterstadt, section=s, text="Ich mache Ziele messbar.")
        for s in sections
    ]
    goal = GoalFactory(municipality=musterstadt)
    goal.statements.add(same[1])
    html = (
        client_for(strategy_user).get(reverse("goals:goal_edit", args=[goal.pk])).content.decode()
    )
    first = html.index("<legend>Leitbild 2030 – 2 Miteinander</legend>")
    second = html.index("<legend>Leitlinien Führung – 2 Miteinander</legend>")
    assert first < second, "documents in alphabetical order"
    assert html.count("Ich mache Ziele messbar.") == 2
    checked = html[first:second]
    assert f'value="{same[1].pk}"' in checked and "checked" in checked
    assert "checked" not in html[second : html.index("</fieldset>", second)]
