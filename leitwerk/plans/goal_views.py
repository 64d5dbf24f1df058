"""The reading pages of goals: goal list, goal field and the goal scorecard.

Goals sit below the hub (docs/ARCHITECTURE.md, "Layers"), but these pages roll up the
Vorhaben serving each goal, so they live here, above goals; `goal_urls.py` puts them into the
`goals` URL namespace next to the goals app's editing pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.fragments import cached_fragment, render_fragment
from leitwerk.goals import selectors as goal_selectors
from leitwerk.guidelines.models import Statement

from . import selectors

Request = AuthedRequest
PERM = "goals.change_goal"


def _may_edit(request: Request) -> bool:
    return bool(request.municipality) and request.user.has_perm(PERM, request.municipality)


@login_required
def goal_field_list(request: Request) -> HttpResponse:
    rows = selectors.goal_fields_with_progress_for_user(
        user=request.user, municipality=request.municipality
    )
    return render(
        request, "goals/goal_field_list.html", {"rows": rows, "may_edit": _may_edit(request)}
    )


@login_required
def goal_field_detail(request: Request, pk: int) -> HttpResponse:
    (row,) = selectors.goal_fields_with_progress_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(
        request,
        "goals/goal_field_detail.html",
        {"row": row, "goal_field": row.goal_field, "may_edit": _may_edit(request)},
    )


@login_required
def goal_detail(request: Request, pk: int) -> HttpResponse:
    """The goal scorecard: progress, Ampel with reason, own indicators, Vorhaben, statements.

    The content is kept per change and edit right (core.fragments)."""
    goal = goal_selectors.access_goal(user=request.user, municipality=request.municipality, pk=pk)
    may_edit = request.user.has_perm(PERM, goal)

    def build() -> str:
        card = selectors.goal_scorecard_for_user(
            user=request.user, municipality=request.municipality, pk=pk
        )
        linkable: Any = []
        if may_edit:
            linked = {s.pk for s in card.statements}
            linkable = [
                s
                for s in Statement.objects.for_municipality(request.municipality).select_related(
                    "section__document"
                )
                if s.pk not in linked
            ]
        context = {
            "card": card,
            "goal": card.goal,
            "may_edit": may_edit,
            "linkable_statements": linkable,
        }
        return render_fragment(request, "goals/_goal_detail_content.html", context)

    content = cached_fragment(
        request,
        name=f"goal:{goal.pk}",
        municipality_ids=[goal.municipality_id],
        variant=(may_edit,),
        build=build,
    )
    return render(request, "goals/goal_detail.html", {"goal": goal, "content": content})
