from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def plan_list(request):
    plans = selectors.plan_list_for_user(user=request.user, municipality=request.municipality)
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, municipality=request.municipality, pk=pk)
    return render(request, "plans/plan_detail.html", {"plan": plan})


@login_required
def initiative_detail(request, pk: int):
    initiative = selectors.initiative_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(request, "plans/initiative_detail.html", {"initiative": initiative})
