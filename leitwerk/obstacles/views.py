"""Thin views for obstacles: list with a form to record one, detail with rating and solutions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from leitwerk.accounts.http import AuthedRequest

from . import selectors, services
from .forms import ObstacleForm, RatingForm, SolutionForm

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest


@login_required
def obstacle_list(request: Request) -> HttpResponse:
    municipality = request.municipality
    obstacles = selectors.obstacle_list_for_user(user=request.user, municipality=municipality)
    may_record = request.user.has_perm("obstacles.record_obstacle", municipality)
    form = ObstacleForm(
        request.POST or None,
        initiatives=selectors.initiatives_for_forms(municipality=municipality),
    )
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                obstacle = services.obstacle_create(
                    municipality=municipality,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    category=data["category"],
                    impact=data["impact"],
                    frequency=data["frequency"],
                    initiatives=list(data["initiatives"]),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Das Hemmnis ist erfasst.")
                return redirect("obstacles:detail", pk=obstacle.pk)
    return render(
        request,
        "obstacles/obstacle_list.html",
        {
            "obstacles": obstacles,
            "form": form,
            "may_record": may_record,
            # The import lives in the imports stage (above this one); only its permission.
            "may_import": request.user.has_perm("imports.run_import", municipality),
        },
        status=422 if form.errors else 200,
    )


@login_required
def obstacle_detail(request: Request, pk: int) -> HttpResponse:
    municipality = request.municipality
    obstacle = selectors.obstacle_get_for_user(user=request.user, municipality=municipality, pk=pk)
    may_rate = request.user.has_perm("obstacles.rate_obstacle", obstacle)
    which = request.POST.get("form")
    rating_form = RatingForm(request.POST if which == "rating" else None)
    solution_form = SolutionForm(
        request.POST if which == "solution" else None,
        initiatives=selectors.initiatives_for_forms(municipality=municipality),
    )
    if request.method == "POST":
        if not may_rate:
            raise Http404
        try:
            if rating_form.is_bound and rating_form.is_valid():
                services.obstacle_rate(
                    obstacle=obstacle, actor=request.user, **rating_form.cleaned_data
                )
                messages.success(request, "Ihre Bewertung ist gespeichert.")
                return redirect("obstacles:detail", pk=obstacle.pk)
            if solution_form.is_bound and solution_form.is_valid():
                data = solution_form.cleaned_data
                services.solution_concept_create(
                    obstacle=obstacle,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    initiatives=list(data["initiatives"]),
                )
                messages.success(request, "Das Lösungskonzept ist erfasst.")
                return redirect("obstacles:detail", pk=obstacle.pk)
        except ValidationError as error:
            target = rating_form if rating_form.is_bound else solution_form
            for message in error.messages:
                target.add_error(None, message)
    invalid = rating_form.errors or solution_form.errors
    return render(
        request,
        "obstacles/obstacle_detail.html",
        {
            "obstacle": obstacle,
            "may_rate": may_rate,
            "rating_form": rating_form,
            "solution_form": solution_form,
        },
        status=422 if invalid else 200,
    )
