"""Rahmenkonzepte: list (every member), create, edit, delete (the strategy office and admins).

A Rahmenkonzept is a goals-stage row, but the plans it frames link to it from their side, so
its pages live above goals, here; `goal_urls.py` puts them into the `goals` namespace.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require, scoped_get
from leitwerk.core.pages import Crumbs, create_page, delete_page, edit_page
from leitwerk.goals import services as goal_services
from leitwerk.goals.models import FrameworkConcept

from . import selectors, services
from .forms import FrameworkConceptForm

Request = AuthedRequest
PERM = "goals.change_goal"


def _crumbs() -> Crumbs:
    return [("Ziele", reverse("goals:list")), ("Rahmenkonzepte", reverse("goals:frameworks"))]


@login_required
@require_safe
def framework_list(request: Request) -> HttpResponse:
    rows = selectors.framework_concepts_for_user(
        user=request.user, municipality=request.municipality
    )
    may_edit = bool(request.municipality) and request.user.has_perm(PERM, request.municipality)
    return render(request, "plans/framework_list.html", {"rows": rows, "may_edit": may_edit})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def framework_create(request: Request) -> HttpResponse:
    municipality = request.municipality
    require(request, PERM, municipality)

    def create(*, actor: Any, values: dict[str, Any]) -> FrameworkConcept:
        return services.framework_concept_save(
            municipality=municipality, actor=actor, values=values
        )

    return create_page(
        request,
        form_class=FrameworkConceptForm,
        form_kwargs={"municipality": municipality},
        create=create,
        title="Neues Rahmenkonzept",
        crumbs=_crumbs(),
        back_url=reverse("goals:frameworks"),
        success_url=lambda row: reverse("goals:frameworks") + f"#konzept-{row.pk}",
        intro="Ein Rahmenkonzept (etwa ein Klimaschutz- oder Mobilitätskonzept) gibt Zielen und "
        "Plänen für einen Zeitraum den Rahmen.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def framework_edit(request: Request, pk: int) -> HttpResponse:
    concept = scoped_get(request, FrameworkConcept, pk)
    require(request, PERM, concept)

    def update(*, actor: Any, expected_version: int, changes: dict[str, Any]) -> FrameworkConcept:
        return services.framework_concept_save(
            municipality=request.municipality,
            actor=actor,
            values=changes,
            concept=concept,
            expected_version=expected_version,
        )

    return edit_page(
        request,
        obj=concept,
        form_class=FrameworkConceptForm,
        form_kwargs={"municipality": request.municipality},
        update=update,
        title=f"Rahmenkonzept bearbeiten: {concept}",
        crumbs=_crumbs(),
        success_url=reverse("goals:frameworks") + f"#konzept-{concept.pk}",
        delete_url=reverse("goals:framework_delete", args=[concept.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def framework_delete(request: Request, pk: int) -> HttpResponse:
    concept = scoped_get(request, FrameworkConcept, pk)
    require(request, PERM, concept)
    return delete_page(
        request,
        obj=concept,
        delete=lambda **kw: goal_services.framework_concept_delete(concept=concept, **kw),
        title=f"Rahmenkonzept löschen: {concept}",
        crumbs=_crumbs(),
        back_url=reverse("goals:framework_edit", args=[concept.pk]),
        success_url=reverse("goals:frameworks"),
        consequence="Ziele und Aktionspläne bleiben erhalten; nur die Verknüpfungen entfallen.",
    )
