"""Workspace pages of the portal app: what editors check before and after publishing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from leitwerk.core.access import require_allowed, scoped_get
from leitwerk.core.pages import create_page, delete_page, edit_page

from . import selectors, services
from .forms import OpenDataSettingsForm, ParticipationOpportunityForm
from .models import ParticipationOpportunity
from .readability import LONG_SENTENCE_WORDS, TARGET_SCORE
from .readability_selectors import public_texts_for_review


@login_required
@require_safe
def readability(request: HttpRequest) -> HttpResponse:
    texts = public_texts_for_review(
        user=request.user,
        municipality=request.municipality,  # type: ignore[attr-defined]
    )
    return render(
        request,
        "portal/workspace_readability.html",
        {
            "texts": texts,
            "needs_work": sum(1 for t in texts if not t.result.ok),
            "target_score": TARGET_SCORE,
            "long_sentence_words": LONG_SENTENCE_WORDS,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_data_settings(request: HttpRequest) -> HttpResponse:
    """Licence, attribution and contact of the municipality's open data (strategy, admin)."""
    municipality = request.municipality  # type: ignore[attr-defined]
    require_allowed(request.user, "portal.change_open_data", municipality)
    current = selectors.open_data_settings(municipality=municipality)

    def save(*, actor: object, expected_version: int, changes: dict[str, str]) -> object:
        return services.open_data_settings_save(
            municipality=municipality,
            actor=actor,
            expected_version=expected_version,
            **changes,
        )

    here = reverse("portal_workspace:open_data_settings")
    return edit_page(
        request,
        obj=current,
        form_class=OpenDataSettingsForm,
        update=save,
        title="Offene Daten: Lizenz und Kontakt",
        crumbs=[("Offene Daten", here)],
        success_url=here,
    )


PARTICIPATION = "portal.change_participation"


def _participation_crumbs() -> list[tuple[str, str]]:
    return [("Beteiligungsangebote", reverse("portal_workspace:participation"))]


@login_required
@require_safe
def participation(request: HttpRequest) -> HttpResponse:
    """Every participation opportunity of the municipality, upcoming and past (strategy, admin)."""
    municipality = request.municipality  # type: ignore[attr-defined]
    page = selectors.participation_overview(user=request.user, municipality=municipality)
    return render(request, "portal/workspace_participation.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_create(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    require_allowed(request.user, PARTICIPATION, municipality)
    return create_page(
        request,
        form_class=ParticipationOpportunityForm,
        form_kwargs={"municipality": municipality},
        create=lambda actor, values: services.participation_opportunity_create(
            municipality=municipality, actor=actor, values=values
        ),
        title="Neues Beteiligungsangebot",
        crumbs=_participation_crumbs(),
        back_url=reverse("portal_workspace:participation"),
        success_url=lambda row: reverse("portal_workspace:participation") + f"#angebot-{row.pk}",
        intro="Was, wann, wo, wie und für wen: So steht es im Bürgerportal unter „Mitmachen“.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = scoped_get(request, ParticipationOpportunity, pk)  # type: ignore[arg-type]
    require_allowed(request.user, PARTICIPATION, opportunity)
    return edit_page(
        request,
        obj=opportunity,
        form_class=ParticipationOpportunityForm,
        form_kwargs={"municipality": request.municipality},  # type: ignore[attr-defined]
        update=lambda **kw: services.participation_opportunity_update(
            opportunity=opportunity, **kw
        ),
        title=f"Beteiligungsangebot bearbeiten: {opportunity}",
        crumbs=_participation_crumbs(),
        success_url=reverse("portal_workspace:participation") + f"#angebot-{opportunity.pk}",
        delete_url=reverse("portal_workspace:participation_delete", args=[opportunity.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = scoped_get(request, ParticipationOpportunity, pk)  # type: ignore[arg-type]
    require_allowed(request.user, PARTICIPATION, opportunity)
    return delete_page(
        request,
        obj=opportunity,
        delete=lambda **kw: services.participation_opportunity_delete(
            opportunity=opportunity, **kw
        ),
        title=f"Beteiligungsangebot löschen: {opportunity}",
        crumbs=_participation_crumbs(),
        back_url=reverse("portal_workspace:participation_edit", args=[opportunity.pk]),
        success_url=reverse("portal_workspace:participation"),
        consequence="Das Angebot verschwindet auch aus dem Bürgerportal und dem Terminkalender.",
    )
