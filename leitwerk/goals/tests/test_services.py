"""Services of goals: create, update with locking, statement links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from leitwerk.core.editing import ConflictError
from leitwerk.core.models import AuditLogEntry
from leitwerk.goals import services
from leitwerk.guidelines.tests.factories import StatementFactory


@pytest.mark.django_db
def test_goal_lifecycle_and_statement_links(musterstadt, other_town, strategy_user):
    field = services.goal_field_create(municipality=musterstadt, actor=strategy_user, title="Z")
    goal = services.goal_create(goal_field=field, actor=strategy_user, title="Wartezeit senken")
    statement = StatementFactory(municipality=musterstadt)
    services.goal_link_statement(goal=goal, statement=statement, actor=strategy_user)
    assert list(goal.statements.all()) == [statement]
    with pytest.raises(ValidationError):
        services.goal_link_statement(
            goal=goal, statement=StatementFactory(municipality=other_town), actor=strategy_user
        )
    services.goal_unlink_statement(goal=goal, statement=statement, actor=strategy_user)
    assert goal.statements.count() == 0
    goal = services.goal_update(
        goal=goal, actor=strategy_user, expected_version=1, changes={"statements": [statement]}
    )
    assert goal.version == 2 and list(goal.statements.all()) == [statement]
    with pytest.raises(ConflictError) as caught:
        services.goal_update(
            goal=goal, actor=strategy_user, expected_version=1, changes={"statements": []}
        )
    assert caught.value.changed_fields == ["statements"]
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"goal.link_statement", "goal.unlink_statement", "goal.update"} <= actions
