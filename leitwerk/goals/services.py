"""Writes of goal fields and goals, including the links from goals to Leitbild statements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.core.editing import check_fields, create_row, delete_row, update_versioned
from leitwerk.guidelines.models import Statement
from leitwerk.municipalities.models import Municipality

from .models import FrameworkConcept, Goal, GoalField

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

GOAL_FIELD_FIELDS = {"code", "title", "description", "order"}
GOAL_FIELDS = {
    "code",
    "title",
    "description",
    "easy_summary",
    "target_date",
    "statements",
    "weight",
    "public",
    "order",
    "kgst_level",
}


@transaction.atomic
def goal_field_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> GoalField:
    values = {**(values or {}), "title": title}
    check_fields(GoalField, values, GOAL_FIELD_FIELDS)
    return create_row(
        model=GoalField,
        municipality=municipality,
        actor=actor,
        action="goal_field.create",
        values=values,
    )


@transaction.atomic
def goal_field_update(
    *, goal_field: GoalField, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> GoalField:
    check_fields(GoalField, changes, GOAL_FIELD_FIELDS)
    return update_versioned(
        instance=goal_field,
        actor=actor,
        action="goal_field.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def goal_field_delete(*, goal_field: GoalField, actor: User | None) -> None:
    delete_row(instance=goal_field, actor=actor, action="goal_field.delete")


@transaction.atomic
def goal_create(
    *,
    goal_field: GoalField,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> Goal:
    values = {**(values or {}), "title": title}
    check_fields(Goal, values, GOAL_FIELDS)
    return create_row(
        model=Goal,
        municipality=goal_field.municipality,
        actor=actor,
        action="goal.create",
        values={**values, "goal_field": goal_field},
    )


@transaction.atomic
def goal_update(
    *, goal: Goal, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Goal:
    check_fields(Goal, changes, GOAL_FIELDS)
    return update_versioned(
        instance=goal,
        actor=actor,
        action="goal.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def goal_delete(*, goal: Goal, actor: User | None) -> None:
    delete_row(instance=goal, actor=actor, action="goal.delete")


def _check_statement(goal: Goal, statement: Statement) -> None:
    if statement.municipality_id != goal.municipality_id:
        raise ValidationError("Die Aussage gehört zu einer anderen Kommune.")


@transaction.atomic
def goal_link_statement(*, goal: Goal, statement: Statement, actor: User | None) -> None:
    """Link one statement; a link does not change the goal's own version (nothing to lose)."""
    _check_statement(goal, statement)
    goal.statements.add(statement)
    audit(actor=actor, action="goal.link_statement", target=goal, data={"statement": statement.pk})


@transaction.atomic
def goal_unlink_statement(*, goal: Goal, statement: Statement, actor: User | None) -> None:
    _check_statement(goal, statement)
    goal.statements.remove(statement)
    audit(
        actor=actor, action="goal.unlink_statement", target=goal, data={"statement": statement.pk}
    )


# --- Rahmenkonzepte --------------------------------------------------------------------------

FRAMEWORK_FIELDS = {
    "title",
    "description",
    "valid_from",
    "valid_to",
    "adopted_by",
    "adopted_on",
    "goal_fields",
    "goals",
}


@transaction.atomic
def framework_concept_create(
    *, municipality: Municipality, actor: User | None, values: Mapping[str, Any]
) -> FrameworkConcept:
    check_fields(FrameworkConcept, values, FRAMEWORK_FIELDS)
    return create_row(
        model=FrameworkConcept,
        municipality=municipality,
        actor=actor,
        action="framework_concept.create",
        values=values,
    )


@transaction.atomic
def framework_concept_update(
    *,
    concept: FrameworkConcept,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> FrameworkConcept:
    check_fields(FrameworkConcept, changes, FRAMEWORK_FIELDS)
    return update_versioned(
        instance=concept,
        actor=actor,
        action="framework_concept.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def framework_concept_delete(*, concept: FrameworkConcept, actor: User | None) -> None:
    """Delete the concept; goals and plans it framed stay, only the links go."""
    delete_row(instance=concept, actor=actor, action="framework_concept.delete")
