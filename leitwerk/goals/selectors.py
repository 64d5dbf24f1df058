"""Reads of goal fields and goals for a signed-in person, always scoped to one municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from leitwerk.core.access import access_row, may
from leitwerk.core.models import scoped_related
from leitwerk.guidelines.models import Statement

from .models import Goal, GoalField

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


def access_goal(*, user: Any, municipality: Any, pk: Any, perm: str | None = None) -> Goal:
    """A goal of the municipality with its goal field; `perm` (e.g. "goals.change_goal") is
    checked on it (404 missing/foreign/invisible, 403 visible but not allowed)."""
    return access_row(
        Goal.objects.select_related("goal_field"),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm="goals.view_goal",
        perm=perm,
    )


def _statements(municipality: Municipality) -> QuerySet[Statement]:
    return Statement.objects.for_municipality(municipality).select_related("section__document")


def goal_field_list_for_user(*, user: User, municipality: Municipality) -> QuerySet[GoalField]:
    """Goal fields with their goals and the statements each goal serves; empty if not allowed."""
    if not may(user, "goals.view_goal", municipality):
        return GoalField.objects.none()
    goals = Goal.objects.for_municipality(municipality).prefetch_related(
        Prefetch("statements", queryset=_statements(municipality))
    )
    return GoalField.objects.for_municipality(municipality).prefetch_related(
        Prefetch("goals", queryset=goals)
    )


def goal_field_get_for_user(*, user: User, municipality: Municipality, pk: int) -> GoalField:
    """One goal field with goals, their statements and Vorhaben; Http404 if missing or forbidden."""
    if not may(user, "goals.view_goal", municipality):
        raise Http404
    goals = Goal.objects.for_municipality(municipality).prefetch_related(
        Prefetch("statements", queryset=_statements(municipality)),
        Prefetch("initiatives", queryset=scoped_related(Goal, "initiatives", municipality)),
    )
    goal_field = (
        GoalField.objects.for_municipality(municipality)
        .prefetch_related(Prefetch("goals", queryset=goals))
        .filter(pk=pk)
        .first()
    )
    if goal_field is None:
        raise Http404
    return goal_field


def goal_get_for_user(*, user: User, municipality: Municipality, pk: int) -> Goal:
    """One goal with statements, indicators and the Vorhaben serving it; Http404 if not visible."""
    if not may(user, "goals.view_goal", municipality):
        raise Http404
    goal = (
        Goal.objects.for_municipality(municipality)
        .select_related("goal_field")
        .prefetch_related(
            Prefetch("statements", queryset=_statements(municipality)),
            Prefetch("indicators", queryset=scoped_related(Goal, "indicators", municipality)),
            Prefetch(
                "initiatives",
                queryset=scoped_related(Goal, "initiatives", municipality).select_related(
                    "action_field__plan"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if goal is None:
        raise Http404
    return goal
