from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def goal_field_list(request):
    goal_fields = selectors.goal_field_list_for_user(
        user=request.user, municipality=request.municipality
    )
    return render(request, "goals/goal_field_list.html", {"goal_fields": goal_fields})


@login_required
def goal_field_detail(request, pk: int):
    goal_field = selectors.goal_field_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(request, "goals/goal_field_detail.html", {"goal_field": goal_field})


@login_required
def goal_detail(request, pk: int):
    goal = selectors.goal_get_for_user(user=request.user, municipality=request.municipality, pk=pk)
    return render(request, "goals/goal_detail.html", {"goal": goal})
