"""Editing pages of goal fields and goals, for the strategy office.

The reading pages (list, goal field, scorecard) roll up Vorhaben: plans/goal_views.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require, scoped_get
from leitwerk.core.pages import Crumbs, create_page, delete_page, edit_page
from leitwerk.guidelines.models import Statement

from . import services
from .forms import GoalFieldForm, GoalForm
from .models import Goal, GoalField

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest
PERM = "goals.change_goal"


def _may_edit(request: Request) -> bool:
    return bool(request.municipality) and request.user.has_perm(PERM, request.municipality)


def _crumbs(goal_field: GoalField | None = None) -> Crumbs:
    crumbs = [("Ziele", reverse("goals:list"))]
    if goal_field is not None:
        crumbs.append((str(goal_field), reverse("goals:field_detail", args=[goal_field.pk])))
    return crumbs


@login_required
def goal_field_create(request: Request) -> HttpResponse:
    municipality = request.municipality
    if not municipality:
        raise Http404
    require(request, PERM, municipality)

    def create(*, actor: Any, values: dict[str, Any]) -> GoalField:
        values = dict(values)
        title = values.pop("title")
        return services.goal_field_create(
            municipality=municipality, actor=actor, title=title, values=values
        )

    return create_page(
        request,
        form_class=GoalFieldForm,
        create=create,
        title="Neues Zielfeld anlegen",
        crumbs=_crumbs(),
        back_url=reverse("goals:list"),
        success_url=lambda field: reverse("goals:field_detail", args=[field.pk]),
    )


@login_required
def goal_field_edit(request: Request, pk: int) -> HttpResponse:
    goal_field = scoped_get(request, GoalField, pk)
    require(request, PERM, goal_field)
    return edit_page(
        request,
        obj=goal_field,
        form_class=GoalFieldForm,
        update=lambda **kw: services.goal_field_update(goal_field=goal_field, **kw),
        title=f"Zielfeld bearbeiten: {goal_field}",
        crumbs=_crumbs(goal_field),
        success_url=reverse("goals:field_detail", args=[goal_field.pk]),
    )


@login_required
def goal_field_delete(request: Request, pk: int) -> HttpResponse:
    goal_field = scoped_get(request, GoalField, pk)
    require(request, PERM, goal_field)
    return delete_page(
        request,
        obj=goal_field,
        delete=lambda **kw: services.goal_field_delete(goal_field=goal_field, **kw),
        title=f"Zielfeld löschen: {goal_field}",
        crumbs=_crumbs(goal_field),
        back_url=reverse("goals:field_detail", args=[goal_field.pk]),
        success_url=reverse("goals:list"),
        consequence="Alle Ziele des Zielfelds werden mit gelöscht.",
    )


@login_required
def goal_create(request: Request, pk: int) -> HttpResponse:
    goal_field = scoped_get(request, GoalField, pk)
    require(request, PERM, goal_field)

    def create(*, actor: Any, values: dict[str, Any]) -> Goal:
        values = dict(values)
        title = values.pop("title")
        return services.goal_create(goal_field=goal_field, actor=actor, title=title, values=values)

    return create_page(
        request,
        form_class=GoalForm,
        create=create,
        title=f"Neues Ziel im Zielfeld „{goal_field}“",
        crumbs=_crumbs(goal_field),
        back_url=reverse("goals:field_detail", args=[goal_field.pk]),
        success_url=lambda goal: reverse("goals:goal_detail", args=[goal.pk]),
        form_kwargs={"municipality": request.municipality},
    )


@login_required
def goal_edit(request: Request, pk: int) -> HttpResponse:
    goal = scoped_get(request, Goal, pk, "goal_field")
    require(request, PERM, goal)
    return edit_page(
        request,
        obj=goal,
        form_class=GoalForm,
        update=lambda **kw: services.goal_update(goal=goal, **kw),
        title=f"Ziel bearbeiten: {goal}",
        crumbs=_crumbs(goal.goal_field),
        success_url=reverse("goals:goal_detail", args=[goal.pk]),
        form_kwargs={"municipality": request.municipality},
    )


@login_required
def goal_delete(request: Request, pk: int) -> HttpResponse:
    goal = scoped_get(request, Goal, pk, "goal_field")
    require(request, PERM, goal)
    return delete_page(
        request,
        obj=goal,
        delete=lambda **kw: services.goal_delete(goal=goal, **kw),
        title=f"Ziel löschen: {goal}",
        crumbs=_crumbs(goal.goal_field),
        back_url=reverse("goals:goal_detail", args=[goal.pk]),
        success_url=reverse("goals:field_detail", args=[goal.goal_field_id]),
    )


@login_required
def goal_statements(request: Request, pk: int) -> HttpResponse:
    """Link (`action=link`) or unlink (`action=unlink`) one Leitbild statement."""
    goal = scoped_get(request, Goal, pk)
    require(request, PERM, goal)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    statement = scoped_get(request, Statement, _int(request.POST.get("statement")))
    try:
        if request.POST.get("action") == "unlink":
            services.goal_unlink_statement(goal=goal, statement=statement, actor=request.user)
            messages.success(request, "Die Verknüpfung ist gelöst.")
        else:
            services.goal_link_statement(goal=goal, statement=statement, actor=request.user)
            messages.success(request, "Die Aussage ist verknüpft.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("goals:goal_detail", args=[goal.pk]) + "#statements")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
